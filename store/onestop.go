package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/onestop"
	"minyi/register"
	"minyi/reporting"
	"minyi/textsearch"
)

var _ onestop.Store = (*DB)(nil)

const serviceColumns = "id, code, name, description, active, steps, created_by, created_at, updated_at, version"

// CreateService stores a one-stop service and its defined event in one
// transaction; a code already taken is a conflict naming code.
func (db *DB) CreateService(ctx context.Context, d *onestop.Definition) error {
	steps, err := json.Marshal(d.Steps)
	if err != nil {
		return wrap(err)
	}
	return db.inTx(ctx, func(t tx) error {
		err := t.insertRow(ctx, `INSERT INTO services(code, name, description, active, steps, created_by, created_at,
			updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
			d.Code, d.Name, d.Description, boolInt(d.Active), string(steps), d.CreatedBy, micros(d.CreatedAt),
			micros(d.UpdatedAt)).Scan(&d.ID)
		if isUniqueViolation(err) {
			return duplicate("code", "服务代码")
		} else if err != nil {
			return wrap(err)
		}
		d.Version = 1
		if err := t.recordFormOf(ctx, d.Form, onestop.ServicesRegister, d.ID, d.CreatedAt); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{d.Defined()})
	})
}

// UpdateService stores d over version with its events in one
// transaction; a version changed meanwhile is a conflict and writes
// nothing. The cases opened before keep their own copy of the steps.
func (db *DB) UpdateService(ctx context.Context, d *onestop.Definition, version int, events []eventlog.Event) error {
	steps, err := json.Marshal(d.Steps)
	if err != nil {
		return wrap(err)
	}
	return db.inTx(ctx, func(t tx) error {
		err := updateVersioned(ctx, t, `UPDATE services SET code = ?, name = ?, description = ?, active = ?, steps = ?,
			updated_at = ?, version = ? WHERE id = ? AND version = ?`,
			[]any{d.Code, d.Name, d.Description, boolInt(d.Active), string(steps), micros(d.UpdatedAt), version + 1, d.ID, version},
			func() error { return register.Stale(onestop.ServiceNoun) })
		if isUniqueViolation(err) {
			return duplicate("code", "服务代码")
		} else if err != nil {
			return err
		}
		if err := appendLog(ctx, t, slices.Clone(events)); err != nil {
			return err
		}
		d.Version = version + 1
		return nil
	})
}

func scanService(s scanner) (onestop.Definition, error) {
	var d onestop.Definition
	var active int
	var steps string
	var created, updated int64
	if err := s.Scan(&d.ID, &d.Code, &d.Name, &d.Description, &active, &steps, &d.CreatedBy, &created, &updated, &d.Version); err != nil {
		return d, err
	}
	d.Active, d.CreatedAt, d.UpdatedAt = active == 1, fromMicros(created), fromMicros(updated)
	return d, json.Unmarshal([]byte(steps), &d.Steps)
}

// Service returns one one-stop service.
func (db *DB) Service(ctx context.Context, id int64) (onestop.Definition, error) {
	d, err := scanService(db.queryRow(ctx, "SELECT "+serviceColumns+" FROM services WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return d, notFound("一件事服务", "service", id)
	}
	return d, wrap(err)
}

// Services lists the services f selects by id (the order admins
// defined them in), with the count of all of them. A bureau defines tens of
// services, so the unit and search filters read them all.
func (db *DB) Services(ctx context.Context, f onestop.DefinitionFilter) (register.Page[onestop.Definition], error) {
	zero := 0
	page := register.Page[onestop.Definition]{Items: []onestop.Definition{}, Total: &zero}
	var w where
	if f.Active != nil {
		w.add("active = ?", boolInt(*f.Active))
	}
	rows, err := db.query(ctx, "SELECT "+serviceColumns+" FROM services"+w.sql()+" ORDER BY id", w.args...)
	if err != nil {
		return page, wrap(err)
	}
	defer rows.Close()
	var all []onestop.Definition
	q := strings.TrimSpace(f.Query)
	for rows.Next() {
		d, err := scanService(rows)
		if err != nil {
			return page, wrap(err)
		}
		if f.Unit != "" && !slices.Contains(d.Units(), f.Unit) {
			continue
		}
		if q != "" && !strings.Contains(d.Name+"\n"+d.Code+"\n"+d.Description, q) {
			continue
		}
		all = append(all, d)
	}
	if err := rows.Err(); err != nil {
		return page, wrap(err)
	}
	total := len(all)
	page.Total = &total
	start := 0
	if f.Cursor != "" {
		var w where
		if err := afterIDCursor(&w, f.Cursor); err != nil {
			return page, err
		}
		after := w.args[0].(int64)
		for start < len(all) && all[start].ID <= after {
			start++
		}
	}
	// The cursor counts up here (services are listed oldest first), so it
	// holds the last id shown rather than afterIDCursor's bound.
	size := f.Size(50, 100)
	end := min(start+size, len(all))
	page.Items = append(page.Items, all[start:end]...)
	if end < len(all) {
		page.NextCursor = idCursor(all[end-1].ID)
	}
	return page, nil
}

const caseColumns = `id, service_id, service_code, service_name, unit, applicant_name, applicant_phone,
	applicant_id_number, status, step, proxy, green, late, opened_on, done_on, cancelled_on, cancel_reason, note,
	created_by, created_at, updated_at, version`

// CreateCase stores a new case, its steps, its search tokens, its counters
// and its opened event in one transaction.
func (db *DB) CreateCase(ctx context.Context, c *onestop.Case) error {
	terms := ledgerTerms(c.SearchText())
	return db.inTx(ctx, func(t tx) error {
		err := t.insertRow(ctx, `INSERT INTO cases(service_id, service_code, service_name, unit, applicant_name,
			applicant_phone, applicant_id_number, status, step, step_unit, step_due_at, proxy, green, late, opened_on,
			done_on, cancelled_on, cancel_reason, note, created_by, created_at, updated_at, version)
			VALUES (`+placeholders(23)+`) RETURNING id`,
			c.Service, c.ServiceCode, c.ServiceName, c.Unit, c.Applicant.Name, c.Applicant.Phone, c.Applicant.IDNumber,
			string(c.Status), c.Step, c.StepUnit(), microsOrZero(c.StepDue()), c.Proxy, string(c.Green), boolInt(c.Late),
			c.OpenedOn, c.DoneOn, c.CancelledOn, c.CancelReason, c.Note, c.CreatedBy, micros(c.CreatedAt),
			micros(c.UpdatedAt), 1).Scan(&c.ID)
		if err != nil {
			return wrap(err)
		}
		c.Version = 1
		if err := t.recordFormOf(ctx, c.Form, onestop.Register, c.ID, c.CreatedAt); err != nil {
			return err
		}
		for i, s := range c.Steps {
			materials, _ := json.Marshal(nonNil(s.Materials))
			received, _ := json.Marshal(nonNil(s.Received))
			if _, err := t.exec(ctx, `INSERT INTO case_steps(case_id, pos, name, unit, materials, limit_days, received,
				started_at, due_at, finished_at, finished_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.ID, i, s.Name, s.Unit, string(materials), s.LimitDays, string(received), microsOrZero(s.StartedAt),
				microsOrZero(s.DueAt), microsOrZero(s.FinishedAt), s.FinishedBy); err != nil {
				return wrap(err)
			}
		}
		if err := insertTerms(ctx, t, "case_terms", "case_id", c.ID, terms); err != nil {
			return err
		}
		if err := addCaseTallies(ctx, t, onestop.TallyDelta(nil, onestop.TallyOf(*c))); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{c.Opened()})
	})
}

