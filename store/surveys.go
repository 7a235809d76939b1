package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/register"
	"minyi/reporting"
	"minyi/survey"
)

var _ survey.Store = (*DB)(nil)

const surveyColumns = `id, title, intro, unit, campaign_id, opens_on, closes_on, status, questions, answers,
	published_on, closed_on, created_by, created_at, updated_at, version`

// CreateSurvey stores a questionnaire, its search tokens, its page form and
// its created event in one transaction.
func (db *DB) CreateSurvey(ctx context.Context, s *survey.Survey) error {
	qs, err := json.Marshal(s.Questions)
	if err != nil {
		return minyi.Internal(err)
	}
	terms := ledgerTerms(s.SearchText())
	return db.inTx(ctx, func(t tx) error {
		s.Version = 1
		err := t.insertRow(ctx, `INSERT INTO surveys(title, intro, unit, campaign_id, opens_on, closes_on, status,
			questions, answers, published_on, closed_on, created_by, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.Title, s.Intro, s.Unit, nullID(s.Campaign), s.OpensOn, s.ClosesOn, string(s.Status), string(qs), 0,
			s.PublishedOn, s.ClosedOn, s.CreatedBy, micros(s.CreatedAt), micros(s.UpdatedAt), s.Version).Scan(&s.ID)
		if err != nil {
			return wrap(err)
		}
		if err := insertTerms(ctx, t, "survey_terms", "survey_id", s.ID, terms); err != nil {
			return err
		}
		if err := t.recordFormOf(ctx, s.Form, survey.Register, s.ID, s.CreatedAt); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{s.Created()})
	})
}

// UpdateSurvey stores s over version with its events in one transaction; a
// version changed meanwhile is a conflict, and so, with keepShape, is a
// questionnaire that has received an answer meanwhile.
func (db *DB) UpdateSurvey(ctx context.Context, s *survey.Survey, version int, events []eventlog.Event, keepShape bool) error {
	qs, err := json.Marshal(s.Questions)
	if err != nil {
		return minyi.Internal(err)
	}
	terms := ledgerTerms(s.SearchText())
	cond := ""
	if keepShape {
		cond = " AND answers = 0"
	}
	return db.inTx(ctx, func(t tx) error {
		if err := updateVersioned(ctx, t, `UPDATE surveys SET title = ?, intro = ?, unit = ?, campaign_id = ?,
			opens_on = ?, closes_on = ?, status = ?, questions = ?, published_on = ?, closed_on = ?, updated_at = ?, version = ?
			WHERE id = ? AND version = ?`+cond,
			[]any{s.Title, s.Intro, s.Unit, nullID(s.Campaign), s.OpensOn, s.ClosesOn, string(s.Status), string(qs),
				s.PublishedOn, s.ClosedOn, micros(s.UpdatedAt), version + 1, s.ID, version},
			func() error { return register.Stale(survey.Noun) }); err != nil {
			return err
		}
		if err := writeTerms(ctx, t, "survey_terms", "survey_id", s.ID, terms); err != nil {
			return err
		}
		if err := appendLog(ctx, t, slices.Clone(events)); err != nil {
			return err
		}
		s.Version = version + 1
		return nil
	})
}

func scanSurvey(sc scanner) (survey.Survey, error) {
	var s survey.Survey
	var status, qs string
	var created, updated int64
	var campaign sql.NullInt64
	err := sc.Scan(&s.ID, &s.Title, &s.Intro, &s.Unit, &campaign, &s.OpensOn, &s.ClosesOn, &status, &qs, &s.Answers,
		&s.PublishedOn, &s.ClosedOn, &s.CreatedBy, &created, &updated, &s.Version)
	if err != nil {
		return s, err
	}
	s.Status, s.Campaign = survey.Status(status), campaign.Int64
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	if err := json.Unmarshal([]byte(qs), &s.Questions); err != nil {
		return s, err
	}
	if s.Questions == nil {
		s.Questions = []survey.Question{}
	}
	return s, nil
}

// Survey returns one questionnaire.
func (db *DB) Survey(ctx context.Context, id int64) (survey.Survey, error) {
	s, err := scanSurvey(db.queryRow(ctx, "SELECT "+surveyColumns+" FROM surveys WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return s, notFound("调查问卷", "questionnaire", id)
	}
	return s, wrap(err)
}

// Surveys lists the questionnaires f selects, newest first, with the count
// of all of them.
func (db *DB) Surveys(ctx context.Context, f survey.Filter) (survey.Page, error) {
	page := survey.Page{Items: []survey.Survey{}}
	size := f.Size(20, 100)
	var w where
	if f.Units != nil {
		w.in("unit", f.Units)
	}
	if f.Unit != "" {
		w.add("unit = ?", f.Unit)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"surveys", "survey_terms", "survey_id", false})
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = &total, capped
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.add("id < ?", c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+surveyColumns+" FROM surveys"+w.sql()+
		" ORDER BY id DESC LIMIT ?", w.args, size, scanSurvey, func(last survey.Survey) string {
		return ledgerCursor{"s", last.ID}.encode()
	})
	return page, err
}

// newTextToken is the random form token that files a free-text answer's
// item once (archive.FileOnce through Submit's FormToken).
func newTextToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateAnswer stores a checked answer with its texts, counters, the
// questionnaire's count, its event and its counted limits, in one
// transaction. The questionnaire must still be published with the
// questions the answer was checked against.
func (db *DB) CreateAnswer(ctx context.Context, s survey.Survey, a *survey.Answer) error {
	return db.inTx(ctx, func(t tx) error { return writeAnswers(ctx, t, s, []*survey.Answer{a}) })
}

// CreateAnswers stores checked answers of the questionnaire s as
// CreateAnswer does, in one transaction of few statements: the answers',
// texts' and events' rows many to a statement (insertBuffer), the
// questionnaire's count once and each counter once, summed over the
// batch. Answer by answer, each was about twenty round trips (its
// counters by day and by month one by one), 100–400 answers a second on
// PostgreSQL. The generator of the benchmarks' answers.
func (db *DB) CreateAnswers(ctx context.Context, s survey.Survey, as []*survey.Answer) error {
	if len(as) == 0 {
		return nil
	}
	return db.inTx(ctx, func(t tx) error {
		t.rows = newInsertBuffer()
		if err := writeAnswers(ctx, t, s, as); err != nil {
			return err
		}
		err := t.rows.flush(ctx, t)
		if isUniqueViolation(err) {
			return minyi.Errorf(minyi.EConflict, "有答卷重复（同一设备或手机号已填写过，或同一表单提交两次）/ an answer was already given by its device or phone, or its form was sent before")
		}
		return err
	})
}

// answerCount is one counter of a questionnaire (its survey_id aside):
// period is the day (survey_counts) or the month (survey_month_counts).
type answerCount struct {
	period, township, question string
	option                     int
}

// writeAnswers writes answers of s in t: their counted limits, the
// questionnaire's count (refused if it is no longer published with the
// questions they were checked against), each answer's row, texts and page
// form, the counters the answers add to, summed, and their events.
func writeAnswers(ctx context.Context, t tx, s survey.Survey, as []*survey.Answer) error {
	qs, err := json.Marshal(s.Questions)
	if err != nil {
		return minyi.Internal(err)
	}
	for _, a := range as {
		for _, use := range a.Counted {
			over, err := t.countUse(ctx, use)
			if err != nil {
				return err
			}
			if over {
				return use.Refusal()
			}
		}
	}
	res, err := t.exec(ctx, "UPDATE surveys SET answers = answers + ? WHERE id = ? AND status = ? AND questions = ?",
		len(as), s.ID, string(survey.StatusPublished), string(qs))
	if err != nil {
		return wrap(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return wrap(err)
	} else if n == 0 {
		return minyi.Errorf(minyi.EConflict, "问卷刚刚有变动，请刷新页面后重新填写 / the questionnaire has just changed or closed; reload it")
	}
	days, months := map[answerCount]int64{}, map[answerCount]int64{}
	events := make([]eventlog.Event, len(as))
	for i, a := range as {
		vals, err := json.Marshal(a.Answers)
		if err != nil {
			return minyi.Internal(err)
		}
		err = t.insertRow(ctx, `INSERT INTO survey_answers(survey_id, day, township, phone, voter, vals, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.ID, a.Day, a.Township, a.Phone, a.Voter, string(vals), micros(a.CreatedAt)).Scan(&a.ID)
		if isUniqueViolation(err) {
			return minyi.Errorf(minyi.EConflict, "您已经填写过这份问卷，谢谢参与 / you have already answered this questionnaire")
		}
		if err != nil {
			return wrap(err)
		}
		for _, v := range a.Texts() {
			if _, err := t.exec(ctx, `INSERT INTO survey_texts(answer_id, question, survey_id, day, township, body, token)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, v.Question, s.ID, a.Day, a.Township, v.Text, newTextToken()); err != nil {
				return wrap(err)
			}
		}
		for _, c := range survey.TallyOf(*a) {
			days[answerCount{a.Day, a.Township, c.Question, c.Option}]++
			months[answerCount{a.Day[:7], a.Township, c.Question, c.Option}]++
		}
		if err := t.recordFormOf(ctx, a.Form, survey.AnswerRegister, a.ID, a.CreatedAt); err != nil {
			return err
		}
		events[i] = a.Answered(s)
	}
	if err := addAnswerCounts(ctx, t, "survey_counts", "day", s.ID, days); err != nil {
		return err
	}
	if err := addAnswerCounts(ctx, t, "survey_month_counts", "month", s.ID, months); err != nil {
		return err
	}
	return appendLog(ctx, t, events)
}

// addAnswerCounts adds counts to the questionnaire's counters in table,
// whose period column is period: many counters to a statement, in key
// order, so that writers on PostgreSQL take the rows' locks in one order.
func addAnswerCounts(ctx context.Context, t tx, table, period string, surveyID int64, counts map[answerCount]int64) error {
	keys := slices.SortedFunc(maps.Keys(counts), func(a, b answerCount) int {
		return cmp.Or(cmp.Compare(a.period, b.period), cmp.Compare(a.township, b.township),
			cmp.Compare(a.question, b.question), cmp.Compare(a.option, b.option))
	})
	args := make([]any, 0, 6*len(keys))
	for _, k := range keys {
		args = append(args, surveyID, k.period, k.township, k.question, k.option, counts[k])
	}
	return execRows(ctx, t, "INSERT INTO "+table+"(survey_id, "+period+", township, question, opt, n) VALUES ",
		"(?, ?, ?, ?, ?, ?)", " ON CONFLICT(survey_id, "+period+", township, question, opt) DO UPDATE SET n = "+table+".n + excluded.n", args)
}

const answerColumns = "id, survey_id, day, township, phone, vals, created_at"

func scanAnswer(sc scanner) (survey.Answer, error) {
	var a survey.Answer
	var vals string
	var created int64
	if err := sc.Scan(&a.ID, &a.Survey, &a.Day, &a.Township, &a.Phone, &vals, &created); err != nil {
		return a, err
	}
	a.CreatedAt = fromMicros(created)
	if err := json.Unmarshal([]byte(vals), &a.Answers); err != nil {
		return a, err
	}
	return a, nil
}

// Answer returns one answer of a questionnaire.
func (db *DB) Answer(ctx context.Context, surveyID, id int64) (survey.Answer, error) {
	a, err := scanAnswer(db.queryRow(ctx, "SELECT "+answerColumns+" FROM survey_answers WHERE survey_id = ? AND id = ?", surveyID, id))
	if err == sql.ErrNoRows {
		return a, notFound("答卷", "answer", id)
	}
	return a, wrap(err)
}

// A questionnaire's counters are kept twice: per day in survey_counts
// (day YYYY-MM-DD) and per month in survey_month_counts (month YYYY-MM),
// so that a period's results sum the months it holds whole and the days
// of the months it cuts, a few hundred rows whatever the number of
// answers.

// countRange is a range of counters: months lo–hi of survey_month_counts,
// or days lo–hi of survey_counts.
type countRange struct {
	months bool
	lo, hi string
}

// table and column are where the range's counters are and the column its
// bounds are of.
func (r countRange) table() string {
	if r.months {
		return "survey_month_counts"
	}
	return "survey_counts"
}

func (r countRange) column() string {
	if r.months {
		return "month"
	}
	return "day"
}

// countRanges are the ranges of counters that sum to the period from–to
// (either may be empty: unbounded): the whole months as month counters,
// the days at its ends as day counters.
func countRanges(from, to string) []countRange {
	if from == "" && to == "" {
		return []countRange{{true, "0001-01", "9999-12"}}
	}
	lo, hi := from, to
	if lo == "" {
		lo = "0001-01-01"
	}
	if hi == "" {
		hi = "9999-12-31"
	}
	l, err1 := time.Parse(time.DateOnly, lo)
	h, err2 := time.Parse(time.DateOnly, hi)
	if err1 != nil || err2 != nil || h.Before(l) {
		return []countRange{{false, lo, hi}}
	}
	first := l // the first day of the first whole month
	if l.Day() != 1 {
		first = time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	end := time.Date(h.Year(), h.Month()+1, 1, 0, 0, 0, 0, time.UTC) // the day after the last whole month
	if h.AddDate(0, 0, 1).Month() == h.Month() {
		end = time.Date(h.Year(), h.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	if !first.Before(end) {
		return []countRange{{false, lo, hi}}
	}
	out := []countRange{{true, first.Format("2006-01"), end.AddDate(0, 0, -1).Format("2006-01")}}
	if l.Before(first) {
		out = append(out, countRange{false, lo, first.AddDate(0, 0, -1).Format(time.DateOnly)})
	}
	if !h.Before(end) {
		out = append(out, countRange{false, end.Format(time.DateOnly), hi})
	}
	return out
}

// resultWhere selects f's days and township of one questionnaire.
func resultWhere(surveyID int64, f survey.ResultFilter, township bool) where {
	var w where
	w.add("survey_id = ?", surveyID)
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	if township && f.Township != "" {
		w.add("township = ?", f.Township)
	}
	return w
}

// sumCounts sums the counters of a questionnaire over f's period (its
// ranges of counters) and township, with extra conditions, grouped by
// cols, calling add with each group's columns and sum.
func (db *DB) sumCounts(ctx context.Context, surveyID int64, f survey.ResultFilter, township bool, extra []string, cols string,
	add func(scan func(dest ...any) error) error) error {
	for _, r := range countRanges(f.From, f.To) {
		var w where
		w.add("survey_id = ?", surveyID)
		w.add(r.column()+" >= ?", r.lo)
		w.add(r.column()+" <= ?", r.hi)
		if township && f.Township != "" {
			w.add("township = ?", f.Township)
		}
		for _, e := range extra {
			w.add(e)
		}
		rows, err := db.query(ctx, "SELECT "+cols+", SUM(n) FROM "+r.table()+w.sql()+" GROUP BY "+cols, w.args...)
		if err != nil {
			return wrap(err)
		}
		for rows.Next() {
			if err := add(rows.Scan); err != nil {
				rows.Close()
				return wrap(err)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return wrap(err)
		}
	}
	return nil
}

// SurveyCounts sums the questionnaire's counters over f's days and township.
func (db *DB) SurveyCounts(ctx context.Context, surveyID int64, f survey.ResultFilter) ([]survey.Count, error) {
	var out []survey.Count
	err := db.sumCounts(ctx, surveyID, f, true, nil, "question, opt", func(scan func(...any) error) error {
		var c survey.Count
		err := scan(&c.Question, &c.Option, &c.N)
		out = append(out, c)
		return err
	})
	return out, err
}

// SurveyTownships counts the questionnaire's answers of f's days by township.
func (db *DB) SurveyTownships(ctx context.Context, surveyID int64, f survey.ResultFilter) ([]survey.TownshipCount, error) {
	by := map[string]int64{}
	err := db.sumCounts(ctx, surveyID, f, false, []string{"question = ''", "opt = 0"}, "township", func(scan func(...any) error) error {
		var t string
		var n int64
		err := scan(&t, &n)
		by[t] += n
		return err
	})
	out := []survey.TownshipCount{}
	for _, t := range slices.Sorted(maps.Keys(by)) {
		out = append(out, survey.TownshipCount{Township: t, Answers: by[t]})
	}
	return out, err
}

const textColumns = "answer_id, question, body, township, day, item_number, token"

// SurveyTexts returns the latest free-text answers of f, at most limit.
func (db *DB) SurveyTexts(ctx context.Context, surveyID int64, f survey.ResultFilter, limit int) ([]survey.TextAnswer, error) {
	w := resultWhere(surveyID, f, true)
	rows, err := db.query(ctx, "SELECT "+textColumns+" FROM survey_texts"+w.sql()+" ORDER BY answer_id DESC, question LIMIT ?",
		append(w.args, limit)...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []survey.TextAnswer
	for rows.Next() {
		var t survey.TextAnswer
		if err := rows.Scan(&t.Answer, &t.Question, &t.Text, &t.Township, &t.Day, &t.Item, &t.Token); err != nil {
			return nil, wrap(err)
		}
		t.Token = ""
		out = append(out, t)
	}
	return out, wrap(rows.Err())
}

// SurveyText returns one free-text answer with its token, its answer's
// phone and time.
func (db *DB) SurveyText(ctx context.Context, surveyID, answer int64, question string) (survey.TextAnswer, error) {
	var t survey.TextAnswer
	var at int64
	err := db.queryRow(ctx, `SELECT t.answer_id, t.question, t.body, t.township, t.day, t.item_number, t.token, a.phone, a.created_at
		FROM survey_texts t JOIN survey_answers a ON a.id = t.answer_id
		WHERE t.survey_id = ? AND t.answer_id = ? AND t.question = ?`, surveyID, answer, question).
		Scan(&t.Answer, &t.Question, &t.Text, &t.Township, &t.Day, &t.Item, &t.Token, &t.Phone, &at)
	if err == sql.ErrNoRows {
		return t, notFound("文字答卷", "text answer", strconv.FormatInt(answer, 10)+"/"+question)
	}
	t.At = fromMicros(at)
	return t, wrap(err)
}

// EachAnswer calls fn with every answer of f, oldest first, read as the
// registers' streamed doors read (eachByID: the ids first, then a chunk
// of answers at a time), so that a large questionnaire is never held in
// memory.
func (db *DB) EachAnswer(ctx context.Context, surveyID int64, f survey.ResultFilter, fn func(survey.Answer) error) error {
	return eachByID(ctx, db, answerColumns, "survey_answers", resultWhere(surveyID, f, true), scanAnswer, nil, fn)
}

// LinkItem notes the item a text answer became, with its event, unless it
// became one before; it returns the number the answer is linked to.
func (db *DB) LinkItem(ctx context.Context, surveyID, answer int64, question, number string, e eventlog.Event) (string, error) {
	linked := number
	err := db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE survey_texts SET item_number = ?, converted_on = ?
			WHERE survey_id = ? AND answer_id = ? AND question = ? AND item_number = ''`,
			number, archive.ChinaDay(e.At).Format("2006-01-02"), surveyID, answer, question)
		if err != nil {
			return wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrap(err)
		} else if n == 0 {
			return wrap(t.queryRow(ctx, "SELECT item_number FROM survey_texts WHERE survey_id = ? AND answer_id = ? AND question = ?",
				surveyID, answer, question).Scan(&linked))
		}
		return appendLog(ctx, t, []eventlog.Event{e})
	})
	return linked, err
}

// SurveyAnswersOf sums the answers received from f.From to f.To (either
// may be empty: unbounded) to each of the questionnaires ids of f's units,
// from the counters SurveyFigures sums as answers; a questionnaire without
// any is left out.
func (db *DB) SurveyAnswersOf(ctx context.Context, f reporting.Filter, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 || (f.Units != nil && len(f.Units) == 0) {
		return out, nil
	}
	var w where
	w.add("c.question = ''")
	w.add("c.opt = 0")
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	w.add("c.survey_id IN ("+marks+")", args...)
	if f.From != "" {
		w.add("c.day >= ?", f.From)
	}
	if f.To != "" {
		w.add("c.day <= ?", f.To)
	}
	if len(f.Units) > 0 {
		var sw where
		sw.in("s.unit", f.Units)
		w.add("c.survey_id IN (SELECT s.id FROM surveys s"+sw.sql()+")", sw.args...)
	}
	rows, err := db.query(ctx, "SELECT c.survey_id, SUM(c.n) FROM survey_counts c"+w.sql()+" GROUP BY c.survey_id", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap(err)
		}
		out[id] = n
	}
	return out, wrap(rows.Err())
}

// SurveyFigures counts for f's period and units: answers (from the
// counters), published (questionnaires published in the period) and
// items_created (text answers that became items in the period).
func (db *DB) SurveyFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"answers": 0, "published": 0, "items_created": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	units := func(w *where) {
		if len(f.Units) > 0 {
			w.in("s.unit", f.Units)
		}
		if f.Unit != "" {
			w.add("s.unit = ?", f.Unit)
		}
		campaignWhere(w, "s.campaign_id", f.Campaign)
	}
	queries := []struct {
		key, from, day string
		extra          []string
	}{
		{"answers", "survey_counts c", "c.day", []string{"c.question = ''", "c.opt = 0"}},
		{"published", "surveys s", "s.published_on", []string{"s.published_on <> ''"}},
		{"items_created", "survey_texts t JOIN surveys s ON s.id = t.survey_id", "t.converted_on", []string{"t.converted_on <> ''"}},
	}
	for _, q := range queries {
		var w where
		for _, e := range q.extra {
			w.add(e)
		}
		if f.From != "" {
			w.add(q.day+" >= ?", f.From)
		}
		if f.To != "" {
			w.add(q.day+" <= ?", f.To)
		}
		agg := "COUNT(*)"
		if q.key == "answers" {
			// The questionnaires of the units, if any are named, as a list
			// rather than a join: joined, the period's answer counters
			// (question '', option 0, by day) were read once per
			// questionnaire, all questionnaires' each time (27 ms for ten
			// of 50,000 answers on SQLite).
			agg = "COALESCE(SUM(c.n), 0)"
			var sw where
			units(&sw)
			if len(sw.conds) > 0 {
				w.add("c.survey_id IN (SELECT s.id FROM surveys s"+sw.sql()+")", sw.args...)
			}
		} else {
			units(&w)
		}
		var n int64
		if err := db.queryRow(ctx, "SELECT "+agg+" FROM "+q.from+w.sql(), w.args...).Scan(&n); err != nil {
			return nil, wrap(err)
		}
		out[q.key] = n
	}
	return out, nil
}
