package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/matter"
	"minyi/register"
	"minyi/reporting"
)

const matterColumns = `id, title, description, unit_code, branch_code, lead, beneficiary_kind, beneficiary_name,
	beneficiary_phone, beneficiary_id_number, beneficiary_place, class, status, opened_on, due_days, due_at,
	done_on, drop_reason, story, published, beneficiary_consent, created_by, created_at, updated_at, version, campaign_id`

// matterTerms are the full-text terms of a matter: its title, description,
// story and place, and a village's or group's name, never a person's.
func matterTerms(m *matter.Matter) []string {
	text := m.Title + "\n" + m.Description + "\n" + m.Story + "\n" + m.Beneficiary.Place
	if !m.Beneficiary.Kind.Personal() {
		text += "\n" + m.Beneficiary.Name
	}
	return ledgerTerms(text)
}

// CreateMatter stores a new matter, its participants, item links, search
// terms and its created event in one transaction.
func (db *DB) CreateMatter(ctx context.Context, m *matter.Matter) error {
	terms := matterTerms(m) // tokenising is slow: before taking the writer
	return db.inTx(ctx, func(t tx) error {
		b := m.Beneficiary
		err := t.insertRow(ctx, `INSERT INTO matters(title, description, unit_code, branch_code, lead, beneficiary_kind,
			beneficiary_name, beneficiary_phone, beneficiary_id_number, beneficiary_place, class, status, opened_on,
			due_days, due_at, done_on, drop_reason, story, published, beneficiary_consent, created_by, created_at,
			updated_at, version, campaign_id) VALUES (`+placeholders(25)+`) RETURNING id`,
			m.Title, m.Description, m.Unit, m.Branch, m.Lead, string(b.Kind), b.Name, b.Phone, b.IDNumber, b.Place,
			string(m.Class), string(m.Status), m.OpenedOn, m.DueDays, micros(m.DueAt), m.DoneOn, m.DropReason, m.Story,
			boolInt(m.Published), boolInt(m.BeneficiaryConsent), m.CreatedBy, micros(m.CreatedAt), micros(m.UpdatedAt), 1,
			nullID(m.Campaign)).Scan(&m.ID)
		if err != nil {
			return wrap(err)
		}
		m.Version = 1
		if err := t.recordFormOf(ctx, m.Form, matter.Register, m.ID, m.CreatedAt); err != nil {
			return err
		}
		if err := writeMatterChildren(ctx, t, m, terms, 0); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{m.Created()})
	})
}

// UpdateMatter stores m, read at version, and its events in one
// transaction; a stale version is a conflict and writes nothing.
func (db *DB) UpdateMatter(ctx context.Context, m *matter.Matter, version int, events []eventlog.Event) error {
	terms := matterTerms(m)
	return db.inTx(ctx, func(t tx) error {
		b := m.Beneficiary
		err := updateVersioned(ctx, t, `UPDATE matters SET title = ?, description = ?, unit_code = ?, branch_code = ?, lead = ?,
			beneficiary_kind = ?, beneficiary_name = ?, beneficiary_phone = ?, beneficiary_id_number = ?,
			beneficiary_place = ?, class = ?, status = ?, opened_on = ?, due_days = ?, due_at = ?, done_on = ?,
			drop_reason = ?, story = ?, published = ?, beneficiary_consent = ?, updated_at = ?, version = ?,
			campaign_id = ? WHERE id = ? AND version = ?`,
			[]any{m.Title, m.Description, m.Unit, m.Branch, m.Lead, string(b.Kind), b.Name, b.Phone, b.IDNumber, b.Place,
				string(m.Class), string(m.Status), m.OpenedOn, m.DueDays, micros(m.DueAt), m.DoneOn, m.DropReason, m.Story,
				boolInt(m.Published), boolInt(m.BeneficiaryConsent), micros(m.UpdatedAt), version + 1, nullID(m.Campaign),
				m.ID, version},
			func() error {
				var v int
				if err := t.queryRow(ctx, "SELECT version FROM matters WHERE id = ?", m.ID).Scan(&v); err == sql.ErrNoRows {
					return notFound("实事", "matter", m.ID)
				}
				return minyi.Errorf(minyi.EConflict, "实事已被他人修改，请刷新后重试 / the matter was changed by someone else; reload and try again")
			})
		if err != nil {
			return err
		}
		for _, table := range []string{"matter_participants", "matter_items", "matter_outcomes", "matter_terms"} {
			if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE matter_id = ?", m.ID); err != nil {
				return wrap(err)
			}
		}
		var stored int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM matter_progress WHERE matter_id = ?", m.ID).Scan(&stored); err != nil {
			return wrap(err)
		}
		if err := writeMatterChildren(ctx, t, m, terms, stored); err != nil {
			return err
		}
		if err := writeMatterPhotos(ctx, t, m); err != nil {
			return err
		}
		m.Version = version + 1
		return appendLog(ctx, t, events)
	})
}

