package store

import (
	"context"
	"database/sql"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/dispute"
	"minyi/reporting"
)

// OpenTerm lets the tests take an open item's marker out of the index, as
// an archive written before migration 13 has it.
const OpenTerm = openTerm

// IDChunk is how many rows a reading in the order filed reads a query.
var IDChunk = &idChunk

// CountActorRecordsQuery is the query of CountActorRecords, for the test
// that it reads the index by actor.
const CountActorRecordsQuery = countActorRecords

// DisputeFiguresByRows is DisputeFigures counted from the disputes
// themselves, as it was before the counters (migration 49): the measure of
// the counters in the tests.
func (db *DB) DisputeFiguresByRows(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"found": 0, "open": 0, "overdue": 0, "resolved": 0, "referred": 0, "unresolved": 0, "resolved_village": 0}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	end := f.To
	if end == "" {
		end = "9999-12-31"
	}
	cutoff := f.Now
	if d, err := time.ParseInLocation(time.DateOnly, end, calendar.Zone); err == nil {
		if e := d.AddDate(0, 0, 1); e.Before(cutoff) || cutoff.IsZero() {
			cutoff = e
		}
	}
	w := periodWhere(f, "found_on", "unit_code")
	campaignWhere(&w, "campaign_id", f.Campaign)
	var found, open, overdue sql.NullInt64
	err := db.queryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN closed_on = '' OR closed_on > ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN (closed_on = '' OR closed_on > ?) AND due_at < ? THEN 1 ELSE 0 END) FROM disputes`+w.sql(),
		append([]any{end, end, micros(cutoff)}, w.args...)...).Scan(&found, &open, &overdue)
	if err != nil {
		return nil, wrap(err)
	}
	out["found"], out["open"], out["overdue"] = found.Int64, open.Int64, overdue.Int64
	w = periodWhere(f, "closed_on", "unit_code")
	w.add("closed_on <> ''")
	campaignWhere(&w, "campaign_id", f.Campaign)
	rows, err := db.query(ctx, "SELECT status, level, COUNT(*) FROM disputes"+w.sql()+" GROUP BY status, level", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var status, level string
		var n int64
		if err := rows.Scan(&status, &level, &n); err != nil {
			return nil, wrap(err)
		}
		out[status] += n
		if status == string(dispute.StatusResolved) && level == string(dispute.LevelVillage) {
			out["resolved_village"] += n
		}
	}
	return out, wrap(rows.Err())
}

// TraceQueries has db give fn the SQL and arguments of every query it
// reads a list with (db.query), for the tests of the lists' plans.
func (db *DB) TraceQueries(fn func(q string, args []any)) {
	if fn == nil {
		db.trace.Store(nil)
		return
	}
	db.trace.Store(&fn)
}

// LedgerCursor is the cursor of a ledger's list after the row of key and
// id.
func LedgerCursor(key string, id int64) string { return ledgerCursor{key, id}.encode() }

// ItemCursor is the cursor of the items' list (or the desk's) sorted by
// time after the item of time at (microseconds) and id.
func ItemCursor(at, id int64) string { return cursor{at: at, id: id}.encode(archive.SortNewest) }
