package store

import (
	"context"
	"time"

	"minyi/archive"
)

// Workload counts, per officer in charge (assignee) of unit's items, the
// open ones, those of them overdue at now, and those first answered since
// since: one pass over the unit's assigned items in the partial index
// items_unit_assignee, which holds every column the counts read.
func (db *DB) Workload(ctx context.Context, unit string, now, since time.Time) ([]archive.Workload, error) {
	return list(ctx, db, `SELECT assignee,
		SUM(CASE WHEN `+openStatusSQL+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+openStatusSQL+` AND due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN answered_at >= ? THEN 1 ELSE 0 END)
		FROM items WHERE unit_code = ? AND assignee <> '' GROUP BY assignee ORDER BY assignee`,
		func(s scanner) (archive.Workload, error) {
			var w archive.Workload
			err := s.Scan(&w.Assignee, &w.Open, &w.Overdue, &w.Answered)
			return w, err
		}, micros(now), micros(since), unit)
}