// writeMatterChildren writes m's participants, item links, outcomes and
// terms, and its progress entries from the stored-th on (entries are
// only ever added).
func writeMatterChildren(ctx context.Context, t tx, m *matter.Matter, terms []string, stored int) error {
	for i, name := range m.Participants {
		if _, err := t.exec(ctx, "INSERT INTO matter_participants(matter_id, user_name, ord) VALUES (?, ?, ?)", m.ID, name, i); err != nil {
			return wrap(err)
		}
	}
	for i, number := range m.Items {
		if _, err := t.exec(ctx, "INSERT INTO matter_items(matter_id, item_number, ord) VALUES (?, ?, ?)", m.ID, number, i); err != nil {
			return wrap(err)
		}
	}
	for k, v := range m.Outcomes {
		if _, err := t.exec(ctx, "INSERT INTO matter_outcomes(matter_id, key, value) VALUES (?, ?, ?)", m.ID, k, v); err != nil {
			return wrap(err)
		}
	}
	for i := stored; i < len(m.Progress); i++ {
		p := m.Progress[i]
		if _, err := t.exec(ctx, "INSERT INTO matter_progress(matter_id, seq, day, body, actor, at_micros) VALUES (?, ?, ?, ?, ?, ?)",
			m.ID, i+1, p.Day, p.Text, p.Actor, micros(p.At)); err != nil {
			return wrap(err)
		}
	}
	return insertTerms(ctx, t, "matter_terms", "matter_id", m.ID, terms)
}

// writeMatterPhotos stores m's new photos and adds them, with their IDs, to
// the progress entry or the story they belong to.
func writeMatterPhotos(ctx context.Context, t tx, m *matter.Matter) error {
	if len(m.NewPhotos) == 0 {
		return nil
	}
	stored, err := writeRecordPhotos(ctx, t, matter.Register, m.ID, m.NewPhotos, m.UpdatedAt)
	if err != nil {
		return err
	}
	m.NewPhotos = nil
	placeMatterPhotos(m, stored)
	return nil
}

// placeMatterPhotos adds photos of m to its progress entries (entry n is
// the n-th) and its story (entry 0).
func placeMatterPhotos(m *matter.Matter, photos []storedPhoto) {
	for _, p := range photos {
		switch {
		case p.entry == 0:
			m.StoryPhotos = append(m.StoryPhotos, p.PhotoInfo)
		case p.entry <= len(m.Progress):
			m.Progress[p.entry-1].Photos = append(m.Progress[p.entry-1].Photos, p.PhotoInfo)
		}
	}
}

func scanMatter(s scanner) (matter.Matter, error) {
	var m matter.Matter
	var kind, class, status string
	var due, created, updated int64
	var published, consent int
	var campaign sql.NullInt64
	err := s.Scan(&m.ID, &m.Title, &m.Description, &m.Unit, &m.Branch, &m.Lead, &kind, &m.Beneficiary.Name,
		&m.Beneficiary.Phone, &m.Beneficiary.IDNumber, &m.Beneficiary.Place, &class, &status, &m.OpenedOn,
		&m.DueDays, &due, &m.DoneOn, &m.DropReason, &m.Story, &published, &consent, &m.CreatedBy, &created,
		&updated, &m.Version, &campaign)
	m.Campaign = campaign.Int64
	m.Beneficiary.Kind, m.Class, m.Status = matter.BeneficiaryKind(kind), archive.Class(class), matter.Status(status)
	m.DueAt, m.CreatedAt, m.UpdatedAt = fromMicros(due), fromMicros(created), fromMicros(updated)
	m.Published, m.BeneficiaryConsent = published != 0, consent != 0
	m.Participants, m.Items, m.Progress = []string{}, []string{}, []matter.Progress{}
	return m, err
}

