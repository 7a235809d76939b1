package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/ratelimit"
	"minyi/reporting"
	"minyi/store"
	"minyi/survey"
)

var suNow = time.Date(2021, 6, 25, 10, 0, 0, 0, calendar.Zone)

// suFixture seeds stations a (乌兰镇) and b (棋盘井镇) with their staff and
// returns the questionnaires' service over db, its clock at suNow.
func suFixture(t *testing.T, db *store.DB) (*survey.Service, *testkit.Clock) {
	t.Helper()
	units := []org.Unit{{Code: "a", Name: "甲派出所", Kind: org.UnitStation, Township: "乌兰镇"},
		{Code: "b", Name: "乙派出所", Kind: org.UnitStation, Township: "棋盘井镇"}}
	testkit.Bureau{Units: units, Categories: []archive.Category{testkit.Hukou("a")},
		Users: []org.User{maOfficerA, maAuxA, maOfficerB, maLeader}}.Seed(t, db)
	clock := testkit.NewClock(suNow)
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	items.Now = clock.Now
	return &survey.Service{Store: db, Items: items, Now: clock.Now}, clock
}

// suSurvey is unit a's questionnaire: q1 single (option 2 skips to q3),
// q2 scale, q3 text.
func suSurvey() survey.Survey {
	return survey.Survey{Title: "“我为群众办实事”群众意见征集问卷", Unit: "a", Questions: []survey.Question{
		{Kind: survey.KindSingle, Text: "您对派出所的服务满意吗？", Required: true,
			Options: []survey.Option{{Label: "满意"}, {Label: "不满意", SkipTo: "q3"}}},
		{Kind: survey.KindScale, Text: "请为窗口服务打分"},
		{Kind: survey.KindText, Text: "您的意见建议"},
	}}
}

func suPublished(t *testing.T, svc *survey.Service) survey.Survey {
	t.Helper()
	bg := context.Background()
	s, err := svc.Create(bg, maOfficerA, suSurvey())
	if err != nil {
		t.Fatal(err)
	}
	if s, err = svc.Act(bg, maOfficerA, s.ID, s.Version, survey.Command{Action: survey.ActPublish}); err != nil {
		t.Fatal(err)
	}
	return s
}

func suAnswer(device, town string, choice, scale int, text string) survey.Answer {
	vs := map[string]survey.Value{"q1": {Choices: []int{choice}}}
	if scale > 0 {
		vs["q2"] = survey.Value{Scale: scale}
	}
	if text != "" {
		vs["q3"] = survey.Value{Text: text}
	}
	return survey.Answer{DeviceToken: fmt.Sprintf("device-%016s", device), Township: town, Answers: vs}
}

func TestSurveyStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, clock := suFixture(t, db)
		s := suPublished(t, svc)
		if s.Status != survey.StatusPublished || s.Version != 2 || s.Questions[2].ID != "q3" || s.PublishedOn != "2021-06-25" {
			t.Fatalf("published %+v", s)
		}
		if _, err := svc.Get(bg, maOfficerB, s.ID); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit's officer reads: %v", err)
		}

		answers := []survey.Answer{
			suAnswer("1", "乌兰镇", 1, 5, ""),
			suAnswer("2", "乌兰镇", 1, 3, "希望延长户籍窗口时间，电话13947701234"),
			suAnswer("3", "棋盘井镇", 2, 4, "停车难"), // skips q2: its scale is not counted
			suAnswer("4", "", 1, 4, ""),
		}
		for _, a := range answers {
			if _, err := svc.Answer(bg, s.ID, a); err != nil {
				t.Fatal(err)
			}
			clock.Advance(24 * time.Hour)
		}
		if _, err := svc.Answer(bg, s.ID, suAnswer("1", "乌兰镇", 2, 0, "")); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("the same device answers twice: %v", err)
		}
		if _, err := svc.Answer(bg, s.ID, suAnswer("9", "巴黎", 1, 0, "")); !slices.Contains(testkit.Fields(err), "township") {
			t.Errorf("unknown township: %v", err)
		}
		// One per phone, whatever the device.
		byPhone := suAnswer("5", "", 1, 0, "")
		byPhone.Phone = "13947700001"
		if _, err := svc.Answer(bg, s.ID, byPhone); err != nil {
			t.Fatal(err)
		}
		byPhone.DeviceToken = "device-another-000001"
		if _, err := svc.Answer(bg, s.ID, byPhone); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("the same phone answers twice: %v", err)
		}

		r, err := svc.Results(bg, maOfficerA, s.ID, survey.ResultFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Answers != 5 || r.Questions[0].Options[0].Count != 4 || r.Questions[0].Options[1].Count != 1 ||
			r.Questions[1].Answered != 3 || r.Questions[1].Mean != 4 || len(r.Questions[2].Texts) != 2 {
			t.Fatalf("results %+v", r)
		}
		for _, tx := range r.Questions[2].Texts {
			if tx.Text == "希望延长户籍窗口时间，电话13947701234" {
				t.Errorf("text not masked: %q", tx.Text)
			}
		}
		town, err := svc.Results(bg, maOfficerA, s.ID, survey.ResultFilter{Township: "乌兰镇", From: "2021-06-25", To: "2021-06-25"})
		if err != nil || town.Answers != 1 || len(town.Townships) != 1 || town.Townships[0].Answers != 1 {
			t.Fatalf("results of a township and day %+v, %v", town, err)
		}
		if _, err := svc.Results(bg, maOfficerA, s.ID, survey.ResultFilter{From: "25/06/2021"}); !slices.Contains(testkit.Fields(err), "from") {
			t.Errorf("bad from: %v", err)
		}

		// Structure is frozen once answered; wording is not.
		qs := slices.Clone(s.Questions)
		qs = qs[:2]
		if _, err := svc.Update(bg, maOfficerA, s.ID, s.Version, survey.Patch{Questions: &qs}); !slices.Contains(testkit.Fields(err), "questions") {
			t.Errorf("removing a question after answers: %v", err)
		}
		title := "群众意见征集问卷（2021）"
		if s, err = svc.Update(bg, maOfficerA, s.ID, s.Version, survey.Patch{Title: &title}); err != nil || s.Title != title {
			t.Fatalf("wording: %+v %v", s, err)
		}
		if _, err := svc.Update(bg, maOfficerA, s.ID, s.Version-1, survey.Patch{Title: &title}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale version: %v", err)
		}

		// A free text becomes an item once, linked both ways.
		text := r.Questions[2].Texts[1]
		var wg sync.WaitGroup
		got := make([]survey.Converted, 2)
		errs := make([]error, 2)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = svc.Convert(bg, maOfficerA, s.ID, text.Answer, "q3", survey.Conversion{})
			}()
		}
		wg.Wait()
		for i := range got {
			if errs[i] != nil || got[i].Item == "" || got[i].Item != got[0].Item {
				t.Fatalf("conversions %+v %v", got, errs)
			}
		}
		again, err := svc.Convert(bg, maOfficerA, s.ID, text.Answer, "q3", survey.Conversion{})
		if err != nil || again.Item != got[0].Item || again.Created {
			t.Fatalf("third click %+v %v", again, err)
		}
		view, err := svc.Items.Get(bg, maOfficerA, got[0].Item)
		if err != nil || view.Item.Channel != archive.ChannelSurvey || view.Item.ChannelDetail != survey.Source(s, text.Answer, "q3") {
			t.Fatalf("item %+v %v", view.Item, err)
		}
		items, err := db.FindItems(bg, archive.Filter{Channel: archive.ChannelSurvey})
		if err != nil || len(items.Items) != 1 {
			t.Errorf("items of channel survey: %d, %v", len(items.Items), err)
		}
		if _, err := svc.Convert(bg, maOfficerB, s.ID, text.Answer, "q3", survey.Conversion{}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit converts: %v", err)
		}
		if _, err := svc.Convert(bg, maAuxA, s.ID, text.Answer, "q3", survey.Conversion{}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("auxiliary converts: %v", err)
		}
		r, _ = svc.Results(bg, maOfficerA, s.ID, survey.ResultFilter{})
		if r.Questions[2].Texts[1].Item != got[0].Item {
			t.Errorf("answer not linked: %+v", r.Questions[2].Texts)
		}

		figs, err := svc.Figures(bg, reporting.Filter{From: "2021-01-01", To: "2021-12-31"})
		if err != nil || figs["answers"] != 5 || figs["published"] != 1 || figs["items_created"] != 1 {
			t.Errorf("figures %v, %v", figs, err)
		}
		if figs, _ := svc.Figures(bg, reporting.Filter{Units: []string{"b"}}); figs["answers"] != 0 {
			t.Errorf("unit b's figures %v", figs)
		}
		if figs, _ := svc.Figures(bg, reporting.Filter{Units: []string{"a", "b"}, Unit: "a"}); figs["answers"] != 5 || figs["published"] != 1 {
			t.Errorf("unit a's figures %v", figs)
		}

		// An item made of an answer shows no phone or ID number typed into
		// it: a mobile number becomes the item's contact (masked, revealed
		// as a recorded look); an answer without one stays anonymous.
		for _, tx := range r.Questions[2].Texts {
			c, err := svc.Convert(bg, maOfficerA, s.ID, tx.Answer, "q3", survey.Conversion{})
			if err != nil {
				t.Fatal(err)
			}
			v, err := svc.Items.Get(bg, maOfficerA, c.Item)
			if err != nil {
				t.Fatal(err)
			}
			wantText, wantPhone := "停车难", ""
			if strings.Contains(tx.Text, "电话") {
				wantText, wantPhone = "希望延长户籍窗口时间，电话****", "13947701234"
			}
			if v.Item.Text != wantText || v.Item.Contact.Anonymous != (wantPhone == "") ||
				(wantPhone != "" && v.Item.Contact.Phone != archive.MaskContact(archive.Contact{Phone: wantPhone}).Phone) {
				t.Errorf("item of %q: text %q, contact %+v", tx.Text, v.Item.Text, v.Item.Contact)
			}
			if wantPhone != "" {
				if got, err := svc.Items.Reveal(bg, maOfficerA, c.Item); err != nil || got.Phone != wantPhone {
					t.Errorf("revealed %+v %v, want %s", got, err, wantPhone)
				}
			}
		}

		var raw []survey.Answer
		if err := svc.EachAnswer(bg, maOfficerA, s.ID, survey.ResultFilter{}, func(a survey.Answer) error {
			raw = append(raw, a)
			return nil
		}); err != nil || len(raw) != 5 || raw[4].Phone != "139****0001" {
			t.Errorf("raw answers %+v %v", raw, err)
		}

		// Closed: no more answers, and the count stays.
		if s, err = svc.Act(bg, maOfficerA, s.ID, s.Version, survey.Command{Action: survey.ActClose}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Answer(bg, s.ID, suAnswer("7", "", 1, 0, "")); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("answer to a closed questionnaire: %v", err)
		}
		if s, _ = svc.Get(bg, maOfficerA, s.ID); s.Answers != 5 {
			t.Errorf("answers %d", s.Answers)
		}
	})
}

func TestSurveyAnswerRefusalsWriteNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, clock := suFixture(t, db)
		draft, err := svc.Create(bg, maOfficerA, suSurvey())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Answer(bg, draft.ID, suAnswer("1", "", 1, 0, "")); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("a draft takes answers: %v", err)
		}
		s := suPublished(t, svc)
		limiter := ratelimit.Limiter{Now: clock.Now}
		use := func() []ratelimit.Use {
			u, _ := limiter.Use("survey", ratelimit.Rate{N: 2, Per: time.Hour}, "198.51.100.7", true)
			return []ratelimit.Use{u}
		}
		cases := []struct {
			name string
			a    survey.Answer
			code string
		}{
			{"missing required", survey.Answer{DeviceToken: "device-0000000000000001"}, minyi.EInvalid},
			{"first", func() survey.Answer { a := suAnswer("1", "", 1, 0, ""); a.Counted = use(); return a }(), ""},
			{"second", func() survey.Answer { a := suAnswer("2", "", 1, 0, ""); a.Counted = use(); return a }(), ""},
			{"over the limit", func() survey.Answer { a := suAnswer("3", "", 1, 0, "x"); a.Counted = use(); return a }(), minyi.ETooMany},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if _, err := svc.Answer(bg, s.ID, c.a); minyi.ErrorCode(err) != c.code {
					t.Errorf("got %v, want %q", err, c.code)
				}
			})
		}
		r, err := svc.Results(bg, maLeader, s.ID, survey.ResultFilter{})
		if err != nil || r.Answers != 2 || len(r.Questions[2].Texts) != 0 {
			t.Errorf("after refusals: %+v %v", r, err)
		}
		// A page form sent twice files one answer.
		a := suAnswer("8", "", 1, 0, "")
		a.FormToken = "form-token-0123456789abcdef0123456789"
		first, err := svc.Answer(bg, s.ID, a)
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.Answer(bg, s.ID, a)
		if err != nil || second.ID != first.ID {
			t.Errorf("the form again: %+v %v", second, err)
		}
	})
}