// CreateCases stores every case as CreateCase does, in its state after
// history (the events of its lifecycle decided before it had an id, whose
// record is filled in here), followed by them, in one transaction: the
// load generator's door.
func (db *DB) CreateCases(ctx context.Context, cs []*onestop.Case, history [][]eventlog.Event) error {
	return db.createAll(ctx, len(cs), func(ctx context.Context, t tx, i int) error {
		if err := db.CreateCase(ctx, cs[i]); err != nil {
			return err
		}
		return appendHistory(ctx, t, cs[i].ID, history[i])
	}, nil)
}

// UpdateCase stores c over version, its steps, search tokens and counters
// (the old contribution out, the new in), its events and the notices the
// first of them causes, in one transaction; a version changed meanwhile
// is a conflict and writes nothing.
func (db *DB) UpdateCase(ctx context.Context, c *onestop.Case, version int, events []eventlog.Event, notices []archive.Notice) error {
	terms := ledgerTerms(c.SearchText())
	return db.inTx(ctx, func(t tx) error {
		before, err := scanCase(t.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE id = ?", c.ID))
		if err == sql.ErrNoRows {
			return notFound("一件事办件", "case", c.ID)
		} else if err != nil {
			return wrap(err)
		}
		if err := updateVersioned(ctx, t, `UPDATE cases SET applicant_name = ?, applicant_phone = ?, applicant_id_number = ?,
			status = ?, step = ?, step_unit = ?, step_due_at = ?, proxy = ?, green = ?, late = ?, done_on = ?,
			cancelled_on = ?, cancel_reason = ?, note = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?`,
			[]any{c.Applicant.Name, c.Applicant.Phone, c.Applicant.IDNumber, string(c.Status), c.Step, c.StepUnit(),
				microsOrZero(c.StepDue()), c.Proxy, string(c.Green), boolInt(c.Late), c.DoneOn, c.CancelledOn,
				c.CancelReason, c.Note, micros(c.UpdatedAt), version + 1, c.ID, version},
			func() error { return register.Stale(onestop.Noun) }); err != nil {
			return err
		}
		for i, s := range c.Steps {
			received, _ := json.Marshal(nonNil(s.Received))
			if _, err := t.exec(ctx, `UPDATE case_steps SET received = ?, started_at = ?, due_at = ?, finished_at = ?,
				finished_by = ? WHERE case_id = ? AND pos = ?`, string(received), microsOrZero(s.StartedAt),
				microsOrZero(s.DueAt), microsOrZero(s.FinishedAt), s.FinishedBy, c.ID, i); err != nil {
				return wrap(err)
			}
		}
		if err := writeTerms(ctx, t, "case_terms", "case_id", c.ID, terms); err != nil {
			return err
		}
		// The stored row knows the case's old contribution, with its steps'
		// units, which never change once the case is opened.
		before.Steps = c.Steps
		if err := addCaseTallies(ctx, t, onestop.TallyDelta(onestop.TallyOf(before), onestop.TallyOf(*c))); err != nil {
			return err
		}
		events = slices.Clone(events)
		if err := appendLog(ctx, t, events); err != nil {
			return err
		}
		if len(notices) > 0 && len(events) > 0 {
			if err := writeCaseNotices(ctx, t, events[0], notices); err != nil {
				return err
			}
		}
		c.Version = version + 1
		return nil
	})
}

// writeCaseNotices writes the SMS e causes, hanging off the logged event
// (its sequence number, register and record), and hands them to the job
// queue with the transaction, as the items' notices are.
func writeCaseNotices(ctx context.Context, t tx, e eventlog.Event, notices []archive.Notice) error {
	queued := boolInt(t.q != nil)
	written := micros(time.Now())
	for _, n := range notices {
		var id int64
		err := t.queryRow(ctx, `INSERT INTO notices(register, record_id, record, event_seq, kind, phone, body, display,
			queued, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.Register, e.RecordID, e.Record, e.Seq, n.Kind, n.Phone, n.Body, n.Display, queued, written).Scan(&id)
		if err != nil {
			return wrap(err)
		}
		t.p.jobs = append(t.p.jobs, Job{JobNotice, id})
	}
	return nil
}

// addCaseTallies adds each change to its row of the counters.
func addCaseTallies(ctx context.Context, t tx, delta []onestop.Contribution) error {
	for _, d := range delta {
		if err := addCaseTally(ctx, t, d.Key, d.Tally); err != nil {
			return err
		}
	}
	return nil
}

// addCaseTally adds n to the counters of k.
func addCaseTally(ctx context.Context, t tx, k onestop.TallyKey, n onestop.Tally) error {
	_, err := t.exec(ctx, `INSERT INTO case_tallies(unit, day, service_id, opened, done, proxy, green, cancelled, late)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(unit, day, service_id) DO UPDATE SET opened = case_tallies.opened + excluded.opened,
		done = case_tallies.done + excluded.done, proxy = case_tallies.proxy + excluded.proxy,
		green = case_tallies.green + excluded.green, cancelled = case_tallies.cancelled + excluded.cancelled,
		late = case_tallies.late + excluded.late`,
		k.Unit, k.Day, k.Service, n.Opened, n.Done, n.Proxy, n.Green, n.Cancelled, n.Late)
	return wrap(err)
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// microsOrZero is a time as stored, 0 for none.
func microsOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

func timeOrZero(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return fromMicros(us)
}

func scanCase(s scanner) (onestop.Case, error) {
	var c onestop.Case
	var status, green string
	var late int
	var created, updated int64
	err := s.Scan(&c.ID, &c.Service, &c.ServiceCode, &c.ServiceName, &c.Unit, &c.Applicant.Name, &c.Applicant.Phone,
		&c.Applicant.IDNumber, &status, &c.Step, &c.Proxy, &green, &late, &c.OpenedOn, &c.DoneOn, &c.CancelledOn,
		&c.CancelReason, &c.Note, &c.CreatedBy, &created, &updated, &c.Version)
	c.Status, c.Green, c.Late = onestop.Status(status), onestop.Green(green), late == 1
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// caseBriefColumns are the columns of a case Brief (onestop.Case.Brief),
// read with caseBriefJoin (its current step's as cur), in the order
// scanCaseBrief reads them.
const caseBriefColumns = `cases.id, service_name, cases.unit, applicant_name, applicant_phone, status, step, proxy, green,
	opened_on, done_on, cancelled_on, cancel_reason, cur.name, cur.unit, cur.due_at`

// caseBriefJoin joins each case to its current step (none past the last).
const caseBriefJoin = " LEFT JOIN case_steps cur ON cur.case_id = cases.id AND cur.pos = cases.step"

// scanCaseBrief reads a row of caseBriefColumns into a case Brief, by r,
// which holds the row's values (newAnyRow).
func scanCaseBrief(r *anyRow, s scanner) (onestop.Case, error) {
	if err := r.scan(s); err != nil {
		return onestop.Case{}, err
	}
	c := onestop.Case{ID: r.integer(0), ServiceName: r.text(1), Unit: r.text(2),
		Applicant: onestop.Applicant{Name: r.text(3), Phone: r.text(4)}, Status: onestop.Status(r.text(5)), Step: int(r.integer(6)),
		Proxy: r.text(7), Green: onestop.Green(r.text(8)), OpenedOn: r.text(9), DoneOn: r.text(10), CancelledOn: r.text(11),
		CancelReason: r.text(12)}
	if r.v[13] != nil && c.Step >= 0 { // a current step
		c.Steps = make([]onestop.CaseStep, c.Step+1)
		c.Steps[c.Step] = onestop.CaseStep{Step: onestop.Step{Name: r.text(13), Unit: r.text(14)}, DueAt: timeOrZero(r.integer(15))}
	}
	return c, r.err
}

// Case returns one case with its steps.
func (db *DB) Case(ctx context.Context, id int64) (onestop.Case, error) {
	c, err := scanCase(db.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return c, notFound("一件事办件", "case", id)
	} else if err != nil {
		return c, wrap(err)
	}
	cs := []onestop.Case{c}
	if err := db.caseSteps(ctx, cs); err != nil {
		return c, err
	}
	return cs[0], nil
}

// caseSteps fills in the steps of cs, a page at most.
func (db *DB) caseSteps(ctx context.Context, cs []onestop.Case) error {
	if len(cs) == 0 {
		return nil
	}
	at := map[int64]*onestop.Case{}
	ids := make([]any, len(cs))
	for i := range cs {
		at[cs[i].ID], ids[i] = &cs[i], cs[i].ID
	}
	rows, err := db.query(ctx, `SELECT case_id, name, unit, materials, limit_days, received, started_at, due_at,
		finished_at, finished_by FROM case_steps WHERE case_id IN (`+placeholders(len(ids))+`) ORDER BY case_id, pos`, ids...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s onestop.CaseStep
		var materials, received string
		var started, due, finished int64
		if err := rows.Scan(&id, &s.Name, &s.Unit, &materials, &s.LimitDays, &received, &started, &due, &finished, &s.FinishedBy); err != nil {
			return wrap(err)
		}
		if err := json.Unmarshal([]byte(materials), &s.Materials); err != nil {
			return wrap(err)
		}
		if err := json.Unmarshal([]byte(received), &s.Received); err != nil {
			return wrap(err)
		}
		s.StartedAt, s.DueAt, s.FinishedAt = timeOrZero(started), timeOrZero(due), timeOrZero(finished)
		at[id].Steps = append(at[id].Steps, s)
	}
	return wrap(rows.Err())
}

// Cases lists the cases f selects, newest first, with the count of all of
// them.
func (db *DB) Cases(ctx context.Context, f onestop.Filter) (register.Page[onestop.Case], error) {
	zero := 0
	page := register.Page[onestop.Case]{Items: []onestop.Case{}, Total: &zero}
	limit := f.Size(20, 100)
	w := caseConds(f)
	// The total is counted the cheapest way: a search from its tokens, up
	// to the cap (db.searchList: when more match, the page reads the cases
	// newest first testing each, rather than gathering every match); the
	// visibility alone from the two indexes it names; a list the counters
	// answer (caseTallyTotal) from them, a few thousand rows of unit, day
	// and service however many cases there are; anything else row by row.
	table := "cases"
	var total int
	var err error
	if strings.TrimSpace(f.Query) != "" && (f.See != "" || f.Proxied != "") {
		total, page.TotalCapped, err = db.searchSeen(ctx, &w, f.Query, f.See, f.Proxied)
	} else if strings.TrimSpace(f.Query) != "" {
		total, page.TotalCapped, err = db.searchList(ctx, &w, f.Query, caseSearch)
	} else if len(w.conds) == 1 && (f.See != "" || f.Proxied != "") {
		// The visibility alone is counted from the two indexes it names,
		// one range each, rather than by a test of every case.
		err = db.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT case_id FROM case_steps WHERE unit = ?
			UNION SELECT id FROM cases WHERE proxy = ? AND proxy <> '') v`, f.See, f.Proxied).Scan(&total)
		err = wrap(err)
	} else if n, ok, terr := db.caseTallyTotal(ctx, f); ok || terr != nil {
		total, err = n, terr
	} else if n, ok, terr := db.caseOverdueTotal(ctx, f); ok || terr != nil {
		total, err = n, terr
	} else {
		total, err = db.ledgerCount(ctx, "cases", w)
	}
	if err != nil {
		return page, err
	}
	// A filter without words that selects at least one case in 200 fills a
	// page within about 4,000 cases read newest first.
	if all, ok, aerr := db.caseTallyTotal(ctx, onestop.Filter{}); aerr == nil && ok && len(w.conds) > 0 &&
		strings.TrimSpace(f.Query) == "" && total*200 >= all {
		table += db.dialect.byIDIndex
	}
	page.Total = &total
	items, next, err := newestFirst(ctx, db, caseColumns, table, w, f.Cursor, limit, scanCase,
		func(last onestop.Case) int64 { return last.ID })
	if err != nil {
		return page, err
	}
	page.Items, page.NextCursor = items, next
	return page, db.caseSteps(ctx, page.Items)
}

// caseConds are the conditions of f's fields but its search words: the
// visibility first (searchSeen counts on it), then the others.
func caseConds(f onestop.Filter) where {
	var w where
	if f.See != "" || f.Proxied != "" {
		// Tested per row (a page reads about 20 ÷ share rows newest first),
		// not as an IN list, which would read every case of the unit. No
		// proxy named is none (proxy = '' would be every other case), as
		// the count of the visibility alone has it.
		w.add("(EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = cases.id AND s.unit = ?) OR (proxy = ? AND proxy > ''))",
			f.See, f.Proxied)
	}
	if f.Service != 0 {
		w.add("service_id = ?", f.Service)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if f.Unit != "" {
		w.add("step_unit = ?", f.Unit)
	}
	for _, b := range []struct {
		v    *bool
		col  string
		none string
	}{{f.Proxy, "proxy", "''"}, {f.Green, "green", "''"}} {
		switch {
		case b.v == nil:
		case *b.v:
			// > rather than <>: one range of the column's index.
			w.add(b.col + " > " + b.none)
		default:
			w.add(b.col + " = " + b.none)
		}
	}
	if f.Overdue {
		w.add("status = ? AND step_due_at > 0 AND step_due_at < ?", string(onestop.StatusOpen), micros(f.Now))
	}
	if f.From != "" {
		w.add("opened_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("opened_on <= ?", f.To)
	}
	if f.DoneFrom != "" {
		w.add("done_on >= ?", f.DoneFrom)
	}
	if f.DoneTo != "" {
		w.add("done_on <= ? AND done_on <> ''", f.DoneTo)
	}
	return w
}

// EachCase calls fn with every case f selects, with its steps, in the order
// filed (by id, eachFiled): an export of a year's cases (the ledgers'
// workbook), their ids by the index of the day opened, then the cases a
// chunk of ids at a time, with their steps by one more query, or Brief
// (f.Brief) with only the current step by one join. f's search words, page
// and cursor are not for it; fn's error, or a cancelled ctx, ends the
// reading.
func (db *DB) EachCase(ctx context.Context, f onestop.Filter, fn func(onestop.Case) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	w := caseConds(f)
	brief := newAnyRow(16)
	return db.eachFiled(ctx, "SELECT id FROM cases"+w.sql(), w.args, func(ids []int64) error {
		c := w.clone()
		c.ids(&db.dialect, "cases.id", ids)
		if f.Brief {
			return each(ctx, db, "SELECT "+caseBriefColumns+" FROM cases"+db.dialect.byIDIndex+caseBriefJoin+c.sql()+" ORDER BY cases.id", c.args,
				func(s scanner) (onestop.Case, error) { return scanCaseBrief(brief, s) }, fn)
		}
		cs, err := list(ctx, db, "SELECT "+caseColumns+" FROM cases"+db.dialect.byIDIndex+c.sql()+" ORDER BY id", scanCase, c.args...)
		if err != nil {
			return err
		}
		if err := db.caseSteps(ctx, cs); err != nil {
			return err
		}
		for _, one := range cs {
			if err := fn(one); err != nil {
				return err
			}
		}
		return nil
	})
}

// caseSearch is the one-stop cases' full-text search; its other filters
// read an index of the cases, but for the visibility (searchSeen).
var caseSearch = termSearch{"cases", "case_terms", "case_id", true}

// searchSeen is searchList for a reader narrowed to the cases with a step of
// unit or handled by proxied, w the list's filter with that visibility as
// its first condition (two arguments). Such a search's matches are the
// intersection of two lists that may each be half the register (新生儿落户
// for a station whose 500,000 cases are all ID cards: each case with the
// words was fetched to test its steps, 0.4–3.4 s on SQLite at 1,000,000
// cases, 4.7 s on PostgreSQL), so they are found from the smaller side,
// each side counted up to one more than the cap, one short range of an
// index: the rarest token's postings when few, each tested for the unit's
// step through case_steps_unit; else the unit's cases and the proxy's when
// few, each tested for the tokens; else both lists, sorted by case in
// their indexes, merged (SQLite's compound INTERSECT with ORDER BY merges
// them; PostgreSQL's planner merges the semi-join) with the proxy's cases
// added, which reads each list once rather than probing one per entry of
// the other — unless the proxy's matches alone pass the cap.
func (db *DB) searchSeen(ctx context.Context, w *where, q, unit, proxied string) (total int, capped bool, err error) {
	terms := textsearch.Query(q)
	if len(terms) == 0 {
		w.add("1 = 0")
		return 0, false, nil
	}
	terms, fewest, err := db.rarestFirst(ctx, caseSearch, terms)
	if err != nil {
		return 0, false, err
	}
	most := db.searchTotalCap()
	// Every other token and filter is tested per candidate: the filters
	// through the case's row (its key), the tokens through theirs.
	rest := where{conds: w.conds[1:], args: w.args[2:]}
	test := func(query string, args []any, from int) (string, []any) {
		query = "SELECT m.id FROM (" + query + ") m"
		var conds []string
		for _, term := range terms[from:] {
			conds = append(conds, "EXISTS (SELECT 1 FROM case_terms t WHERE t.term = ? AND t.case_id = m.id)")
			args = append(args, term)
		}
		if len(rest.conds) > 0 {
			conds = append(conds, "EXISTS (SELECT 1 FROM cases WHERE cases.id = m.id AND "+strings.Join(rest.conds, " AND ")+")")
			args = append(args, rest.args...)
		}
		if len(conds) > 0 {
			query += " WHERE " + strings.Join(conds, " AND ")
		}
		return query, args
	}
	proxies := "SELECT id FROM cases WHERE proxy = ? AND proxy > ''"
	stepOf := "SELECT 1 FROM case_steps s WHERE s.unit = ? AND s.case_id = "
	var query string
	var args []any
	if fewest <= most {
		query, args = test(`SELECT t0.case_id AS id FROM case_terms t0 WHERE t0.term = ? AND (EXISTS (`+stepOf+`t0.case_id)
			OR EXISTS (SELECT 1 FROM cases p WHERE p.id = t0.case_id AND p.proxy = ? AND p.proxy > ''))`,
			[]any{terms[0], unit, proxied}, 1)
		return db.countMatches(ctx, w, query, args, terms, caseSearch)
	}
	var mine int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM case_steps WHERE unit = ? LIMIT ?) u", unit, most+1).Scan(&mine); err != nil {
		return 0, false, wrap(err)
	}
	if mine > most && proxied != "" {
		// The proxy's matches alone may pass the cap (an officer handles
		// thousands of cases): then the lists need not be merged.
		var n int
		query, args = test(proxies+" AND EXISTS (SELECT 1 FROM case_terms WHERE term = ? AND case_id = cases.id)",
			[]any{proxied, terms[0]}, 1)
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM ("+query+" LIMIT ?) p", append(args, most+1)...).Scan(&n); err != nil {
			return 0, false, wrap(err)
		}
		if n > most {
			probeTerms(w, terms, "case_terms", "case_id", "cases.id")
			return most, true, nil
		}
	}
	switch {
	case mine <= most:
		query, args = test("SELECT case_id AS id FROM case_steps WHERE unit = ? UNION "+proxies, []any{unit, proxied}, 0)
	case db.dialect.name == "sqlite":
		query, args = test(`SELECT case_id AS id FROM case_terms WHERE term = ? INTERSECT SELECT case_id FROM case_steps WHERE unit = ?
			UNION `+proxies+` AND EXISTS (SELECT 1 FROM case_terms WHERE term = ? AND case_id = cases.id) ORDER BY 1`,
			[]any{terms[0], unit, proxied, terms[0]}, 1)
	default:
		query, args = test(`SELECT t0.case_id AS id FROM case_terms t0 WHERE t0.term = ? AND EXISTS (`+stepOf+`t0.case_id)
			UNION `+proxies+` AND EXISTS (SELECT 1 FROM case_terms WHERE term = ? AND case_id = cases.id)`,
			[]any{terms[0], unit, proxied, terms[0]}, 1)
	}
	return db.countMatches(ctx, w, query, args, terms, caseSearch)
}

