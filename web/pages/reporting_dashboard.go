package pages

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/chart"
	"minyi/org"
	"minyi/reporting"
	"minyi/web/core"
	"minyi/xlsx"
)

// The leaders' dashboard (领导驾驶舱): a period's figures as headline
// numbers, charts and the same figures as tables. The charts are SVG drawn
// here on the server, so the page needs no script and prints as it shows.

// dashboardData is what the dashboard template receives.
type dashboardData struct {
	From, To, Unit string // the filter as given, to refill the form
	D              *reporting.Dashboard
	Units          []org.Unit // choices of the unit filter
	SeesAll        bool
	Quick          []quickLink
	RateChart      dashChart
	TrendChart     dashChart
	unitNames      map[string]string
	categoryNames  map[string]string
	v              *core.View

	// Campaigns are the campaigns running (or ?campaign=) with their
	// targets against the figures reached.
	Campaigns []dashCampaign
}

// quickLink is a preset period.
type quickLink struct {
	Label, Href string
	Current     bool
}

// dashboardPage shows the dashboard for ?from=&to=&unit= (days as
// YYYY-MM-DD, by day of receipt, China time). Who may see which units is
// decided by reporting.Service.Dashboard.
func (s *Pages) dashboardPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	today := s.Now().In(calendar.Zone)
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(today)
	format, err := core.ExportFormat(r)
	if err != nil {
		return err
	}
	d, err := s.Reports.Dashboard(ctx, u, f)
	names, nerr := s.bureauNames(ctx)
	if nerr != nil {
		return nerr
	}
	if err == nil && format != "" {
		return s.WriteTables(w, format, "领导驾驶舱"+d.From+"至"+d.To, "dashboard-"+d.From+"-"+d.To, dashboardTables(d, names.UnitNames, names.CategoryNames))
	}
	status := http.StatusOK
	var fields map[string]string
	if err != nil {
		// Bad input shows the form again with the fields named; anything
		// else (forbidden, database trouble) is an error page.
		if fields = core.FieldErrors(s.Catalog, core.PreferredLang(r), err); fields == nil {
			return err
		}
		status = http.StatusBadRequest
	}
	data := &dashboardData{From: f.From, To: f.To, Unit: f.Unit, SeesAll: u.SeesAll(),
		unitNames: names.UnitNames, categoryNames: names.CategoryNames}
	for _, un := range names.Units {
		if un.Kind != org.UnitBureau && u.CanSeeUnit(un.Code) {
			data.Units = append(data.Units, un)
		}
	}
	v := s.NewView(w, r, "", data)
	v.Title = v.T("dash.title")
	v.Errors = fields
	data.v = v
	data.Quick = quickLinks(v, today, f)
	if status == http.StatusOK {
		if data.Campaigns, err = s.dashboardCampaigns(r, v, u, f.From, f.To); err != nil {
			return err
		}
		data.D = &d
		data.RateChart = reflow(rateChart(data, d.Units))
		data.TrendChart = reflow(trendChart(data, d.Weeks))
	}
	s.Render(w, r, status, "dashboard", v)
	return nil
}

// quickLinks are the preset periods (reporting.Presets: 本月, 上月, 本季度,
// 本年, 近30天) as links computed from today, keeping the unit asked.
func quickLinks(v *core.View, today time.Time, f reporting.Filter) []quickLink {
	presets := reporting.Presets(today)
	out := make([]quickLink, len(presets))
	for i, p := range presets {
		q := url.Values{"from": {p.From}, "to": {p.To}}
		if f.Unit != "" {
			q.Set("unit", f.Unit)
		}
		out[i] = quickLink{Label: v.T(p.Key), Href: "/staff/dashboard?" + q.Encode(), Current: p.From == f.From && p.To == f.To}
	}
	return out
}

// dashChart is a chart drawn twice: at the charts' width for screens and
// print, and narrow for phones, whose texts would be too small to read if
// the wide one were scaled down to them. The stylesheet shows one.
type dashChart struct{ Wide, Narrow chart.Bars }

// phoneChartWidth is the narrow chart's width: a 390-pixel phone's page
// less its margins, so it is drawn at about its own size.
const phoneChartWidth = 360

