package store

import (
	"context"
	"database/sql"

	"minyi"
	"minyi/eventlog"
	"minyi/indicator"
	"minyi/register"
)

var _ indicator.Store = (*DB)(nil)

const definitionColumns = `code, name, name_en, measure, aggregation, active, created_at, updated_at, version`

const entryColumns = `id, indicator, unit, month, value, note, supersedes, superseded_by, created_by, created_at`

func scanDefinition(s scanner) (indicator.Definition, error) {
	var d indicator.Definition
	var agg string
	var active, created, updated int64
	err := s.Scan(&d.Code, &d.Name, &d.NameEn, &d.Measure, &agg, &active, &created, &updated, &d.Version)
	d.Aggregation, d.Active, d.CreatedAt, d.UpdatedAt = indicator.Aggregation(agg), active != 0, fromMicros(created), fromMicros(updated)
	return d, err
}

func scanEntry(s scanner) (indicator.Entry, error) {
	var e indicator.Entry
	var supersededBy, created int64
	err := s.Scan(&e.ID, &e.Indicator, &e.Unit, &e.Month, &e.Value, &e.Note, &e.Supersedes, &supersededBy, &e.CreatedBy, &created)
	e.Current, e.CreatedAt = supersededBy == 0, fromMicros(created)
	return e, err
}