// caseTallyTotal counts the cases of a list from the counters
// (case_tallies, onestop.TallyOf) when they answer f exactly — no words,
// no overdue, no current step's unit, no reader narrowed to their unit's
// cases; a service, a status, the green channel without a status, and
// handled by a proxy only among the done (what the counters count), with
// days opened only for every case or the green channel (counted on the day
// opened) — and says ok. At 1,000,000 cases a count row by row reads up to
// every case (status=done: 850,000 index entries); the counters are two
// units × six years of days × two services.
func (db *DB) caseTallyTotal(ctx context.Context, f onestop.Filter) (n int, ok bool, err error) {
	if f.See != "" || f.Proxied != "" || f.Overdue || f.Unit != "" || strings.TrimSpace(f.Query) != "" {
		return 0, false, nil
	}
	sum := map[onestop.Status]string{"": "opened", onestop.StatusOpen: "opened - done - cancelled",
		onestop.StatusDone: "done", onestop.StatusCancelled: "cancelled"}[f.Status]
	switch {
	case sum == "":
		return 0, false, nil // a status the counters do not know: counted (as none) row by row
	case f.Proxy != nil && (!*f.Proxy || f.Status != onestop.StatusDone):
		return 0, false, nil
	case f.Proxy != nil:
		sum = "proxy"
	}
	if f.Green != nil {
		if f.Status != "" || f.Proxy != nil {
			return 0, false, nil
		}
		if sum = "green"; !*f.Green {
			sum = "opened - green"
		}
	}
	// The counters count done and cancelled on the day they happened
	// (onestop.TallyOf); the list's days are the days opened, so only the
	// figures of the day opened answer a list with days opened, and only
	// done (and proxy, counted when done) a list with days done.
	from, to := f.From, f.To
	switch {
	case f.DoneFrom != "" || f.DoneTo != "":
		if from != "" || to != "" || (sum != "done" && sum != "proxy") {
			return 0, false, nil
		}
		from, to = f.DoneFrom, f.DoneTo
	case (from != "" || to != "") && sum != "opened" && sum != "green" && sum != "opened - green":
		return 0, false, nil
	}
	var w where
	if f.Service != 0 {
		w.add("service_id = ?", f.Service)
	}
	if from != "" {
		w.add("day >= ?", from)
	}
	if to != "" {
		w.add("day <= ?", to)
	}
	var total sql.NullInt64
	if err := db.queryRow(ctx, "SELECT SUM("+sum+") FROM case_tallies"+w.sql(), w.args...).Scan(&total); err != nil {
		return 0, false, wrap(err)
	}
	return int(total.Int64), true, nil
}

