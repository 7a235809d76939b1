package store

import (
	"context"
	"database/sql"
	"strings"

	"minyi"
	"minyi/eventlog"
	"minyi/measure"
	"minyi/register"
	"minyi/reporting"
)

var _ measure.Store = (*DB)(nil)

const measureColumns = `id, title, unit_code, branch_code, changes, status, researched_on, implemented_on,
	withdrawn_on, withdraw_reason, created_by, created_at, updated_at, version, campaign_id`

// CreateMeasure stores a new measure, its links to items and matters, its
// search terms and its created event in one transaction.
func (db *DB) CreateMeasure(ctx context.Context, m *measure.Measure) error {
	terms := ledgerTerms(m.SearchText()) // tokenising is slow: before taking the writer
	return db.inTx(ctx, func(t tx) error {
		err := t.insertRow(ctx, `INSERT INTO measures(title, unit_code, branch_code, changes, status, researched_on,
			implemented_on, withdrawn_on, withdraw_reason, created_by, created_at, updated_at, version, campaign_id)
			VALUES (`+placeholders(14)+`) RETURNING id`,
			m.Title, m.Unit, m.Branch, m.Changes, string(m.Status), m.ResearchedOn, m.ImplementedOn, m.WithdrawnOn,
			m.WithdrawReason, m.CreatedBy, micros(m.CreatedAt), micros(m.UpdatedAt), 1, nullID(m.Campaign)).Scan(&m.ID)
		if err != nil {
			return wrap(err)
		}
		m.Version = 1
		if err := t.recordFormOf(ctx, m.Form, measure.Register, m.ID, m.CreatedAt); err != nil {
			return err
		}
		if err := writeMeasureLinks(ctx, t, m, terms); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{m.Created()})
	})
}

// UpdateMeasure stores m, read at version, and its events in one
// transaction; a stale version is a conflict and writes nothing.
func (db *DB) UpdateMeasure(ctx context.Context, m *measure.Measure, version int, events []eventlog.Event) error {
	terms := ledgerTerms(m.SearchText())
	return db.inTx(ctx, func(t tx) error {
		err := updateVersioned(ctx, t, `UPDATE measures SET title = ?, unit_code = ?, branch_code = ?, changes = ?, status = ?,
			researched_on = ?, implemented_on = ?, withdrawn_on = ?, withdraw_reason = ?, updated_at = ?, version = ?,
			campaign_id = ? WHERE id = ? AND version = ?`,
			[]any{m.Title, m.Unit, m.Branch, m.Changes, string(m.Status), m.ResearchedOn, m.ImplementedOn, m.WithdrawnOn,
				m.WithdrawReason, micros(m.UpdatedAt), version + 1, nullID(m.Campaign), m.ID, version},
			func() error {
				var v int
				if err := t.queryRow(ctx, "SELECT version FROM measures WHERE id = ?", m.ID).Scan(&v); err == sql.ErrNoRows {
					return notFound("便民措施", "measure", m.ID)
				}
				return register.Stale(measure.Noun)
			})
		if err != nil {
			return err
		}
		for _, table := range []string{"measure_items", "measure_matters", "measure_terms"} {
			if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE measure_id = ?", m.ID); err != nil {
				return wrap(err)
			}
		}
		if err := writeMeasureLinks(ctx, t, m, terms); err != nil {
			return err
		}
		m.Version = version + 1
		return appendLog(ctx, t, events)
	})
}

// writeMeasureLinks writes m's item and matter links and replaces its
// search terms.
func writeMeasureLinks(ctx context.Context, t tx, m *measure.Measure, terms []string) error {
	for i, number := range m.Items {
		if _, err := t.exec(ctx, "INSERT INTO measure_items(measure_id, item_number, ord) VALUES (?, ?, ?)", m.ID, number, i); err != nil {
			return wrap(err)
		}
	}
	for i, id := range m.Matters {
		if _, err := t.exec(ctx, "INSERT INTO measure_matters(measure_id, matter_id, ord) VALUES (?, ?, ?)", m.ID, id, i); err != nil {
			return wrap(err)
		}
	}
	return insertTerms(ctx, t, "measure_terms", "measure_id", m.ID, terms)
}

func scanMeasure(s scanner) (measure.Measure, error) {
	var m measure.Measure
	var status string
	var created, updated int64
	var campaign sql.NullInt64
	err := s.Scan(&m.ID, &m.Title, &m.Unit, &m.Branch, &m.Changes, &status, &m.ResearchedOn, &m.ImplementedOn,
		&m.WithdrawnOn, &m.WithdrawReason, &m.CreatedBy, &created, &updated, &m.Version, &campaign)
	m.Campaign = campaign.Int64
	m.Status, m.CreatedAt, m.UpdatedAt = measure.Status(status), fromMicros(created), fromMicros(updated)
	m.Items, m.Matters = []string{}, []int64{}
	return m, err
}