func reflow(c chart.Bars) dashChart {
	n := c
	n.ID, n.Width = c.ID+"-phone", phoneChartWidth
	return dashChart{Wide: c, Narrow: n}
}

// UnitName names a unit in the reader's script; "" is the items not yet
// assigned to any unit.
func (d *dashboardData) UnitName(code string) string {
	if code == "" {
		return d.v.T("dash.unassigned")
	}
	if n, ok := d.unitNames[code]; ok {
		return d.v.Conv(n)
	}
	return code
}

// Scope names what the figures cover: one unit or all the reader may see.
func (d *dashboardData) Scope() string {
	switch {
	case d.Unit != "":
		return d.UnitName(d.Unit)
	case d.SeesAll:
		return d.v.T("dash.all_units")
	}
	return d.UnitName(d.v.User.UnitCode)
}

// CategoryName names a category in the reader's script.
func (d *dashboardData) CategoryName(code string) string {
	if code == "" {
		return d.v.T("dash.no_category")
	}
	if n, ok := d.categoryNames[code]; ok {
		return d.v.Conv(n)
	}
	return code
}

// ChannelName names a channel in the reader's language.
func (d *dashboardData) ChannelName(code string) string {
	if code == "" {
		return d.v.T("dash.no_channel")
	}
	return d.v.Label("channel", code)
}

// Ranked is how many units the ranking places (the report's units.ranked);
// the items not yet assigned are listed unranked.
func (d *dashboardData) Ranked() int {
	n := 0
	for _, u := range d.D.Units {
		if u.Rank > 0 {
			n++
		}
	}
	return n
}