// caseOverdueTotal counts the overdue cases when that is the list's only
// filter, and says ok: the open cases (from the counters) less the open
// ones not past their step's due time, two short ranges of cases_open_due
// (the open cases by due time). Nearly every open case of a large register is
// overdue (98,601 of 100,295 at 1,000,000 cases), so counting them would
// read every open case; their complement is the few not yet due.
func (db *DB) caseOverdueTotal(ctx context.Context, f onestop.Filter) (n int, ok bool, err error) {
	alone := f
	alone.Overdue, alone.Now, alone.Filter = false, time.Time{}, register.Filter{}
	if !f.Overdue || alone != (onestop.Filter{}) || strings.TrimSpace(f.Query) != "" {
		return 0, false, nil
	}
	open, ok, err := db.caseTallyTotal(ctx, onestop.Filter{Status: onestop.StatusOpen})
	if !ok || err != nil {
		return 0, false, err
	}
	// status = 'open' as written, not a parameter: SQLite reads a partial
	// index only for a query that names its condition.
	var due int
	from := "SELECT COUNT(*) FROM cases" + db.dialect.casesOpenDueIndex + " WHERE status = 'open' AND "
	err = db.queryRow(ctx, "SELECT ("+from+"step_due_at <= 0) + ("+from+"step_due_at >= ?)", micros(f.Now)).Scan(&due)
	return open - due, true, wrap(err)
}

