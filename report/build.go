package report

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"minyi/archive"
	"minyi/indicator"
	"minyi/reporting"
)

// Inputs are what a report is written from, all read when it is made.
type Inputs struct {
	// Spec is the report asked for, its From and To filled in.
	Spec Spec
	// Agency is the bureau's name; UnitName the unit's, when Spec.Unit
	// names one.
	Agency, UnitName string
	// Campaign is the campaign asked for (Spec.Campaign), or nil;
	// Campaigns are the campaigns whose period meets the report's, whose
	// meetings of the period the mobilisation section tells.
	Campaign  *CampaignInfo
	Campaigns []CampaignInfo
	// Report is every register's figures (reporting.Service.Report, the
	// ledgers' figures through Service.Summary or, for a campaign, the
	// campaign's summary).
	Report reporting.Report
	// Overview is the items' overview of the period.
	Overview reporting.Overview
	// DeskReplies are the online desk's replies: its questions received in
	// the period, answered and published there.
	DeskReplies int64
	// Stories are a few outcome stories of each concern, the most recent
	// first.
	Stories map[archive.Class][]Story
	// UnitNames name the units of the overview's ranking.
	UnitNames map[string]string
	// Services are the one-stop services (their figures' codes and names);
	// PublicityChannels the channels of the publicity figures.
	Services, PublicityChannels []Named
	// Label names a figure the report itself does not name (an indicator,
	// an outcome); nil or false: the key names it.
	Label func(key string) (string, bool)
	// Convert converts the written text for Spec.Script (OpenCC for
	// traditional); nil leaves it as written.
	Convert func(string) string
}

// Named is a code with its name in Chinese and English, and the record's
// id where its list filters by id (a one-stop service's).
type Named struct {
	Code, Zh, En string
	ID           int64
}

// CampaignInfo is what a report tells of a campaign.
type CampaignInfo struct {
	ID       int64
	Name     string
	From, To string
	Plan     bool // its plan (活动方案) is written down
	Meetings []MeetingInfo
}

// MeetingInfo is one mobilisation meeting of a campaign.
type MeetingInfo struct{ Day, Kind string }

// Sections are the report's sections in the source's order, each the name
// of the template that writes its prose. "title" and "intro" precede them.
var Sections = []string{"intro", "mobilisation", "listening", "results", "concern_urgent", "concern_hard",
	"concern_worrying", "concern_hopeful", "governance", "publicity", "rates", "closing"}

// headings are the sections' headings in Chinese and English; intro and
// closing have none.
var headings = map[string][2]string{
	"mobilisation": {"动员部署工作有速度", "Mobilisation"},
	"listening":    {"察民情、访民意", "Listening to the people"},
	"results":      {"回应群众需求有温度", "Results: practical matters"},
	"governance":   {"聚焦基层治理", "Grassroots governance"},
	"publicity":    {"宣传报道有深度", "Publicity"},
	"rates":        {"三率与单位排名", "The three rates and the units' ranking"},
}

func init() {
	for _, c := range classNames {
		headings["concern_"+string(c.Class)] = [2]string{"着力找准群众“" + c.Worry + "”，让“" + c.Promise + "”", c.En}
	}
}

// templateData is the data a template reads besides its functions.
type templateData struct {
	Agency   string // the bureau's name
	Scope    string // the unit's name, or the bureau's
	From, To string // the period as 2021年1月1日
	// Campaign names the campaign asked for, or the campaigns of the
	// period, joined with 、.
	Campaign string
	Plan     bool     // a campaign's plan is written down
	Meetings []string // the campaign meetings of the period, by kind, first held first, each once
	Empty    bool     // no record counted
	Services []serviceKeys
	// PublicityChannels are the publicity channels with their figures.
	PublicityChannels []channelKey
	// TopUnit is the first unit of the ranking, "" with none.
	TopUnit string
}

// serviceKeys are the figures of one one-stop service.
type serviceKeys struct{ Name, Opened, Done, Proxy string }

// channelKey is a channel's name and figure.
type channelKey struct{ Name, Key string }