// Measure returns one measure with its items and matters.
func (db *DB) Measure(ctx context.Context, id int64) (measure.Measure, error) {
	m, err := scanMeasure(db.queryRow(ctx, "SELECT "+measureColumns+" FROM measures WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return m, notFound("便民措施", "measure", id)
	} else if err != nil {
		return m, wrap(err)
	}
	ms := []measure.Measure{m}
	if err := db.measureLinks(ctx, ms); err != nil {
		return m, err
	}
	return ms[0], nil
}

// measureLinks fills in the items and matters of ms, a page at most.
func (db *DB) measureLinks(ctx context.Context, ms []measure.Measure) error {
	if len(ms) == 0 {
		return nil
	}
	at := map[int64]*measure.Measure{}
	ids := make([]any, len(ms))
	for i := range ms {
		at[ms[i].ID], ids[i] = &ms[i], ms[i].ID
	}
	in := " IN (" + placeholders(len(ids)) + ") ORDER BY measure_id, ord"
	rows, err := db.query(ctx, "SELECT measure_id, item_number FROM measure_items WHERE measure_id"+in, ids...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var number string
		if err := rows.Scan(&id, &number); err != nil {
			return wrap(err)
		}
		at[id].Items = append(at[id].Items, number)
	}
	if err := rows.Err(); err != nil {
		return wrap(err)
	}
	rows.Close()
	mrows, err := db.query(ctx, "SELECT measure_id, matter_id FROM measure_matters WHERE measure_id"+in, ids...)
	if err != nil {
		return wrap(err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var id, matter int64
		if err := mrows.Scan(&id, &matter); err != nil {
			return wrap(err)
		}
		at[id].Matters = append(at[id].Matters, matter)
	}
	return wrap(mrows.Err())
}

// Measures lists the measures f selects, newest first, with the count of
// all of them.
func (db *DB) Measures(ctx context.Context, f measure.Filter) (register.Page[measure.Measure], error) {
	zero := 0
	page := register.Page[measure.Measure]{Items: []measure.Measure{}, Total: &zero}
	limit := f.Size(20, 100)
	w, ok := measureWhere(f)
	if !ok {
		return page, nil
	}
	total, capped, err := db.countList(ctx, &w, f.Query, termSearch{"measures", "measure_terms", "measure_id", false})
	if err != nil {
		return page, err
	}
	page.Total, page.TotalCapped = &total, capped
	items, next, err := newestFirst(ctx, db, measureColumns, "measures", w, f.Cursor, limit, scanMeasure,
		func(last measure.Measure) int64 { return last.ID })
	if err != nil {
		return page, err
	}
	page.Items, page.NextCursor = items, next
	return page, db.measureLinks(ctx, page.Items)
}

// measureWhere are the conditions of f's fields but its search words;
// false when f's visibility allows no unit.
func measureWhere(f measure.Filter) (where, bool) {
	var w where
	if f.Units != nil {
		if len(f.Units) == 0 {
			return w, false
		}
		w.in("unit_code", f.Units)
	}
	for _, c := range []struct{ col, v string }{{"status", string(f.Status)}, {"unit_code", f.Unit}, {"branch_code", f.Branch}} {
		if c.v != "" {
			w.add(c.col+" = ?", c.v)
		}
	}
	campaignWhere(&w, "campaign_id", f.Campaign)
	if f.From != "" {
		w.add("implemented_on >= ?", f.From)
	}
	if f.To != "" {
		w.add("implemented_on <= ? AND implemented_on <> ''", f.To)
	}
	return w, true
}

// EachMeasure calls fn with every measure f selects, with its links,
// oldest first (by id), read a thousand at a time (eachByID) rather than
// the list's pages of 100 newest first each with its count: an export of
// a year's measures (the ledgers' workbook). f's search words, page and
// cursor are not for it.
func (db *DB) EachMeasure(ctx context.Context, f measure.Filter, fn func(measure.Measure) error) error {
	if strings.TrimSpace(f.Query) != "" {
		return minyi.Invalid("q", "逐条导出不提供全文检索", "a search is not read whole")
	}
	w, ok := measureWhere(f)
	if !ok {
		return nil
	}
	return eachByID(ctx, db, measureColumns, "measures", w, scanMeasure, db.measureLinks, fn)
}

// MeasureFigures counts the measures of f's units: researched (recorded
// in f's period, whatever became of them), implemented (by the day of
// implementation) and withdrawn (by the day of withdrawal).
func (db *DB) MeasureFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"researched": 0, "implemented": 0, "withdrawn": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	for key, day := range map[string]string{"researched": "researched_on", "implemented": "implemented_on", "withdrawn": "withdrawn_on"} {
		w := periodWhere(f, day, "unit_code")
		w.add(day + " <> ''")
		campaignWhere(&w, "campaign_id", f.Campaign)
		var n int64
		if err := db.queryRow(ctx, "SELECT COUNT(*) FROM measures"+w.sql(), w.args...).Scan(&n); err != nil {
			return nil, wrap(err)
		}
		out[key] = n
	}
	return out, nil
}