// CaseEvents returns a case's events from the log, oldest first (the index
// on events(register, record_id, seq) reads them in order).
func (db *DB) CaseEvents(ctx context.Context, id int64) ([]eventlog.Event, error) {
	return db.recordEvents(ctx, onestop.Register, id)
}

// recordEvents returns the events of one record of a register from the
// log, oldest first.
func (db *DB) recordEvents(ctx context.Context, register string, id int64) ([]eventlog.Event, error) {
	rows, err := db.query(ctx, "SELECT "+eventColumns+" FROM events WHERE register = ? AND record_id = ? ORDER BY seq",
		register, id)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []eventlog.Event{}
	for rows.Next() {
		e, err := scanLogEvent(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, e)
	}
	return out, wrap(rows.Err())
}

// CaseFigures counts f's period for f's units from the counters
// (onestop.TallyOf: opened, green channel and late on the day opened for the
// unit that opened the case; done and proxy on the day done for the unit
// that completed it; cancelled on the day cancelled for the step's unit),
// and the open cases opened in the period past their step's due time now
// that no finished step made late already.
func (db *DB) CaseFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"opened": 0, "done": 0, "proxy": 0, "green_channel": 0, "cancelled": 0, "overdue": 0}
	// Every service's keys, zero included, so that a campaign may target a
	// service's figures before its first case of the period.
	codes, err := db.query(ctx, "SELECT code FROM services")
	if err != nil {
		return nil, wrap(err)
	}
	defer codes.Close()
	for codes.Next() {
		var code string
		if err := codes.Scan(&code); err != nil {
			return nil, wrap(err)
		}
		out["opened_"+code], out["done_"+code], out["proxy_"+code] = 0, 0, 0
	}
	if err := codes.Err(); err != nil {
		return nil, wrap(err)
	}
	codes.Close()
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := periodWhere(f, "t.day", "t.unit")
	rows, err := db.query(ctx, `SELECT s.code, SUM(t.opened), SUM(t.done), SUM(t.proxy), SUM(t.green), SUM(t.cancelled),
		SUM(t.late) FROM case_tallies t JOIN services s ON s.id = t.service_id`+w.sql()+` GROUP BY s.code`, w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var opened, done, proxy, green, cancelled, late int64
		if err := rows.Scan(&code, &opened, &done, &proxy, &green, &cancelled, &late); err != nil {
			return nil, wrap(err)
		}
		out["opened"] += opened
		out["done"] += done
		out["proxy"] += proxy
		out["green_channel"] += green
		out["cancelled"] += cancelled
		out["overdue"] += late
		out["opened_"+code], out["done_"+code], out["proxy_"+code] = opened, done, proxy
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err)
	}
	rows.Close()
	w = periodWhere(f, "opened_on", "unit")
	w.add("status = ? AND late = 0 AND step_due_at > 0 AND step_due_at < ?", string(onestop.StatusOpen), micros(f.Now))
	var n int64
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM cases"+db.dialect.casesOpenIndex+w.sql(), w.args...).Scan(&n); err != nil {
		return nil, wrap(err)
	}
	out["overdue"] += n
	return out, nil
}
