package pages

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"minyi/calendar"
	"minyi/org"
	"minyi/reporting"
	"minyi/web/core"
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
	RateChart      svgChart
	TrendChart     svgChart
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
	today := time.Now().In(calendar.Zone)
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(today)
	d, err := s.Reports.Dashboard(ctx, u, f)
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
	units, err := s.Org.Units(ctx)
	if err != nil {
		return err
	}
	cats, err := s.Svc.Config.Categories(ctx)
	if err != nil {
		return err
	}
	data := &dashboardData{From: f.From, To: f.To, Unit: f.Unit, SeesAll: u.SeesAll(),
		unitNames: map[string]string{}, categoryNames: map[string]string{}}
	for _, un := range units {
		data.unitNames[un.Code] = un.Name
		if un.Kind != org.UnitBureau && u.CanSeeUnit(un.Code) {
			data.Units = append(data.Units, un)
		}
	}
	for _, c := range cats {
		data.categoryNames[c.Code] = c.Name
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
		data.RateChart = rateChart(data, d.Units)
		data.TrendChart = trendChart(data, d.Weeks)
	}
	s.Render(w, r, status, "dashboard", v)
	return nil
}

// quickLinks are the preset periods: this year, the last 30 days, and the
// seed report's January to October 2021.
func quickLinks(v *core.View, today time.Time, f reporting.Filter) []quickLink {
	periods := []struct{ key, from, to string }{
		{"dash.quick_year", today.Format("2006") + "-01-01", today.Format(time.DateOnly)},
		{"dash.quick_30days", today.AddDate(0, 0, -29).Format(time.DateOnly), today.Format(time.DateOnly)},
		{"dash.quick_2021", "2021-01-01", "2021-10-31"},
	}
	out := make([]quickLink, len(periods))
	for i, p := range periods {
		q := url.Values{"from": {p.from}, "to": {p.to}}
		if f.Unit != "" {
			q.Set("unit", f.Unit)
		}
		out[i] = quickLink{Label: v.T(p.key), Href: "/staff/dashboard?" + q.Encode(), Current: p.from == f.From && p.to == f.To}
	}
	return out
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

// svgChart is a chart laid out in Go and drawn by the template as inline
// SVG: rectangles, lines and text, each a class styled by site.css.
type svgChart struct {
	ID            string
	Title, Desc   string
	Width, Height int
	Rects         []svgRect
	Lines         []svgLine
	Texts         []svgText
}

type svgRect struct {
	X, Y, W, H string
	Class      string
	Title      string // read out by screen readers and shown on hover
}

type svgLine struct {
	X1, Y1, X2, Y2 string
	Class          string
}

type svgText struct {
	X, Y   string
	Anchor string // start, middle, end
	Class  string
	Text   string
}

func coord(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

func (c *svgChart) rect(x, y, w, h float64, class, title string) {
	c.Rects = append(c.Rects, svgRect{coord(x), coord(y), coord(w), coord(h), class, title})
}

func (c *svgChart) line(x1, y1, x2, y2 float64, class string) {
	c.Lines = append(c.Lines, svgLine{coord(x1), coord(y1), coord(x2), coord(y2), class})
}

func (c *svgChart) text(x, y float64, anchor, class, text string) {
	c.Texts = append(c.Texts, svgText{coord(x), coord(y), anchor, class, text})
}

// legend draws coloured keys in a row at the top left.
func (c *svgChart) legend(x float64, keys [][2]string) {
	for _, k := range keys {
		c.rect(x, 8, 12, 12, k[0], "")
		c.text(x+16, 18, "start", "label", k[1])
		x += 28 + 13*float64(len([]rune(k[1])))
	}
}

// chartWidth is the width of the charts' coordinate system; CSS scales
// them to the page.
const chartWidth = 720

// rateChart draws the three rates of each unit, in ranking order, as
// horizontal bars: the rows read like the ranking table beside it.
func rateChart(d *dashboardData, rows []reporting.UnitRow) svgChart {
	const (
		labelW = 170.0
		plotW  = 440.0
		top    = 34.0
		rowH   = 48.0
		barH   = 11.0
		barGap = 2.0
	)
	v := d.v
	c := svgChart{ID: "rate-chart", Title: v.T("dash.rate_chart_title", d.From, d.To), Width: chartWidth}
	c.Height = int(top + rowH*float64(len(rows)) + 24)
	c.Desc = v.T("dash.rate_chart_desc", len(rows))
	rates := []struct{ class, name string }{
		{"bar-response", v.T("dash.rate_response")},
		{"bar-resolution", v.T("dash.rate_resolution")},
		{"bar-satisfaction", v.T("dash.rate_satisfaction")},
	}
	c.legend(labelW, [][2]string{{rates[0].class, rates[0].name}, {rates[1].class, rates[1].name}, {rates[2].class, rates[2].name}})
	bottom := top + rowH*float64(len(rows))
	for pct := 0; pct <= 100; pct += 25 {
		x := labelW + plotW*float64(pct)/100
		c.line(x, top, x, bottom, "grid")
		c.text(x, bottom+16, "middle", "axis", strconv.Itoa(pct)+"%")
	}
	for i, row := range rows {
		y := top + rowH*float64(i) + 5
		name := d.UnitName(row.Unit)
		label := name
		if row.Rank > 0 {
			label = strconv.Itoa(row.Rank) + ". " + name
		}
		c.text(labelW-8, y+barH*2+barGap, "end", "label", label)
		for j, r := range []*float64{row.Rates.Response, row.Rates.Resolution, row.Rates.Satisfaction} {
			by := y + float64(j)*(barH+barGap)
			value := d.Pct(r)
			w := 0.0
			if r != nil {
				w = plotW * *r
				c.rect(labelW, by, w, barH, rates[j].class, v.T("dash.rate_tip", name, rates[j].name, value))
			}
			c.text(labelW+w+4, by+barH-1.5, "start", "value", value)
		}
	}
	return c
}

// trendChart draws the items received each week as bars, with the part of
// them already answered as a darker bar inside.
func trendChart(d *dashboardData, weeks []reporting.WeekCount) svgChart {
	const (
		left   = 48.0
		right  = 12.0
		top    = 34.0
		plotH  = 200.0
		bottom = 30.0
	)
	v := d.v
	c := svgChart{ID: "trend-chart", Title: v.T("dash.trend_chart_title", d.From, d.To), Width: chartWidth,
		Height: int(top + plotH + bottom)}
	var received, answered, peak int64
	for _, w := range weeks {
		received += w.Received
		answered += w.Answered
		peak = max(peak, w.Received)
	}
	c.Desc = v.T("dash.trend_chart_desc", len(weeks), received, answered)
	c.legend(left, [][2]string{{"bar-received", v.T("dash.received")}, {"bar-answered", v.T("dash.answered")}})
	scale, step := niceScale(peak)
	for y := int64(0); y <= scale; y += step {
		py := top + plotH - plotH*float64(y)/float64(scale)
		c.line(left, py, chartWidth-right, py, "grid")
		c.text(left-6, py+4, "end", "axis", strconv.FormatInt(y, 10))
	}
	if len(weeks) == 0 {
		return c
	}
	slot := (chartWidth - left - right) / float64(len(weeks))
	every := int(math.Ceil(float64(len(weeks)) / 12)) // at most about a dozen date labels
	sameYear := d.From[:4] == d.To[:4]
	for i, w := range weeks {
		x := left + slot*float64(i)
		tip := v.T("dash.week_tip", w.Week, w.Start, w.Received, w.Answered)
		hr := plotH * float64(w.Received) / float64(scale)
		ha := plotH * float64(w.Answered) / float64(scale)
		c.rect(x+slot*0.1, top+plotH-hr, slot*0.8, hr, "bar-received", tip)
		c.rect(x+slot*0.25, top+plotH-ha, slot*0.5, ha, "bar-answered", tip)
		if i%every == 0 {
			label := w.Start[2:] // YY-MM-DD
			if sameYear {
				label = w.Start[5:] // MM-DD
			}
			c.text(x+slot/2, top+plotH+18, "middle", "axis", label)
		}
	}
	return c
}

// niceScale rounds a chart's maximum up to four steps of 1, 2 or 5 times a
// power of ten, so the grid lines fall on round numbers.
func niceScale(peak int64) (scale, step int64) {
	for mag := int64(1); ; mag *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if step = m * mag; step*4 >= peak {
				return step * 4, step
			}
		}
	}
}