// Migration 40 moves the month counters, which 38 kept in survey_counts
// under days named 'm:YYYY-MM', into survey_month_counts: the results of
// every period are the same after it, and survey_counts holds days only.
// On SQLite and PostgreSQL.
func TestMigrationMovesSurveyMonthCounts(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			bg := context.Background()
			db, url := openAt(t, d)
			svc, clock := suFixture(t, db)
			s := suPublished(t, svc)
			for i, a := range []survey.Answer{suAnswer("1", "乌兰镇", 1, 5, ""), suAnswer("2", "乌兰镇", 2, 0, "停车难"),
				suAnswer("3", "棋盘井镇", 1, 3, ""), suAnswer("4", "", 1, 4, "")} {
				if _, err := svc.Answer(bg, s.ID, a); err != nil {
					t.Fatal(i, err)
				}
				clock.Advance(5 * 24 * time.Hour) // June 25, 30, July 5, 10
			}
			periods := []survey.ResultFilter{{}, {From: "2021-06-01", To: "2021-06-30"}, {From: "2021-06-28", To: "2021-07-31"},
				{From: "2021-07-01"}, {To: "2021-07-04"}, {Township: "乌兰镇", From: "2021-06-01", To: "2021-07-31"}}
			results := func() []string {
				t.Helper()
				var out []string
				for _, f := range periods {
					r, err := svc.Results(bg, maOfficerA, s.ID, f)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, fmt.Sprint(r.Answers, r.Townships, r.Questions[0].Options, r.Questions[1].Answered, r.Questions[1].Mean))
				}
				return out
			}
			want := results()
			if want[0] == want[1] || want[1] == want[2] {
				t.Fatalf("the periods do not tell the counters apart: %v", want)
			}
			// As schema 39 left it: the month counters among the days.
			db = reopenAfter(t, db, url, append(slices.Clone(undoStations),
				"INSERT INTO survey_counts(survey_id, day, township, question, opt, n) SELECT survey_id, 'm:' || month, township, question, opt, n FROM survey_month_counts",
				"DROP TABLE survey_month_counts", "DELETE FROM schema_migrations WHERE version >= 40")...)
			svc.Store = db
			if got := results(); !slices.Equal(got, want) {
				t.Errorf("results after the migration:\n%v\nwant\n%v", got, want)
			}
			var left int
			if err := raw(t, db).QueryRow("SELECT COUNT(*) FROM survey_counts WHERE day LIKE 'm:%'").Scan(&left); err != nil || left != 0 {
				t.Errorf("month counters left among the days: %d %v", left, err)
			}
		})
	}
}

// suChecked returns n answers to s checked as the service checks them,
// spread over four days across a month's end, three townships (one of
// them none), both options, scales, texts and phones, so that a batch of
// them adds to a counter several times and to others once.
func suChecked(t *testing.T, s survey.Survey, n, from int) []*survey.Answer {
	t.Helper()
	towns := []string{"乌兰镇", "棋盘井镇", ""}
	texts := []string{"", "停车难", "", "希望延长户籍窗口时间"}
	var out []*survey.Answer
	for i := from; i < from+n; i++ {
		a := suAnswer(fmt.Sprint(i), towns[i%3], 1+i%2, i%6, texts[i%4])
		if i%5 == 0 {
			a.Phone = fmt.Sprintf("139477%05d", i)
		}
		a, err := s.Check(a)
		if err != nil {
			t.Fatal(i, err)
		}
		at := time.Date(2021, 6, 29, 9+i%8, 0, 0, 0, calendar.Zone).AddDate(0, 0, i%4)
		a.Survey, a.CreatedAt, a.Day = s.ID, at, at.Format(time.DateOnly)
		out = append(out, &a)
	}
	return out
}

