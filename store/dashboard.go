package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"minyi"
	"minyi/archive"
)

// WeeklyTrend sums the counters of the period by ISO week of receipt. The
// tallies hold one row per unit and day, so the database sums by day (a
// range of the day index) and Go folds the days into weeks, which keeps
// the SQL the same on both databases.
func (db *DB) WeeklyTrend(ctx context.Context, f archive.StatsFilter) ([]archive.WeekCount, error) {
	if f.Units != nil && len(f.Units) == 0 {
		return []archive.WeekCount{}, nil
	}
	w := tallyWhere(f)
	rows, err := db.query(ctx, "SELECT day, SUM(received), SUM(answered) FROM tallies"+w.sql()+
		" GROUP BY day ORDER BY day", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	weeks := []archive.WeekCount{}
	for rows.Next() {
		var day string
		var received, answered int64
		if err := rows.Scan(&day, &received, &answered); err != nil {
			return nil, wrap(err)
		}
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return nil, minyi.Internal(err)
		}
		week, monday := archive.WeekOf(t)
		if n := len(weeks); n == 0 || weeks[n-1].Week != week {
			weeks = append(weeks, archive.WeekCount{Week: week, Start: monday})
		}
		weeks[len(weeks)-1].Received += received
		weeks[len(weeks)-1].Answered += answered
	}
	return weeks, wrap(rows.Err())
}

// tallyWhere selects the counter rows of f's period and units.
func tallyWhere(f archive.StatsFilter) where {
	var w where
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	if len(f.Units) > 0 {
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	return w
}

// Breakdown counts the items received in the period by category and by
// channel, with how many of them are closed. The period is a range of
// received_at, read through the items_received index (items_unit_received
// for one unit); one grouped pass serves both splits, since reading the
// rows is the cost and the (category, channel) pairs are few.
func (db *DB) Breakdown(ctx context.Context, f archive.StatsFilter) (archive.Breakdown, error) {
	out := archive.Breakdown{Categories: []archive.GroupCount{}, Channels: []archive.GroupCount{}}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	w := tallyWhere(f)
	rows, err := db.query(ctx, "SELECT dim, key, SUM(received), SUM(closed) FROM group_tallies"+w.sql()+
		" GROUP BY dim, key", w.args...)
	if err != nil {
		return out, wrap(err)
	}
	defer rows.Close()
	cats, chans := map[string]archive.GroupCount{}, map[string]archive.GroupCount{}
	for rows.Next() {
		var g archive.GroupCount
		var dim string
		if err := rows.Scan(&dim, &g.Key, &g.Received, &g.Closed); err != nil {
			return out, wrap(err)
		}
		if g.Received == 0 {
			continue // every item of the group moved elsewhere
		}
		if dim == "category" {
			cats[g.Key] = g
		} else {
			chans[g.Key] = g
		}
	}
	if err := rows.Err(); err != nil {
		return out, wrap(err)
	}
	out.Categories, out.Channels = mostReceived(cats), mostReceived(chans)
	return out, nil
}

// mostReceived lists groups by the number received, most first, then by key.
func mostReceived(m map[string]archive.GroupCount) []archive.GroupCount {
	out := make([]archive.GroupCount, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b archive.GroupCount) int {
		if c := cmp.Compare(b.Received, a.Received); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// OverdueByUnit counts the open items past due at f.Now by unit, whenever
// they were received. It reads the partial index of open items by unit and
// due time, so the cost follows the open workload, not the archive.
func (db *DB) OverdueByUnit(ctx context.Context, f archive.StatsFilter) (map[string]int64, error) {
	out := map[string]int64{}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	var w where
	w.add(openStatusSQL)
	w.add("due_at < ?", micros(now))
	if len(f.Units) > 0 {
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	rows, err := db.query(ctx, "SELECT unit_code, COUNT(*) FROM items"+db.dialect.openIndex(true)+w.sql()+
		" GROUP BY unit_code", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var n int64
		if err := rows.Scan(&unit, &n); err != nil {
			return nil, wrap(err)
		}
		out[unit] = n
	}
	return out, wrap(rows.Err())
}
