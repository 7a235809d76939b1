package archive

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
)

// The leaders' dashboard (领导驾驶舱) puts a period's figures on one page:
// the counts and rates of the tallies, a ranking of the units, what is
// overdue now, the weekly trend and the split by category and channel.

// MaxPeriodDays bounds a dashboard's period: three years of weeks is as much
// as one chart and one table can show legibly.
const MaxPeriodDays = 3 * 366

// OverdueListLength is how many of the most overdue items the dashboard lists.
const OverdueListLength = 20

// WeekCount is what became of the items received in one ISO week.
type WeekCount struct {
	Week     string `json:"week"`  // ISO week, e.g. 2021-W05
	Start    string `json:"start"` // its Monday, YYYY-MM-DD
	Received int64  `json:"received"`
	Answered int64  `json:"answered"` // of those received that week
}

// GroupCount is how many items of one category or channel were received in
// a period, and how many of those are closed.
type GroupCount struct {
	Key      string `json:"key"` // category or channel code; "" for none
	Received int64  `json:"received"`
	Closed   int64  `json:"closed"`
}

// Breakdown splits the items received in a period by category and by
// channel, most received first.
type Breakdown struct {
	Categories []GroupCount `json:"categories"`
	Channels   []GroupCount `json:"channels"`
}

// UnitRow is one unit's line on the dashboard.
type UnitRow struct {
	UnitStats
	Overdue int64 `json:"overdue_now"`
	Rank    int   `json:"rank,omitempty"` // 0 for items not yet assigned to a unit
}

// OverdueItem is an open item past its due time.
type OverdueItem struct {
	Item
	Days int `json:"days_overdue"`
}

// Dashboard is everything the leaders' dashboard shows for one period.
type Dashboard struct {
	From         string        `json:"from"`
	To           string        `json:"to"`
	Unit         string        `json:"unit,omitempty"`
	Tally        Tally         `json:"counts"`
	Rates        Rates         `json:"rates"`
	Overdue      int64         `json:"overdue_now"`
	Units        []UnitRow     `json:"units"` // ranked, best first
	OverdueItems []OverdueItem `json:"overdue_items"`
	Weeks        []WeekCount   `json:"weeks"`
	Categories   []GroupCount  `json:"categories"`
	Channels     []GroupCount  `json:"channels"`
	Now          time.Time     `json:"now"`
}

// MayViewDashboard reports whether u may open the dashboard: leaders and
// admins for the whole bureau, unit heads for their own unit.
func MayViewDashboard(u org.User) bool {
	return !u.Disabled && (u.SeesAll() || (u.Role == org.RoleUnitHead && u.UnitCode != ""))
}

// Dashboard assembles the figures of f's period for the units u may see.
func (s *Service) Dashboard(ctx context.Context, u org.User, f StatsFilter) (Dashboard, error) {
	if !MayViewDashboard(u) {
		return Dashboard{}, minyi.Errorf(minyi.EForbidden, "领导驾驶舱仅供局领导和所队长查看 / the dashboard is for leaders and unit heads")
	}
	if err := f.CheckPeriod(); err != nil {
		return Dashboard{}, err
	}
	if f.Unit != "" {
		if !u.CanSeeUnit(f.Unit) {
			return Dashboard{}, minyi.Errorf(minyi.EForbidden, "只能查看本单位的数据 / you may only see your own unit's figures")
		}
		if _, err := s.Store.Unit(ctx, f.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
			return Dashboard{}, minyi.Invalid("unit", "单位不存在", "unknown unit")
		} else if err != nil {
			return Dashboard{}, err
		}
	}
	// The same restriction as Stats: a unit head's queries never leave
	// their unit, whatever the filter asks for.
	if !u.SeesAll() {
		f.Units = []string{u.UnitCode}
	}
	f.Now = s.now()
	// The parts are independent reads; running them side by side makes the
	// page as slow as its slowest part rather than the sum of them.
	var (
		st      Stats
		overdue map[string]int64
		weeks   []WeekCount
		split   Breakdown
		page    ItemPage
	)
	err := parallel(ctx,
		func(ctx context.Context) (err error) { st, err = s.Store.Stats(ctx, f); return err },
		func(ctx context.Context) (err error) { overdue, err = s.Store.OverdueByUnit(ctx, f); return err },
		func(ctx context.Context) (err error) { weeks, err = s.Store.WeeklyTrend(ctx, f); return err },
		func(ctx context.Context) (err error) { split, err = s.Store.Breakdown(ctx, f); return err },
		func(ctx context.Context) (err error) {
			page, err = s.List(ctx, u, Filter{Overdue: true, Sort: SortDue, Unit: f.Unit, Limit: OverdueListLength})
			return err
		},
	)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{From: f.From, To: f.To, Unit: f.Unit, Tally: st.Tally, Rates: st.Rates, Overdue: st.Overdue,
		Units: unitRows(st.ByUnit, overdue), Weeks: FillWeeks(f.From, f.To, weeks), Categories: split.Categories, Channels: split.Channels,
		OverdueItems: make([]OverdueItem, len(page.Items)), Now: f.Now}
	for i, it := range page.Items {
		d.OverdueItems[i] = OverdueItem{Item: it, Days: DaysOverdue(it.DueAt, f.Now)}
	}
	RankUnits(d.Units)
	return d, nil
}