// TestSurveyAnswersBatched: answers stored in batches (CreateAnswers, the
// generator's path) leave what the same answers stored one by one
// (CreateAnswer, a citizen's) leave: counters by day and by month, texts,
// answers, the questionnaire's count and events that chain, each naming
// its answer; a batch that is refused writes nothing. On both databases.
func TestSurveyAnswersBatched(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := suFixture(t, db)
		one, batched := suPublished(t, svc), suPublished(t, svc)
		const n = 40
		for _, a := range suChecked(t, one, n, 0) {
			if err := db.CreateAnswer(bg, one, a); err != nil {
				t.Fatal(err)
			}
		}
		as := suChecked(t, batched, n, 0)
		// Two batches: the second adds to counters the first created.
		for _, b := range [][]*survey.Answer{as[:15], as[15:]} {
			if err := db.CreateAnswers(bg, batched, b); err != nil {
				t.Fatal(err)
			}
		}

		r := raw(t, db)
		stored := []struct{ name, query string }{
			{"day counters", "SELECT day, township, question, opt, n FROM survey_counts WHERE survey_id = ? ORDER BY day, township, question, opt"},
			{"month counters", "SELECT month, township, question, opt, n FROM survey_month_counts WHERE survey_id = ? ORDER BY month, township, question, opt"},
			{"answers", "SELECT day, township, phone, voter, vals, created_at FROM survey_answers WHERE survey_id = ? ORDER BY id"},
			{"texts", "SELECT t.question, t.day, t.township, t.body FROM survey_texts t JOIN survey_answers a ON a.id = t.answer_id WHERE t.survey_id = ? ORDER BY t.answer_id, t.question"},
			{"count", "SELECT answers FROM surveys WHERE id = ?"},
			{"events", "SELECT type, actor, at, from_state, to_state FROM events WHERE register = '" + survey.Register +
				"' AND record_id = ? AND type = '" + survey.EventAnswered + "' ORDER BY seq"},
		}
		rowsOf := func(t *testing.T, q string, id int64) []string {
			t.Helper()
			if db.Dialect() == "postgres" {
				q = strings.Replace(q, "?", "$1", 1)
			}
			rows, err := r.Query(q, id)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var out []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					if b, ok := v.([]byte); ok {
						vals[i] = string(b)
					}
				}
				out = append(out, fmt.Sprint(vals...))
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		// The answers' ids, and those their events name in the log's order
		// with their townships.
		ids := func(t *testing.T, id int64) (answers, named []string) {
			t.Helper()
			answers = rowsOf(t, "SELECT id, township FROM survey_answers WHERE survey_id = ? ORDER BY id", id)
			for _, e := range rowsOf(t, "SELECT data FROM events WHERE register = '"+survey.Register+
				"' AND record_id = ? AND type = '"+survey.EventAnswered+"' ORDER BY seq", id) {
				var data map[string]string
				if err := json.Unmarshal([]byte(e), &data); err != nil {
					t.Fatal(err)
				}
				named = append(named, data["answer"]+data["township"])
			}
			return answers, named
		}
		for _, c := range stored {
			t.Run(c.name, func(t *testing.T) {
				want, got := rowsOf(t, c.query, one.ID), rowsOf(t, c.query, batched.ID)
				if len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("batched:\n%v\none by one:\n%v", got, want)
				}
			})
		}
		t.Run("events name their answers", func(t *testing.T) {
			for _, id := range []int64{one.ID, batched.ID} {
				if answers, named := ids(t, id); len(answers) != n || !slices.Equal(named, answers) {
					t.Errorf("questionnaire %d: answers %v, events name %v", id, answers, named)
				}
			}
		})
		res, err := svc.Results(bg, maLeader, batched.ID, survey.ResultFilter{From: "2021-06-30", To: "2021-07-01"})
		if err != nil || res.Answers != 20 || len(res.Townships) != 3 {
			t.Errorf("results of two days: %+v %v", res, err)
		}

		// Refused batches write nothing, neither their other answers.
		stale := batched
		stale.Questions = stale.Questions[:2]
		again := suChecked(t, batched, 3, n)
		again = append(again, suChecked(t, batched, 1, 7)...) // answered before, in the first batch
		twice := suChecked(t, batched, 2, n)
		twice = append(twice, suChecked(t, batched, 1, n)...)
		refusals := []struct {
			name string
			s    survey.Survey
			as   []*survey.Answer
		}{
			{"questions changed since checked", stale, suChecked(t, batched, 3, n)},
			{"a device answered before", batched, again},
			{"a device twice in the batch", batched, twice},
		}
		before := map[string][]string{}
		for _, c := range stored {
			before[c.name] = rowsOf(t, c.query, batched.ID)
		}
		for _, c := range refusals {
			t.Run(c.name, func(t *testing.T) {
				if err := db.CreateAnswers(bg, c.s, c.as); minyi.ErrorCode(err) != minyi.EConflict {
					t.Errorf("got %v, want a conflict", err)
				}
				for _, q := range stored {
					if got := rowsOf(t, q.query, batched.ID); !slices.Equal(got, before[q.name]) {
						t.Errorf("%s written: %v", q.name, got)
					}
				}
			})
		}
		if _, err := db.Verify(bg); err != nil {
			t.Errorf("the log: %v", err)
		}
	})
}