// Matter returns one matter with its participants, items, progress and
// outcomes.
func (db *DB) Matter(ctx context.Context, id int64) (matter.Matter, error) {
	m, err := scanMatter(db.queryRow(ctx, "SELECT "+matterColumns+" FROM matters WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return m, notFound("实事", "matter", id)
	} else if err != nil {
		return m, wrap(err)
	}
	ms := []matter.Matter{m}
	if err := db.matterDetails(ctx, ms); err != nil {
		return m, err
	}
	return ms[0], nil
}

// matterDetails fills in the participants, items, progress and outcomes
// of ms, a page at most.
func (db *DB) matterDetails(ctx context.Context, ms []matter.Matter) error {
	if len(ms) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]any, len(ms))
	for i, m := range ms {
		at[m.ID], ids[i] = i, m.ID
	}
	in := " IN (" + placeholders(len(ids)) + ")"
	read := func(q string, scan func(*sql.Rows, *matter.Matter) error) error {
		rows, err := db.query(ctx, q, ids...)
		if err != nil {
			return wrap(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var m matter.Matter
			if err := scan(rows, &m); err != nil {
				return wrap(err)
			}
			id = m.ID
			dst := &ms[at[id]]
			dst.Participants = append(dst.Participants, m.Participants...)
			dst.Items = append(dst.Items, m.Items...)
			dst.Progress = append(dst.Progress, m.Progress...)
			for k, v := range m.Outcomes {
				if dst.Outcomes == nil {
					dst.Outcomes = map[string]int64{}
				}
				dst.Outcomes[k] = v
			}
		}
		return wrap(rows.Err())
	}
	if err := read("SELECT matter_id, user_name FROM matter_participants WHERE matter_id"+in+" ORDER BY matter_id, ord",
		func(r *sql.Rows, m *matter.Matter) error {
			m.Participants = []string{""}
			return r.Scan(&m.ID, &m.Participants[0])
		}); err != nil {
		return err
	}
	if err := read("SELECT matter_id, item_number FROM matter_items WHERE matter_id"+in+" ORDER BY matter_id, ord",
		func(r *sql.Rows, m *matter.Matter) error {
			m.Items = []string{""}
			return r.Scan(&m.ID, &m.Items[0])
		}); err != nil {
		return err
	}
	if err := read("SELECT matter_id, day, body, actor, at_micros FROM matter_progress WHERE matter_id"+in+" ORDER BY matter_id, seq",
		func(r *sql.Rows, m *matter.Matter) error {
			var p matter.Progress
			var at int64
			err := r.Scan(&m.ID, &p.Day, &p.Text, &p.Actor, &at)
			p.At = fromMicros(at)
			m.Progress = []matter.Progress{p}
			return err
		}); err != nil {
		return err
	}
	if err := read("SELECT matter_id, key, value FROM matter_outcomes WHERE matter_id"+in,
		func(r *sql.Rows, m *matter.Matter) error {
			var k string
			var v int64
			err := r.Scan(&m.ID, &k, &v)
			m.Outcomes = map[string]int64{k: v}
			return err
		}); err != nil {
		return err
	}
	photos, err := db.recordPhotos(ctx, matter.Register, slices.Collect(maps.Keys(at)))
	for _, p := range photos {
		placeMatterPhotos(&ms[at[p.record]], []storedPhoto{p})
	}
	return err
}