// parallel runs fns at once and returns the first error; a failure cancels
// the context of the others.
func parallel(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			if errs[i] = fn(ctx); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// CheckPeriod checks the period of f: two days as YYYY-MM-DD, from not after
// to, at most MaxPeriodDays long.
func (f StatsFilter) CheckPeriod() error {
	var p minyi.Problems
	from, errFrom := time.Parse(time.DateOnly, f.From)
	if errFrom != nil {
		p.Add("from", "开始日期应为“年-月-日”格式，如2021-01-01", "from must be a date as YYYY-MM-DD, e.g. 2021-01-01")
	}
	to, errTo := time.Parse(time.DateOnly, f.To)
	if errTo != nil {
		p.Add("to", "结束日期应为“年-月-日”格式，如2021-10-31", "to must be a date as YYYY-MM-DD, e.g. 2021-10-31")
	}
	if errFrom == nil && errTo == nil {
		switch {
		case to.Before(from):
			p.Add("to", "结束日期不能早于开始日期", "to must not be before from")
		case to.Sub(from) >= MaxPeriodDays*24*time.Hour:
			p.Add("to", "统计区间最长3年", "the period may be at most 3 years long")
		}
	}
	return p.Err()
}

// unitRows joins the units' tallies with their overdue counts; a unit with
// overdue items but nothing received in the period still gets a row, so the
// rows add up to the headline figures.
func unitRows(stats []UnitStats, overdue map[string]int64) []UnitRow {
	rows := make([]UnitRow, 0, len(stats)+len(overdue))
	seen := map[string]bool{}
	for _, st := range stats {
		rows = append(rows, UnitRow{UnitStats: st, Overdue: overdue[st.Unit]})
		seen[st.Unit] = true
	}
	for unit, n := range overdue {
		if !seen[unit] && n > 0 {
			rows = append(rows, UnitRow{UnitStats: UnitStats{Unit: unit}, Overdue: n})
		}
	}
	return rows
}

// RankUnits sorts rows best first and numbers them. The order is the
// satisfaction rate, then the resolution rate, then the response rate
// (higher first; a unit without a rate comes after those with one), then
// fewer overdue items. Rows equal on all four share a rank (1, 2, 2, 4).
// Items not yet assigned to a unit (unit "") come last, unranked.
func RankUnits(rows []UnitRow) {
	slices.SortStableFunc(rows, func(a, b UnitRow) int {
		if c := cmp.Compare(boolRank(a.Unit == ""), boolRank(b.Unit == "")); c != 0 {
			return c
		}
		if c := compareRows(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
	for i := range rows {
		switch {
		case rows[i].Unit == "":
			rows[i].Rank = 0
		case i > 0 && rows[i-1].Unit != "" && compareRows(rows[i-1], rows[i]) == 0:
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
}

// compareRows is negative when a ranks above b.
func compareRows(a, b UnitRow) int {
	for _, pair := range [][2]*float64{
		{a.Rates.Satisfaction, b.Rates.Satisfaction},
		{a.Rates.Resolution, b.Rates.Resolution},
		{a.Rates.Response, b.Rates.Response},
	} {
		if c := compareRates(pair[0], pair[1]); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.Overdue, b.Overdue)
}

// compareRates puts higher rates first and missing rates last.
func compareRates(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*b, *a)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// WeekOf returns the ISO week of a day (e.g. 2021-W05) and its Monday.
func WeekOf(day time.Time) (week, monday string) {
	y, w := day.ISOWeek()
	offset := (int(day.Weekday()) + 6) % 7 // days since Monday
	return isoWeek(y, w), day.AddDate(0, 0, -offset).Format(time.DateOnly)
}

func isoWeek(year, week int) string {
	w := itoa(week)
	if week < 10 {
		w = "0" + w
	}
	return itoa(year) + "-W" + w
}

// FillWeeks returns every ISO week that overlaps the days from..to, in
// order, with the counts of weeks and zero for weeks without items, so that
// a chart's gaps are real quiet weeks rather than missing bars. Counts for
// weeks outside the period are dropped. Invalid days give weeks unchanged.
func FillWeeks(from, to string, weeks []WeekCount) []WeekCount {
	first, err1 := time.Parse(time.DateOnly, from)
	last, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || last.Before(first) {
		return weeks
	}
	byWeek := make(map[string]WeekCount, len(weeks))
	for _, w := range weeks {
		byWeek[w.Week] = w
	}
	_, monday := WeekOf(first)
	day, _ := time.Parse(time.DateOnly, monday)
	var out []WeekCount
	for ; !day.After(last); day = day.AddDate(0, 0, 7) {
		week, start := WeekOf(day)
		w := byWeek[week]
		w.Week, w.Start = week, start
		out = append(out, w)
	}
	return out
}

// DaysOverdue counts the calendar days (China time) from an item's due day
// to now's day; an item overdue since earlier today counts as one day, so
// that nothing on the overdue list reads "0 days".
func DaysOverdue(due, now time.Time) int {
	d := func(t time.Time) time.Time {
		y, m, dd := t.In(calendar.Zone).Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	}
	return max(1, int(d(now).Sub(d(due)).Hours()/24))
}
