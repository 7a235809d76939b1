package reporting

import (
	"cmp"
	"slices"
	"strconv"
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

// OverdueListLength is how many of the most overdue records the dashboard
// lists.
const OverdueListLength = 20

// UnitStats are one unit's figures.
type UnitStats struct {
	Unit  string `json:"unit"`
	Tally Tally  `json:"counts"`
	Rates Rates  `json:"rates"`
}

// Stats are the figures of a period: totals, rates and a row per unit.
type Stats struct {
	From    string      `json:"from"`
	To      string      `json:"to"`
	Unit    string      `json:"unit,omitempty"`
	Tally   Tally       `json:"counts"`
	Rates   Rates       `json:"rates"`
	Overdue int64       `json:"overdue_now"`
	ByUnit  []UnitStats `json:"by_unit"`
}

// WeekCount is what became of the records received in one ISO week.
type WeekCount struct {
	Week     string `json:"week"`  // ISO week, e.g. 2021-W05
	Start    string `json:"start"` // its Monday, YYYY-MM-DD
	Received int64  `json:"received"`
	Answered int64  `json:"answered"` // of those received that week
}

// GroupCount is how many records of one group (a category, a channel)
// were received in a period, and how many of those are closed.
type GroupCount struct {
	Key      string `json:"key"` // category or channel code; "" for none
	Received int64  `json:"received"`
	Closed   int64  `json:"closed"`
}

// Breakdown splits the records received in a period by category and by
// channel, most received first.
type Breakdown struct {
	Categories []GroupCount `json:"categories"`
	Channels   []GroupCount `json:"channels"`
}

// UnitRow is one unit's line on the dashboard.
type UnitRow struct {
	UnitStats
	Overdue int64 `json:"overdue_now"`
	Rank    int   `json:"rank,omitempty"` // 0 for records not yet assigned to a unit
}

// OverdueItem is an open record past its due time, as the dashboard lists
// it: what identifies it, never who wrote in.
type OverdueItem struct {
	Number   string    `json:"number"`
	UnitCode string    `json:"unit,omitempty"`
	Title    string    `json:"title"`
	DueAt    time.Time `json:"due_at"`
	Days     int       `json:"days_overdue"`
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

// CheckPeriod checks the period of f: two days as YYYY-MM-DD, from not after
// to, at most MaxPeriodDays long.
func (f Filter) CheckPeriod() error {
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

// checkDays is the looser check of the stats API, which has no longest
// period: two days as YYYY-MM-DD, from not after to.
func (f Filter) checkDays() error {
	var p minyi.Problems
	for _, d := range []struct{ name, v string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			p.Add(d.name, "日期格式应为YYYY-MM-DD", "must be YYYY-MM-DD")
		}
	}
	if p == nil && f.From > f.To {
		p.Add("to", "结束日期不能早于开始日期", "to must not be before from")
	}
	return p.Err()
}

// unitRows joins the units' tallies with their overdue counts; a unit with
// overdue records but nothing received in the period still gets a row, so
// the rows add up to the headline figures.
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
// fewer overdue records. Rows equal on all four share a rank (1, 2, 2, 4).
// Records not yet assigned to a unit (unit "") come last, unranked.
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
	w := strconv.Itoa(week)
	if week < 10 {
		w = "0" + w
	}
	return strconv.Itoa(year) + "-W" + w
}

// FillWeeks returns every ISO week that overlaps the days from..to, in
// order, with the counts of weeks and zero for weeks without records, so
// that a chart's gaps are real quiet weeks rather than missing bars. Counts
// for weeks outside the period are dropped. Invalid days give weeks
// unchanged.
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

// DaysOverdue counts the calendar days (China time) from a record's due day
// to now's day; a record overdue since earlier today counts as one day, so
// that nothing on the overdue list reads "0 days".
func DaysOverdue(due, now time.Time) int {
	d := func(t time.Time) time.Time {
		y, m, dd := t.In(calendar.Zone).Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	}
	return max(1, int(d(now).Sub(d(due)).Hours()/24))
}

// Preset is a period offered as one link: its message key and its days.
type Preset struct {
	Key      string // message key of its label, e.g. dash.quick_month
	From, To string // YYYY-MM-DD
}

// Presets are the dashboard's preset periods computed from now in the
// bureau's time zone: this month, last month, this quarter and this year
// up to today (last month whole), then the last 30 days. They move with
// the date, so a bookmark of the page always shows the current figures.
func Presets(now time.Time) []Preset {
	today := now.In(calendar.Zone)
	y, m, _ := today.Date()
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, calendar.Zone) }
	monthStart := date(y, m, 1)
	quarterStart := date(y, m-(m-1)%3, 1)
	return []Preset{
		{"dash.quick_month", day(monthStart), day(today)},
		{"dash.quick_last_month", day(monthStart.AddDate(0, -1, 0)), day(monthStart.AddDate(0, 0, -1))},
		{"dash.quick_quarter", day(quarterStart), day(today)},
		{"dash.quick_year", day(date(y, 1, 1)), day(today)},
		{"dash.quick_30days", day(today.AddDate(0, 0, -29)), day(today)},
	}
}
