package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"minyi"
	"minyi/reporting"
)

// Stats sums the counters of the period and counts what is overdue now.
func (db *DB) Stats(ctx context.Context, f reporting.Filter) (reporting.Stats, error) {
	st := reporting.Stats{From: f.From, To: f.To, Unit: f.Unit, ByUnit: []reporting.UnitStats{}}
	var w where
	if f.From != "" {
		w.add("day >= ?", f.From)
	}
	if f.To != "" {
		w.add("day <= ?", f.To)
	}
	if f.Units != nil {
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	rows, err := db.query(ctx, `SELECT unit_code, SUM(received), SUM(valid), SUM(responded), SUM(answered),
		SUM(on_time), SUM(closed), SUM(visited), SUM(satisfied), SUM(basic_satisfied), SUM(unsatisfied),
		SUM(returned), SUM(redone), SUM(very_satisfied), SUM(very_unsatisfied) FROM tallies`+w.sql()+" GROUP BY unit_code ORDER BY unit_code", w.args...)
	if err != nil {
		return st, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var u reporting.UnitStats
		t := &u.Tally
		if err := rows.Scan(&u.Unit, &t.Received, &t.Valid, &t.Responded, &t.Answered, &t.OnTime, &t.Closed,
			&t.Visited, &t.Satisfied, &t.BasicSatisfied, &t.Unsatisfied, &t.Returned, &t.Redone,
			&t.VerySatisfied, &t.VeryUnsatisfied); err != nil {
			return st, wrap(err)
		}
		if u.Tally == (reporting.Tally{}) {
			continue
		}
		u.Rates = u.Tally.Rates()
		st.Tally.Add(u.Tally, 1)
		st.ByUnit = append(st.ByUnit, u)
	}
	if err := rows.Err(); err != nil {
		return st, wrap(err)
	}
	st.Rates = st.Tally.Rates()
	overdue, err := db.OverdueByUnit(ctx, f)
	for _, n := range overdue {
		st.Overdue += n
	}
	return st, err
}

// WeeklyTrend sums the counters of the period by ISO week of receipt. The
// tallies hold one row per unit and day, so the database sums by day (a
// range of the day index) and Go folds the days into weeks, which keeps
// the SQL the same on both databases.
func (db *DB) WeeklyTrend(ctx context.Context, f reporting.Filter) ([]reporting.WeekCount, error) {
	if f.Units != nil && len(f.Units) == 0 {
		return []reporting.WeekCount{}, nil
	}
	w := tallyWhere(f)
	rows, err := db.query(ctx, "SELECT day, SUM(received), SUM(answered) FROM tallies"+w.sql()+
		" GROUP BY day ORDER BY day", w.args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	weeks := []reporting.WeekCount{}
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
		week, monday := reporting.WeekOf(t)
		if n := len(weeks); n == 0 || weeks[n-1].Week != week {
			weeks = append(weeks, reporting.WeekCount{Week: week, Start: monday})
		}
		weeks[len(weeks)-1].Received += received
		weeks[len(weeks)-1].Answered += answered
	}
	return weeks, wrap(rows.Err())
}

// tallyWhere selects the counter rows of f's period and units.
func tallyWhere(f reporting.Filter) where { return periodWhere(f, "day", "unit_code") }

// periodWhere selects the rows of f's period and units, by the columns
// holding a row's day (YYYY-MM-DD, China time) and its unit.
func periodWhere(f reporting.Filter, day, unit string) where {
	var w where
	if f.From != "" {
		w.add(day+" >= ?", f.From)
	}
	if f.To != "" {
		w.add(day+" <= ?", f.To)
	}
	if len(f.Units) > 0 {
		w.in(unit, f.Units)
	}
	if f.Unit != "" {
		w.add(unit+" = ?", f.Unit)
	}
	return w
}

// Breakdown counts the items received in the period by category and by
// channel, with how many of them are closed. It reads counters kept with
// the items: monthly ones for the whole months of the period, daily ones
// for the partial months at its ends.
func (db *DB) Breakdown(ctx context.Context, f reporting.Filter) (reporting.Breakdown, error) {
	out := reporting.Breakdown{Categories: []reporting.GroupCount{}, Channels: []reporting.GroupCount{}}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	cats, chans := map[string]reporting.GroupCount{}, map[string]reporting.GroupCount{}
	for _, part := range splitByMonth(f.From, f.To) {
		g := f
		g.From, g.To = part.from, part.to
		w := tallyWhere(g)
		table := "group_tallies"
		if part.months {
			table = "group_tallies_monthly"
			w = tallyWhere(reporting.Filter{Units: f.Units, Unit: f.Unit})
			w.add("month >= ? AND month <= ?", part.from[:7], part.to[:7])
		}
		if err := db.addGroups(ctx, table, w, cats, chans); err != nil {
			return out, err
		}
	}
	for _, m := range []map[string]reporting.GroupCount{cats, chans} {
		for k, g := range m {
			if g.Received == 0 {
				delete(m, k) // every item of the group moved elsewhere
			}
		}
	}
	out.Categories, out.Channels = mostReceived(cats), mostReceived(chans)
	return out, nil
}

// addGroups adds the breakdown counters of table selected by w to cats and
// chans.
func (db *DB) addGroups(ctx context.Context, table string, w where, cats, chans map[string]reporting.GroupCount) error {
	rows, err := db.query(ctx, "SELECT dim, key, SUM(received), SUM(closed) FROM "+table+w.sql()+" GROUP BY dim, key", w.args...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var g reporting.GroupCount
		var dim string
		if err := rows.Scan(&dim, &g.Key, &g.Received, &g.Closed); err != nil {
			return wrap(err)
		}
		m := chans
		if dim == "category" {
			m = cats
		}
		c := m[g.Key]
		c.Key, c.Received, c.Closed = g.Key, c.Received+g.Received, c.Closed+g.Closed
		m[g.Key] = c
	}
	return wrap(rows.Err())
}

// period is a run of days; months says it is made of whole months.
type period struct {
	from, to string
	months   bool
}

// splitByMonth cuts the days from..to (YYYY-MM-DD, inclusive) into the
// partial month at each end and the whole months between, so the whole
// months can be read from monthly counters.
func splitByMonth(from, to string) []period {
	first, err1 := time.Parse(time.DateOnly, from)
	last, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || last.Before(first) {
		return []period{{from: from, to: to}} // unbounded or odd: read the days
	}
	wholeFrom := first
	if first.Day() != 1 {
		wholeFrom = time.Date(first.Year(), first.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	wholeTo := last
	if next := last.AddDate(0, 0, 1); next.Day() != 1 {
		wholeTo = time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	}
	if wholeTo.Before(wholeFrom) {
		return []period{{from: from, to: to}}
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	var out []period
	if wholeFrom.After(first) {
		out = append(out, period{from: from, to: day(wholeFrom.AddDate(0, 0, -1))})
	}
	out = append(out, period{from: day(wholeFrom), to: day(wholeTo), months: true})
	if wholeTo.Before(last) {
		out = append(out, period{from: day(wholeTo.AddDate(0, 0, 1)), to: to})
	}
	return out
}

// mostReceived lists groups by the number received, most first, then by key.
func mostReceived(m map[string]reporting.GroupCount) []reporting.GroupCount {
	out := make([]reporting.GroupCount, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b reporting.GroupCount) int {
		if c := cmp.Compare(b.Received, a.Received); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// OverdueByUnit counts the open items past due at f.Now by unit, whenever
// they were received: the unit's open items (from status_counts) less those
// not yet due (a range of the open items' index by unit and due time), so
// the cost follows the items still within their time, not the backlog.
// Both are read by one statement, at one moment: read apart, an item moved
// or closed between them counted as overdue where it was, which made a
// month with nothing recorded look non-empty to the report schedule.
func (db *DB) OverdueByUnit(ctx context.Context, f reporting.Filter) (map[string]int64, error) {
	out := map[string]int64{}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	// A fresh where each time: copies would share their slices.
	openOf := func() where {
		var w where
		if len(f.Units) > 0 {
			w.in("unit_code", f.Units)
		}
		if f.Unit != "" {
			w.add("unit_code = ?", f.Unit)
		}
		w.add(openStatusSQL)
		return w
	}
	open, notDue := openOf(), openOf()
	notDue.add("due_at >= ?", micros(now))
	q := "SELECT unit_code, SUM(n) FROM (SELECT unit_code, SUM(n) AS n FROM status_counts" + open.sql() + " GROUP BY unit_code" +
		" UNION ALL SELECT unit_code, -COUNT(*) FROM items" + db.dialect.openIndex(true) + notDue.sql() + " GROUP BY unit_code) AS c GROUP BY unit_code"
	if err := db.sumByUnit(ctx, out, q, append(open.args, notDue.args...)...); err != nil {
		return nil, err
	}
	for u, n := range out {
		if n <= 0 { // the units whose open items are all within their time
			delete(out, u)
		}
	}
	return out, nil
}

// sumByUnit adds the (unit, count) rows of q to out.
func (db *DB) sumByUnit(ctx context.Context, out map[string]int64, q string, args ...any) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var n int64
		if err := rows.Scan(&unit, &n); err != nil {
			return wrap(err)
		}
		out[unit] += n
	}
	return wrap(rows.Err())
}