// matterWhere is the condition of a list's filter, without its cursor and
// its words (countList adds them).
func matterWhere(f matter.Filter) (where, bool) {
	var w where
	if f.Units != nil {
		if len(f.Units) == 0 {
			return w, false
		}
		w.in("unit_code", f.Units)
	}
	for col, v := range map[string]string{"status": string(f.Status), "unit_code": f.Unit, "branch_code": f.Branch,
		"lead": f.Lead, "class": string(f.Class)} {
		if v != "" {
			w.add(col+" = ?", v)
		}
	}
	if f.Led {
		w.add("lead <> ''")
	}
	if f.Participant != "" {
		w.add("id IN (SELECT matter_id FROM matter_participants WHERE user_name = ?)", f.Participant)
	}
	if f.Item != "" {
		w.add("id IN (SELECT matter_id FROM matter_items WHERE item_number = ?)", f.Item)
	}
	if f.Published {
		w.add("published = ?", 1)
	}
	if f.Township != "" {
		matterTownship(&w, f.Township, f.Townships)
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	if f.Outcome != "" {
		w.add("id IN (SELECT matter_id FROM matter_outcomes WHERE matter_outcomes.key = ?)", f.Outcome)
	}
	if f.From != "" {
		w.add("done_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("done_on <= ? AND done_on <> ''", f.To)
	}
	return w, true
}

// MatterOutcomeSum adds up the values of the counted outcome f.Outcome of
// the matters f selects, its words aside.
func (db *DB) MatterOutcomeSum(ctx context.Context, f matter.Filter) (int64, error) {
	w, ok := matterWhere(f)
	if !ok || f.Outcome == "" {
		return 0, nil
	}
	var sum int64
	err := db.queryRow(ctx, "SELECT COALESCE(SUM(value), 0) FROM matter_outcomes WHERE matter_outcomes.key = ? AND matter_id IN (SELECT id FROM matters"+
		w.sql()+")", append([]any{f.Outcome}, w.args...)...).Scan(&sum)
	return sum, wrap(err)
}

// matterTownship selects the matters in township (matter.TownshipOf):
// their beneficiary's place begins with it, or begins with none of the
// known townships and their unit covers it. The prefix is compared with
// substr and its length in characters, which both databases count alike.
func matterTownship(w *where, township string, townships []string) {
	prefix := func(t string) (string, []any) {
		return "substr(beneficiary_place, 1, ?) = ?", []any{utf8.RuneCountInString(t), t}
	}
	cond, args := prefix(township)
	other := "unit_code IN (SELECT code FROM units WHERE township = ?)"
	otherArgs := []any{township}
	for _, t := range townships {
		if t == "" {
			continue
		}
		c, a := prefix(t)
		other += " AND NOT " + c
		otherArgs = append(otherArgs, a...)
	}
	w.add("("+cond+" OR ("+other+"))", append(args, otherArgs...)...)
}

// Matters lists the matters f selects, newest first, with the count of
// all of them unless f.NoTotal (without a search, whose count narrows the
// page).
func (db *DB) Matters(ctx context.Context, f matter.Filter) (register.Page[matter.Matter], error) {
	zero := 0
	page := register.Page[matter.Matter]{Items: []matter.Matter{}, Total: &zero}
	limit := f.Size(20, 100)
	w, ok := matterWhere(f)
	if !ok {
		return page, nil
	}
	if f.NoTotal && strings.TrimSpace(f.Query) == "" {
		page.Total = nil
	} else {
		total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"matters", "matter_terms", "matter_id", false})
		if err != nil {
			return page, err
		}
		page.Total, page.TotalCapped = &total, capped
	}
	items, next, err := newestFirst(ctx, db, matterColumns, "matters", w, f.Cursor, limit, scanMatter,
		func(last matter.Matter) int64 { return last.ID })
	if err != nil {
		return page, err
	}
	page.Items, page.NextCursor = items, next
	return page, db.matterDetails(ctx, page.Items)
}

// EachMatter calls fn with every matter f selects, with its details, oldest
// first (by id), read a thousand at a time (eachByID) rather than the
// list's pages of 100 newest first each with its count: an export of a
// year's matters (the ledgers' workbook). f's search words, page and
// cursor are not for it.
func (db *DB) EachMatter(ctx context.Context, f matter.Filter, fn func(matter.Matter) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	w, ok := matterWhere(f)
	if !ok {
		return nil
	}
	return eachByID(ctx, db, matterColumns, "matters", w, scanMatter, db.matterDetails, fn)
}