// CreateDefinition stores an indicator definition with its defined event
// in one transaction; a code already defined is a conflict.
func (db *DB) CreateDefinition(ctx context.Context, d *indicator.Definition, actor string) error {
	return db.inTx(ctx, func(t tx) error {
		d.Version = 1
		_, err := t.exec(ctx, `INSERT INTO indicator_definitions(code, name, name_en, measure, aggregation, active, created_at,
			updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Code, d.Name, d.NameEn, d.Measure, string(d.Aggregation),
			boolInt(d.Active), micros(d.CreatedAt), micros(d.UpdatedAt), d.Version)
		if isUniqueViolation(err) {
			return duplicate("code", "指标代码")
		}
		if err != nil {
			return wrap(err)
		}
		return appendLog(ctx, t, []eventlog.Event{d.Defined(actor)})
	})
}

// UpdateDefinition stores d over version with its changed event, in one
// transaction; a version changed meanwhile is a conflict and writes
// nothing.
func (db *DB) UpdateDefinition(ctx context.Context, d *indicator.Definition, version int, actor string, before indicator.Definition) error {
	e, changed := d.Changed(before, actor)
	return db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `UPDATE indicator_definitions SET name = ?, name_en = ?, measure = ?, aggregation = ?,
			active = ?, updated_at = ?, version = ? WHERE code = ? AND version = ?`, d.Name, d.NameEn, d.Measure, string(d.Aggregation),
			boolInt(d.Active), micros(d.UpdatedAt), version+1, d.Code, version)
		if err != nil {
			return wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrap(err)
		} else if n == 0 {
			return register.Stale(indicator.Noun)
		}
		if changed {
			if err := appendLog(ctx, t, []eventlog.Event{e}); err != nil {
				return err
			}
		}
		d.Version = version + 1
		return nil
	})
}

// Definition returns one indicator definition.
func (db *DB) Definition(ctx context.Context, code string) (indicator.Definition, error) {
	d, err := scanDefinition(db.queryRow(ctx, "SELECT "+definitionColumns+" FROM indicator_definitions WHERE code = ?", code))
	if err == sql.ErrNoRows {
		return d, notFound("工作指标", "indicator", code)
	}
	return d, wrap(err)
}

// Definitions returns every indicator definition, by code.
func (db *DB) Definitions(ctx context.Context) ([]indicator.Definition, error) {
	rows, err := db.query(ctx, "SELECT "+definitionColumns+" FROM indicator_definitions ORDER BY code")
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []indicator.Definition{}
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, d)
	}
	return out, wrap(rows.Err())
}

// CreateEntry stores an entry and its entered event in one transaction,
// superseding the current entry of its indicator, unit and month. Two
// entries sent at once for the same month: the unique index on the current
// entry lets one win, the other is a conflict and writes nothing.
func (db *DB) CreateEntry(ctx context.Context, e *indicator.Entry) error {
	return db.inTx(ctx, func(t tx) error {
		e.Supersedes, e.Current = 0, true
		err := t.queryRow(ctx, "SELECT id FROM indicator_entries WHERE indicator = ? AND unit = ? AND month = ? AND superseded_by = 0",
			e.Indicator, e.Unit, e.Month).Scan(&e.Supersedes)
		if err != nil && err != sql.ErrNoRows {
			return wrap(err)
		}
		if e.Supersedes != 0 {
			// Marked first with a placeholder (-1) so that the new row may
			// take the current place; the real id replaces it below.
			res, err := t.exec(ctx, "UPDATE indicator_entries SET superseded_by = -1 WHERE id = ? AND superseded_by = 0", e.Supersedes)
			if err != nil {
				return wrap(err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return wrap(err)
			} else if n == 0 {
				return entryConflict()
			}
		}
		err = t.insertRow(ctx, `INSERT INTO indicator_entries(indicator, unit, month, value, note, supersedes, superseded_by,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id`, e.Indicator, e.Unit, e.Month, e.Value,
			e.Note, e.Supersedes, e.CreatedBy, micros(e.CreatedAt)).Scan(&e.ID)
		if isUniqueViolation(err) {
			return entryConflict()
		}
		if err != nil {
			return wrap(err)
		}
		if e.Supersedes != 0 {
			if _, err := t.exec(ctx, "UPDATE indicator_entries SET superseded_by = ? WHERE id = ?", e.ID, e.Supersedes); err != nil {
				return wrap(err)
			}
		}
		if err := t.recordFormOf(ctx, e.Form, indicator.Register, e.ID, e.CreatedAt); err != nil {
			return err
		}
		return appendLog(ctx, t, []eventlog.Event{e.Entered()})
	})
}

// Entry returns one indicator entry.
func (db *DB) Entry(ctx context.Context, id int64) (indicator.Entry, error) {
	e, err := scanEntry(db.queryRow(ctx, "SELECT "+entryColumns+" FROM indicator_entries WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return e, notFound("指标数值", "indicator entry", id)
	}
	return e, wrap(err)
}

func entryConflict() error {
	return minyi.Errorf(minyi.EConflict, "该月份的数值刚被他人录入，请刷新后重试 / a value for this month was just entered by someone else; reload and try again")
}

// Entries lists the entries f selects, latest month first (the current one
// before those it superseded), with the count of all of them.
func (db *DB) Entries(ctx context.Context, f indicator.Filter) (indicator.Page, error) {
	page := indicator.Page{Items: []indicator.Entry{}}
	size := f.Size(20, 100)
	w := entryWhere(f)
	total, err := db.ledgerCount(ctx, "indicator_entries", w)
	if err != nil {
		return page, err
	}
	page.Total = &total
	if f.Cursor != "" {
		c, err := decodeLedgerCursor(f.Cursor)
		if err != nil {
			return page, err
		}
		w.after(descending, "month, id", c.key, c.id)
	}
	page.Items, page.NextCursor, err = listPage(ctx, db, "SELECT "+entryColumns+" FROM indicator_entries"+w.sql()+
		" ORDER BY month DESC, id DESC LIMIT ?", w.args, size, scanEntry, func(last indicator.Entry) string {
		return ledgerCursor{last.Month, last.ID}.encode()
	})
	return page, err
}

// entryWhere are the conditions of f's fields.
func entryWhere(f indicator.Filter) where {
	var w where
	if f.Units != nil {
		w.in("unit", f.Units)
	}
	if f.Unit != "" {
		w.add("unit = ?", f.Unit)
	}
	if f.Indicator != "" {
		w.add("indicator = ?", f.Indicator)
	}
	if f.From != "" {
		w.add("month >= ?", f.From)
	}
	if f.To != "" {
		w.add("month <= ?", f.To)
	}
	if !f.History {
		w.add("superseded_by = 0")
	}
	return w
}

// EachEntry calls fn with every indicator entry f selects, oldest first
// (by id), read a thousand at a time (eachByID) rather than the list's
// pages of 100 latest month first each with its count: the ledgers'
// workbook's indicators. f's page and cursor are not for it.
func (db *DB) EachEntry(ctx context.Context, f indicator.Filter, fn func(indicator.Entry) error) error {
	return eachByID(ctx, db, entryColumns, "indicator_entries", entryWhere(f), scanEntry, nil, fn)
}

// CurrentEntries returns the current entries of the months first to last
// (inclusive; "" is open) of the units (nil: all).
func (db *DB) CurrentEntries(ctx context.Context, first, last string, units []string) ([]indicator.Entry, error) {
	var w where
	w.add("superseded_by = 0")
	if first != "" {
		w.add("month >= ?", first)
	}
	if last != "" {
		w.add("month <= ?", last)
	}
	if units != nil {
		w.in("unit", units)
	}
	rows, err := db.query(ctx, "SELECT "+entryColumns+" FROM indicator_entries"+w.sql(), w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []indicator.Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, e)
	}
	return out, wrap(rows.Err())
}