// builder writes one document.
type builder struct {
	in      Inputs
	en      bool
	figs    map[string]*Figure
	order   []string // figure keys in the order first printed
	printed map[string]bool
}

// Build writes the report of in with tpl's prose. A template that fails
// is a *TemplateError naming its line; nothing of the report is returned
// then.
func Build(in Inputs, tpl *Template) (Document, error) {
	if tpl == nil {
		tpl = DefaultTemplate()
	}
	b := &builder{in: in, en: in.Spec.Lang == En, figs: map[string]*Figure{}, printed: map[string]bool{}}
	b.collect()
	data := b.data()
	t, err := tpl.t.Clone()
	if err != nil {
		return Document{}, templateError(err)
	}
	t.Funcs(b.funcs())
	doc := Document{From: in.Spec.From, To: in.Spec.To, Unit: in.Spec.Unit, UnitName: data.Scope, Script: cmpOr(in.Spec.Script, Hans),
		Lang: cmpOr(in.Spec.Lang, Zh), Empty: data.Empty, TemplateVersion: tpl.Version}
	if in.Campaign != nil {
		doc.Campaign, doc.CampaignName = in.Campaign.ID, in.Campaign.Name
	}
	title, err := b.run(t, "title", data)
	if err != nil {
		return Document{}, err
	}
	if len(title) > 0 {
		doc.Title = title[0].String()
	} else {
		doc.Title = data.Scope + "工作综述"
	}
	doc.Subtitle = b.t(data.From+"至"+data.To, in.Spec.From+" – "+in.Spec.To)
	for _, name := range Sections {
		paras, err := b.run(t, name, data)
		if err != nil {
			return Document{}, err
		}
		if paras == nil {
			paras = []Paragraph{}
		}
		s := Section{Key: name, Paragraphs: paras}
		if h, ok := headings[name]; ok {
			s.Heading = b.t(h[0], h[1])
		}
		if !data.Empty {
			// A period without records has nothing to chart or tabulate.
			b.attach(&s)
		}
		if len(s.Paragraphs) == 0 && s.Table == nil && s.Chart == nil {
			continue
		}
		doc.Sections = append(doc.Sections, s)
	}
	doc.Figures = b.figures()
	if in.Spec.Script == Hant && in.Convert != nil {
		convert(&doc, in.Convert)
	}
	return doc, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// t picks the Chinese or English text.
func (b *builder) t(zh, en string) string {
	if b.en {
		return en
	}
	return zh
}

// run executes the section's template, if the template defines it, and
// cuts the text into paragraphs.
func (b *builder) run(t *template.Template, name string, data templateData) ([]Paragraph, error) {
	if t.Lookup(name) == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, templateError(err)
	}
	out := []Paragraph{}
	for _, block := range paragraphs(buf.String()) {
		out = append(out, b.spans(block))
	}
	return out, nil
}