var _ matter.Store = (*DB)(nil)

// MatterFigures counts the matters of f's units done in f's period: done,
// led (with a named lead), on_time (done on or before the day they were
// due), done_<class> per concern class, and outcome_<key>, each counted
// outcome summed.
func (db *DB) MatterFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"done": 0, "led": 0, "on_time": 0}
	for c := range archive.ClassLimits {
		out["done_"+string(c)] = 0
	}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "matters.done_on", "matters.unit_code")
	w.add("matters.status = ?", string(matter.StatusDone))
	campaignWhere(&w, "matters.campaign_id", f.Campaign)
	// The outcomes are summed on another connection while the counts are
	// made: each reads the period's done matters, about half the summary's
	// time for a year, so together they take the longer of the two.
	var outcomes map[string]int64
	var outcomesErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		outcomes, outcomesErr = db.matterOutcomes(ctx, w)
	}()
	err := db.matterClassCounts(ctx, w, out)
	<-done
	if err != nil {
		return nil, err
	}
	if outcomesErr != nil {
		return nil, outcomesErr
	}
	for k, v := range outcomes {
		out["outcome_"+k] = v
	}
	return out, nil
}

// matterClassCounts adds to out the done, led and on_time counts of the
// done matters w selects, and their done_<class>.
func (db *DB) matterClassCounts(ctx context.Context, w where, out reporting.Figures) error {
	rows, err := db.query(ctx, "SELECT class, COUNT(*), "+db.matterCounts()+" FROM matters"+db.dialect.mattersFiguresIndex+w.sql()+" GROUP BY class", w.args...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var class string
		var n, led, onTime int64
		if err := rows.Scan(&class, &n, &led, &onTime); err != nil {
			return wrap(err)
		}
		out["done"] += n
		out["led"] += led
		out["on_time"] += onTime
		out["done_"+class] += n
	}
	return wrap(rows.Err())
}

// matterOutcomes sums the counted outcomes of the done matters w selects,
// by key.
func (db *DB) matterOutcomes(ctx context.Context, w where) (map[string]int64, error) {
	rows, err := db.query(ctx, "SELECT matter_outcomes.key, SUM(matter_outcomes.value) FROM matters"+db.dialect.mattersFiguresIndex+
		" JOIN matter_outcomes ON matter_outcomes.matter_id = matters.id"+w.sql()+" GROUP BY matter_outcomes.key", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, wrap(err)
		}
		out[k] = v
	}
	return out, wrap(rows.Err())
}

// matterCounts are the sums of a group of done matters after its COUNT:
// those with a named lead, and those done on or before the day (China
// time) of their due time, counted by the database (the dialect's
// chinaDay) rather than by reading every done matter of the period.
func (db *DB) matterCounts() string {
	return "SUM(CASE WHEN lead <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN done_on <= " + db.dialect.chinaDay("due_at") + " THEN 1 ELSE 0 END)"
}

// MatterFiguresByBranch counts done, led and on_time of the matters f
// selects by party branch, as MatterFigures counts them; matters of no
// branch are left out.
func (db *DB) MatterFiguresByBranch(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error) {
	out := map[string]reporting.Figures{}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "matters.done_on", "matters.unit_code")
	w.add("matters.status = ?", string(matter.StatusDone))
	campaignWhere(&w, "matters.campaign_id", f.Campaign)
	w.add("matters.branch_code <> ?", "")
	rows, err := db.query(ctx, "SELECT branch_code, COUNT(*), "+db.matterCounts()+" FROM matters"+db.dialect.mattersFiguresIndex+w.sql()+" GROUP BY branch_code", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var branch string
		var n, led, onTime int64
		if err := rows.Scan(&branch, &n, &led, &onTime); err != nil {
			return nil, wrap(err)
		}
		out[branch] = reporting.Figures{"done": n, "led": led, "on_time": onTime}
	}
	return out, wrap(rows.Err())
}
