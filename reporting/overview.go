package reporting

import (
	"context"
	"time"

	"minyi/org"
)

// MonthCount is what became of the records received in one month of a
// period (the month cut to the period).
type MonthCount struct {
	Month    string `json:"month"` // YYYY-MM
	Received int64  `json:"received"`
	Answered int64  `json:"answered"`
	Closed   int64  `json:"closed"`
}

// Overview is what a written report says of the case registers for one
// period: the totals and rates, the units ranked as on the dashboard, the
// channels records came through and the months.
type Overview struct {
	Stats    Stats        `json:"stats"`
	Units    []UnitRow    `json:"units"` // ranked, best first
	Channels []GroupCount `json:"channels"`
	Months   []MonthCount `json:"months"`
}

// Overview reads the overview of f's period for the units u may see. Unlike
// the dashboard it is open to all staff, as the ledger summary is: a unit's
// staff read their unit's, another unit is refused naming unit. The period
// is checked as the dashboard's (at most MaxPeriodDays, so at most 37
// months are read).
func (s *Service) Overview(ctx context.Context, u org.User, f Filter) (Overview, error) {
	if err := f.CheckPeriod(); err != nil {
		return Overview{}, err
	}
	if f.Unit != "" && !u.CanSeeUnit(f.Unit) {
		return Overview{}, errOtherUnit
	}
	f = s.scope(u, f)
	months := monthsOf(f.From, f.To)
	var (
		st      Stats
		overdue map[string]int64
		split   Breakdown
		byMonth = make([]Stats, len(months))
	)
	fns := []func(context.Context) error{
		func(ctx context.Context) (err error) { st, err = s.Store.Stats(ctx, f); return err },
		func(ctx context.Context) (err error) { overdue, err = s.Store.OverdueByUnit(ctx, f); return err },
		func(ctx context.Context) (err error) { split, err = s.Store.Breakdown(ctx, f); return err },
	}
	for i, m := range months {
		g := f
		g.From, g.To = m[0], m[1]
		fns = append(fns, func(ctx context.Context) (err error) { byMonth[i], err = s.Store.Stats(ctx, g); return err })
	}
	if err := Parallel(ctx, fns...); err != nil {
		return Overview{}, err
	}
	o := Overview{Stats: st, Units: unitRows(st.ByUnit, overdue), Channels: split.Channels, Months: make([]MonthCount, len(months))}
	RankUnits(o.Units)
	for i, m := range months {
		t := byMonth[i].Tally
		o.Months[i] = MonthCount{Month: m[0][:7], Received: t.Received, Answered: t.Answered, Closed: t.Closed}
	}
	return o, nil
}

// monthsOf cuts the days from..to (valid, from not after to) into months,
// each as its first and last day within the period.
func monthsOf(from, to string) [][2]string {
	first, _ := time.Parse(time.DateOnly, from)
	last, _ := time.Parse(time.DateOnly, to)
	var out [][2]string
	for day := first; !day.After(last); {
		end := time.Date(day.Year(), day.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		if end.After(last) {
			end = last
		}
		out = append(out, [2]string{day.Format(time.DateOnly), end.Format(time.DateOnly)})
		day = end.AddDate(0, 0, 1)
	}
	return out
}