// Pct shows a rate as a percentage, or a dash when there was nothing to
// divide by.
func (d *dashboardData) Pct(r *float64) string {
	if r == nil {
		return "—"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// Share shows part of whole as a percentage, or a dash for an empty whole.
func (d *dashboardData) Share(part, whole int64) string {
	if whole == 0 {
		return "—"
	}
	r := float64(part) / float64(whole)
	return d.Pct(&r)
}

// rateChart draws the three rates of each unit, in ranking order, as
// horizontal bars: the rows read like the ranking table beside it.
func rateChart(d *dashboardData, rows []reporting.UnitRow) chart.Bars {
	v := d.v
	c := chart.Bars{ID: "rate-chart", Title: v.T("dash.rate_chart_title", d.From, d.To), Desc: v.T("dash.rate_chart_desc", len(rows)),
		Horizontal: true, Percent: true, Values: true}
	for j, r := range []struct{ class, color, key string }{
		{"bar-response", "#0b57a4", "dash.rate_response"},
		{"bar-resolution", "#1a7f37", "dash.rate_resolution"},
		{"bar-satisfaction", "#9a6700", "dash.rate_satisfaction"},
	} {
		s := chart.Series{Name: v.T(r.key), Class: r.class, Color: r.color}
		for _, row := range rows {
			rate := []*float64{row.Rates.Response, row.Rates.Resolution, row.Rates.Satisfaction}[j]
			p := chart.Point{None: rate == nil, Tip: v.T("dash.rate_tip", d.UnitName(row.Unit), s.Name, d.Pct(rate))}
			if rate != nil {
				p.Value = *rate
			}
			s.Points = append(s.Points, p)
		}
		c.Series = append(c.Series, s)
	}
	for _, row := range rows {
		label := d.UnitName(row.Unit)
		if row.Rank > 0 {
			label = strconv.Itoa(row.Rank) + ". " + label
		}
		c.Categories = append(c.Categories, label)
	}
	return c
}

// trendChart draws the items received each week as bars, with the part of
// them already answered as a darker bar inside.
func trendChart(d *dashboardData, weeks []reporting.WeekCount) chart.Bars {
	v := d.v
	var received, answered int64
	for _, w := range weeks {
		received += w.Received
		answered += w.Answered
	}
	c := chart.Bars{ID: "trend-chart", Title: v.T("dash.trend_chart_title", d.From, d.To),
		Desc: v.T("dash.trend_chart_desc", len(weeks), received, answered), Nested: true,
		Series: []chart.Series{
			{Name: v.T("dash.received"), Class: "bar-received", Color: "#a8c7ea"},
			{Name: v.T("dash.answered"), Class: "bar-answered", Color: "#123f73"},
		}}
	sameYear := d.From[:4] == d.To[:4]
	for _, w := range weeks {
		label := w.Start[2:] // YY-MM-DD
		if sameYear {
			label = w.Start[5:] // MM-DD
		}
		c.Categories = append(c.Categories, label)
		tip := v.T("dash.week_tip", w.Week, w.Start, w.Received, w.Answered)
		c.Series[0].Points = append(c.Series[0].Points, chart.Point{Value: float64(w.Received), Tip: tip})
		c.Series[1].Points = append(c.Series[1].Points, chart.Point{Value: float64(w.Answered), Tip: tip})
	}
	return c
}

// dashboardTables are the dashboard's tables as an export (its links
// 导出 Excel and 导出 CSV, ?format=): the units ranked with their counts and
// rates first (a CSV holds that one), then the overdue items, the weeks,
// the categories and the channels, with the names of units and
// categories in simplified Chinese and rates as percentages.
func dashboardTables(d reporting.Dashboard, units, categories map[string]string) []xlsx.Table {
	pct := func(r *float64) any {
		if r == nil {
			return nil
		}
		return math.Round(*r*1000) / 10
	}
	unit := func(code string) string {
		if code == "" {
			return "（未分派）"
		}
		if n, ok := units[code]; ok {
			return n
		}
		return code
	}
	share := func(part, whole int64) any {
		if whole == 0 {
			return nil
		}
		r := float64(part) / float64(whole)
		return pct(&r)
	}
	var ranked, overdue, weeks, cats, chans [][]any
	for _, u := range d.Units {
		var rank any
		if u.Rank > 0 {
			rank = u.Rank
		}
		ranked = append(ranked, []any{rank, unit(u.Unit), u.Tally.Received, u.Tally.Answered, u.Tally.Closed, u.Overdue,
			pct(u.Rates.Response), pct(u.Rates.Resolution), pct(u.Rates.Satisfaction), pct(u.Rates.OnTime), pct(u.Rates.Return), pct(u.Rates.Redo)})
	}
	for _, it := range d.OverdueItems {
		overdue = append(overdue, []any{it.Number, unit(it.UnitCode), it.Title, core.Moment(it.DueAt), it.Days})
	}
	for _, wk := range d.Weeks {
		weeks = append(weeks, []any{wk.Week, core.Day(wk.Start), wk.Received, wk.Answered})
	}
	for _, c := range d.Categories {
		name := c.Key
		if n, ok := categories[c.Key]; ok {
			name = n
		} else if c.Key == "" {
			name = "（无分类）"
		}
		cats = append(cats, []any{name, c.Received, c.Closed, share(c.Closed, c.Received)})
	}
	for _, c := range d.Channels {
		name := archive.LabelOf(archive.Channels, c.Key)
		if c.Key == "" {
			name = "（无渠道）"
		}
		chans = append(chans, []any{name, c.Received, c.Closed, share(c.Closed, c.Received)})
	}
	text := func(h string) xlsx.Column { return xlsx.Column{Header: h} }
	num := func(h string) xlsx.Column { return xlsx.Column{Header: h, Kind: xlsx.Number} }
	return []xlsx.Table{
		{Sheet: "单位排名", Columns: []xlsx.Column{num("排名"), text("单位"), num("收件"), num("答复"), num("销号"), num("当前超期"),
			num("响应率（%）"), num("解决率（%）"), num("满意率（%）"), num("按时办结率（%）"), num("退回率（%）"), num("重办率（%）")}, Rows: core.EachRow(ranked)},
		{Sheet: "超期件", Columns: []xlsx.Column{text("编号"), text("单位"), text("标题"), {Header: "办理期限", Kind: xlsx.DateTime}, num("超期天数")}, Rows: core.EachRow(overdue)},
		{Sheet: "每周收件", Columns: []xlsx.Column{text("周"), {Header: "周一", Kind: xlsx.Date}, num("收件"), num("答复")}, Rows: core.EachRow(weeks)},
		{Sheet: "按分类", Columns: []xlsx.Column{text("分类"), num("收件"), num("销号"), num("销号占比（%）")}, Rows: core.EachRow(cats)},
		{Sheet: "按渠道", Columns: []xlsx.Column{text("渠道"), num("收件"), num("销号"), num("销号占比（%）")}, Rows: core.EachRow(chans)},
	}
}