// paragraphs cuts text into paragraphs at blank lines, joining the lines
// of one paragraph without a space (Chinese prose) after trimming them.
func paragraphs(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

// spans cuts a paragraph at the figures' marks.
func (b *builder) spans(text string) Paragraph {
	var p Paragraph
	for text != "" {
		i := strings.Index(text, markOpen)
		if i < 0 {
			p = append(p, Span{Text: text})
			break
		}
		if i > 0 {
			p = append(p, Span{Text: text[:i]})
		}
		rest := text[i+len(markOpen):]
		j := strings.Index(rest, markClose)
		if j < 0 {
			p = append(p, Span{Text: rest})
			break
		}
		key := rest[:j]
		f := b.figure(key)
		p = append(p, Span{Text: f.Text, Figure: key})
		if !b.printed[key] {
			b.printed[key] = true
			b.order = append(b.order, key)
		}
		text = rest[j+len(markClose):]
	}
	return p
}

// set records a count.
func (b *builder) set(key string, v int64) {
	b.figs[key] = &Figure{Key: key, Value: v, Text: strconv.FormatInt(v, 10), Label: b.label(key), List: b.list(key)}
}

// setRate records a rate as per thousand, printed as a percentage; a rate
// of nothing is "—".
func (b *builder) setRate(key string, r *float64) {
	f := &Figure{Key: key, Unit: "‰", Text: "—", Label: b.label(key), List: b.list(key)}
	if r != nil {
		f.Value = int64(*r*1000 + 0.5)
		f.Text = strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
	}
	b.figs[key] = f
}

// figure returns the figure with key; a known figure the period has none
// of counts 0.
func (b *builder) figure(key string) *Figure {
	if f, ok := b.figs[key]; ok {
		return f
	}
	b.set(key, 0)
	return b.figs[key]
}

// collect reads every figure of the inputs.
func (b *builder) collect() {
	in := b.in
	for reg, figs := range in.Report.Registers {
		for k, v := range figs {
			b.set(reg+"."+k, v)
		}
	}
	o := in.Overview
	var collected, resolved int64
	for _, c := range o.Channels {
		if slices.Contains(CollectionChannels, archive.Channel(c.Key)) {
			collected += c.Received
			resolved += c.Closed
		}
		if c.Key != "" {
			b.set("channels."+c.Key, c.Received)
		}
		if archive.Channel(c.Key) == archive.ChannelOnlineDesk {
			b.set("desk.received", c.Received)
			b.set("desk.closed", c.Closed)
		}
	}
	b.set("opinions.collected", collected)
	b.set("opinions.resolved", resolved)
	b.set("desk.replied", in.DeskReplies)
	b.figure("desk.received")
	b.figure("desk.closed")
	r := o.Stats.Rates
	b.setRate("rates.response", r.Response)
	b.setRate("rates.resolution", r.Resolution)
	b.setRate("rates.satisfaction", r.Satisfaction)
	b.setRate("rates.on_time", r.OnTime)
	var ranked int64
	for _, u := range o.Units {
		if u.Rank > 0 {
			ranked++
		}
	}
	b.set("units.ranked", ranked)
	b.set("campaign.meetings", int64(len(b.meetings())))
}

// empty reports whether no record counts in the period. The figures of
// what stands at the moment of counting are none of the period's records:
// items received before it and past due now (items.overdue_now, and the
// units ranked for them alone) would otherwise have the schedule issue the
// report of a month with nothing recorded.
func (b *builder) empty() bool {
	for key, f := range b.figs {
		if f.Value != 0 && f.Unit == "" && !notOfThePeriod[key] && !CountedAtTheMoment(key) {
			return false
		}
	}
	return true
}

// notOfThePeriod are the figures that count no record of a register in
// the period: the service points active, the campaign's mobilisation
// meetings (the campaign's, not a register's), and the units ranked, which
// items overdue now rank alone.
var notOfThePeriod = map[string]bool{"service_points.active": true, "campaign.meetings": true, "units.ranked": true}

// label names a figure in the report's language.
func (b *builder) label(key string) string {
	if l, ok := labels[key]; ok {
		return b.t(l[0], l[1])
	}
	if b.in.Label != nil {
		if l, ok := b.in.Label(key); ok {
			return l
		}
	}
	reg, k, _ := strings.Cut(key, ".")
	if code, ok := strings.CutPrefix(k, "done_"); ok && reg == "matters" {
		for _, c := range classNames {
			if string(c.Class) == code {
				return b.t("办理“"+c.Worry+"”实事（件）", "matters done: "+c.En)
			}
		}
	}
	if code, ok := strings.CutPrefix(k, "channel_"); ok && reg == "publicity" {
		for _, c := range b.in.PublicityChannels {
			if c.Code == code {
				return b.t(c.Zh+"（篇）", "pieces: "+c.En)
			}
		}
	}
	if reg == "channels" {
		for _, c := range archive.Channels {
			if c.Code == k {
				return b.t(c.Label+"收件（条）", "items received: "+k)
			}
		}
	}
	if reg == "cases" {
		for _, prefix := range []struct{ p, zh, en string }{{"opened_", "受理", "opened"}, {"done_", "办结", "done"}, {"proxy_", "帮办代办", "handled by an officer"}} {
			if code, ok := strings.CutPrefix(k, prefix.p); ok {
				for _, s := range b.in.Services {
					if s.Code == code {
						return b.t(s.Zh+prefix.zh+"（件）", s.Zh+": "+prefix.en)
					}
				}
			}
		}
	}
	return key
}

// ListOf is the staff page that shows the records the figure key
// ("register.key") counts in spec's period, unit and campaign, as the
// report links its figures, or "" for a figure no page shows; services
// are the one-stop services, whose ids the cases' lists take. The figures
// page links its figures through it so that both link alike.
func ListOf(spec Spec, services []Named, key string) string {
	return (&builder{in: Inputs{Spec: spec, Services: services}}).list(key)
}

// list is the staff page that shows the records a figure counts, with the
// filter that selects exactly them set in its form, or "" for a figure no
// page shows: its total (or, for a figure that sums the records, the sum
// the page shows) is the figure. Each list bounds the day its register
// counts the figure by — matters by the day done, measures by the day
// implemented, volunteer activities by their date, disputes by the day
// found or the day they ended, one-stop cases by the day opened or done,
// publicity by its date — and takes the report's unit and campaign where
// the figure does.
func (b *builder) list(key string) string {
	s := b.in.Spec
	q := url.Values{"from": {s.From}, "to": {s.To}}
	if s.Unit != "" {
		q.Set("unit", s.Unit)
	}
	if s.Campaign != 0 {
		q.Set("campaign", strconv.FormatInt(s.Campaign, 10))
	}
	// ended bounds the day a record ended instead of the day it began.
	ended := func(from, to string) {
		q.Del("from")
		q.Del("to")
		q.Set(from, s.From)
		q.Set(to, s.To)
	}
	reg, k, _ := strings.Cut(key, ".")
	switch reg {
	case "matters":
		q.Set("status", "done")
		switch class, ok := strings.CutPrefix(k, "done_"); {
		case k == "done":
		case k == "led":
			q.Set("led", "true")
		case ok && archive.Class(class).Valid():
			q.Set("class", class)
		case strings.HasPrefix(k, "outcome_"):
			// The list of the matters done with that outcome shows its sum.
			q.Set("outcome", strings.TrimPrefix(k, "outcome_"))
		default:
			return ""
		}
		return "/staff/matters?" + q.Encode()
	case "measures":
		if k != "implemented" {
			return ""
		}
		return "/staff/measures?" + q.Encode()
	case "volunteer_activities":
		if k != "activities" {
			return ""
		}
		return "/staff/volunteer?" + q.Encode()
	case "disputes":
		switch k {
		case "found":
		case "resolved", "referred", "unresolved":
			ended("closed_from", "closed_to")
			q.Set("status", k)
		case "resolved_village":
			ended("closed_from", "closed_to")
			q.Set("status", "resolved")
			q.Set("level", "village")
		default:
			return ""
		}
		return "/staff/disputes?" + q.Encode()
	case "publicity":
		switch channel, ok := strings.CutPrefix(k, "channel_"); {
		case k == "pieces":
		case ok:
			q.Set("channel", channel)
		default:
			return ""
		}
		return "/staff/publicity?" + q.Encode()
	case "indicators":
		// The grid of the indicator shows the months whose first day is in
		// the period, as the figure counts them; indicators have no
		// campaign.
		first, last := indicator.PeriodMonths(s.From, s.To)
		if s.Campaign != 0 || first == "" || last == "" || first > last {
			return ""
		}
		q.Del("campaign")
		q.Set("from", first)
		q.Set("to", last)
		q.Set("indicator", k)
		return "/staff/indicators?" + q.Encode()
	case "campaign":
		// The campaigns whose period meets the report's, with the
		// meetings held in it; the asked campaign's alone have no list.
		if k != "meetings" || s.Campaign != 0 {
			return ""
		}
		q.Del("unit")
		return "/staff/campaigns?" + q.Encode()
	case "service_points":
		// The points open at the end of the period, as counted.
		if k != "active" || s.To == "" {
			return ""
		}
		q.Del("from")
		q.Del("to")
		q.Set("open_on", s.To)
		return "/staff/points?" + q.Encode()
	case "surveys":
		// The questionnaires' list of the period shows the answers
		// received in it, from the same counters.
		if k != "answers" {
			return ""
		}
		return "/staff/surveys?" + q.Encode()
	case "cases":
		return b.caseList(k, q, ended)
	case "opinions", "desk", "channels", "items":
		return itemList(reg, k, q)
	case "rates":
		// The dashboard shows the period's rates (data-figure marks each),
		// worked out from the same counters; it knows no campaign.
		q.Del("campaign")
		return "/staff/dashboard?" + q.Encode() + "#rates"
	case "units":
		if k != "ranked" {
			return ""
		}
		q.Del("campaign")
		return "/staff/dashboard?" + q.Encode() + "#units"
	}
	return ""
}

// itemList is the list of every item (the inbox's 全部) of a figure of the
// items' overview: the items received in the period (by the day of
// receipt) of the figure's channels, and for opinions resolved, desk
// questions and items closed only the closed among them, as the breakdown
// counts them, for items answered the valid answered (TallyOf). Items belong to no campaign.
func itemList(reg, k string, q url.Values) string {
	q.Del("campaign")
	q.Set("queue", "all")
	var channels []string
	switch {
	case reg == "opinions" && (k == "collected" || k == "resolved"):
		for _, c := range CollectionChannels {
			channels = append(channels, string(c))
		}
		if k == "resolved" {
			q.Set("status", string(archive.StatusClosed))
		}
	case reg == "desk" && k == "replied":
		q.Set("public", "true")
	case reg == "desk" && (k == "received" || k == "closed"):
		channels = []string{string(archive.ChannelOnlineDesk)}
		if k == "closed" {
			q.Set("status", string(archive.StatusClosed))
		}
	case reg == "channels" && archive.Channel(k).Valid():
		channels = []string{k}
	case reg == "items" && k == "received":
	case reg == "items" && k == "answered":
		q.Set("answered", "true")
	case reg == "items" && k == "closed":
		q.Set("status", string(archive.StatusClosed))
	default:
		return ""
	}
	if len(channels) > 0 {
		q.Set("channel", strings.Join(channels, ","))
	}
	return "/staff?" + q.Encode()
}

// caseList is the one-stop cases' list of a figure: opened by the day
// opened, done and proxy by the day done (CaseFigures' counters). The
// cases have no campaign; the list's unit is a case's current step's, the
// unit that completed a done case but not the one that opened it, so the
// cases opened link only from the whole bureau's report.
func (b *builder) caseList(k string, q url.Values, ended func(from, to string)) string {
	q.Del("campaign")
	kind, code, _ := strings.Cut(k, "_")
	if code == "channel" && kind == "green" {
		kind, code = "green", ""
	}
	if code != "" {
		id := int64(0)
		for _, s := range b.in.Services {
			if s.Code == code {
				id = s.ID
			}
		}
		if id == 0 {
			return ""
		}
		q.Set("service", strconv.FormatInt(id, 10))
	}
	switch kind {
	case "opened", "green":
		if b.in.Spec.Unit != "" {
			return ""
		}
		if kind == "green" {
			q.Set("green", "true")
		}
	case "done", "proxy":
		ended("done_from", "done_to")
		q.Set("status", "done")
		if kind == "proxy" {
			q.Set("proxy", "true")
		}
	default:
		return ""
	}
	return "/staff/cases?" + q.Encode()
}

// meetings are the campaign meetings of the period: the asked campaign's,
// or every campaign's of the period, by day.
func (b *builder) meetings() []MeetingInfo {
	var out []MeetingInfo
	camps := b.in.Campaigns
	if b.in.Campaign != nil {
		camps = []CampaignInfo{*b.in.Campaign}
	}
	for _, c := range camps {
		for _, m := range c.Meetings {
			if m.Day >= b.in.Spec.From && m.Day <= b.in.Spec.To {
				out = append(out, m)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b MeetingInfo) int { return strings.Compare(a.Day, b.Day) })
	return out
}

// data is what the template reads.
func (b *builder) data() templateData {
	in := b.in
	d := templateData{Agency: in.Agency, Scope: in.Agency, From: chineseDate(in.Spec.From), To: chineseDate(in.Spec.To)}
	if in.Spec.Unit != "" {
		d.Scope = cmpOr(in.UnitName, in.Spec.Unit)
	}
	camps := in.Campaigns
	if in.Campaign != nil {
		camps = []CampaignInfo{*in.Campaign}
	}
	var names []string
	for _, c := range camps {
		names = append(names, c.Name)
		d.Plan = d.Plan || c.Plan
	}
	d.Campaign = strings.Join(names, "、")
	for _, m := range b.meetings() {
		if !slices.Contains(d.Meetings, m.Kind) {
			d.Meetings = append(d.Meetings, m.Kind)
		}
	}
	d.Empty = b.empty()
	for _, s := range in.Services {
		d.Services = append(d.Services, serviceKeys{Name: s.Zh, Opened: "cases.opened_" + s.Code, Done: "cases.done_" + s.Code, Proxy: "cases.proxy_" + s.Code})
	}
	for _, c := range in.PublicityChannels {
		d.PublicityChannels = append(d.PublicityChannels, channelKey{Name: c.Zh, Key: "publicity.channel_" + c.Code})
	}
	for _, u := range in.Overview.Units {
		if u.Rank == 1 {
			d.TopUnit = b.unitName(u.Unit)
			break
		}
	}
	return d
}

func (b *builder) unitName(code string) string {
	if n, ok := b.in.UnitNames[code]; ok {
		return n
	}
	if code == "" {
		return b.t("未分派", "not yet assigned")
	}
	return code
}

// chineseDate writes 2021-01-02 as 2021年1月2日.
func chineseDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// funcs are the template's functions over this report's figures.
func (b *builder) funcs() template.FuncMap {
	known := func(key string) (*Figure, error) {
		if _, ok := b.figs[key]; !ok && !KnownKey(key) {
			return nil, fmt.Errorf("未知的数据项 %q / unknown figure %q", key, key)
		}
		return b.figure(key), nil
	}
	return template.FuncMap{
		"fig": func(key string) (string, error) {
			if _, err := known(key); err != nil {
				return "", err
			}
			return markOpen + key + markClose, nil
		},
		"num": func(key string) (int64, error) {
			f, err := known(key)
			if err != nil {
				return 0, err
			}
			return f.Value, nil
		},
		"has": func(key string) (bool, error) {
			f, err := known(key)
			if err != nil {
				return false, err
			}
			return f.Value != 0, nil
		},
		"label": func(key string) (string, error) {
			f, err := known(key)
			if err != nil {
				return "", err
			}
			return f.Label, nil
		},
		"pct": func(part, whole string) (string, error) {
			p, err := known(part)
			if err != nil {
				return "", err
			}
			w, err := known(whole)
			if err != nil {
				return "", err
			}
			if w.Value == 0 {
				return "—", nil
			}
			return strconv.FormatFloat(float64(p.Value)*100/float64(w.Value), 'f', 1, 64) + "%", nil
		},
		"stories": func(class string) ([]Story, error) {
			if !archive.Class(class).Valid() {
				return nil, fmt.Errorf("未知的类别 %q / unknown concern %q", class, class)
			}
			return b.in.Stories[archive.Class(class)], nil
		},
		"date": chineseDate,
		"join": strings.Join,
	}
}

// figures lists every figure: those printed first, in order, then the
// others by key.
func (b *builder) figures() []Figure {
	out := make([]Figure, 0, len(b.figs))
	for _, k := range b.order {
		out = append(out, *b.figs[k])
	}
	var rest []string
	for k := range b.figs {
		if !b.printed[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, *b.figs[k])
	}
	return out
}
