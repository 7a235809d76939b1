package report

import (
	"strconv"
	"strings"

	"minyi/archive"
	"minyi/chart"
)

// attach gives a section its table and chart, made from the figures (never
// from the template): the meetings of the mobilisation, the channels heard,
// the months of the results, the one-stop services, the publicity channels
// and the units' ranking.
func (b *builder) attach(s *Section) {
	if class, ok := strings.CutPrefix(s.Key, "concern_"); ok {
		s.Stories = b.in.Stories[archive.Class(class)]
		return
	}
	switch s.Key {
	case "mobilisation":
		ms := b.meetings()
		if len(ms) == 0 {
			return
		}
		t := &Table{Caption: b.t("活动部署会议", "Campaign meetings"), Head: []string{b.t("日期", "Day"), b.t("会议", "Meeting")}}
		for _, m := range ms {
			t.Rows = append(t.Rows, []string{m.Day, m.Kind})
		}
		s.Table = t
	case "listening":
		chs := b.in.Overview.Channels
		if len(chs) == 0 {
			return
		}
		t := &Table{Caption: b.t("各渠道收件", "Items by channel"), Head: []string{b.t("渠道", "Channel"), b.t("收件", "Received"), b.t("已销号", "Closed")}}
		c := &Chart{Key: "channels", Title: b.t("收件渠道构成", "Channel mix"), Series: []Series{{Name: b.t("收件", "Received")}}}
		for _, ch := range chs {
			name := channelName(ch.Key)
			t.Rows = append(t.Rows, []string{name, itoa(ch.Received), itoa(ch.Closed)})
			c.Labels = append(c.Labels, name)
			c.Series[0].Values = append(c.Series[0].Values, ch.Received)
		}
		s.Table, s.Chart = t, c
	case "results":
		ms := b.in.Overview.Months
		if len(ms) == 0 {
			return
		}
		c := &Chart{Key: "months", Title: b.t("各月收件、答复、销号", "Received, answered and closed by month"),
			Series: []Series{{Name: b.t("收件", "Received")}, {Name: b.t("答复", "Answered")}, {Name: b.t("销号", "Closed")}}}
		for _, m := range ms {
			c.Labels = append(c.Labels, m.Month)
			c.Series[0].Values = append(c.Series[0].Values, m.Received)
			c.Series[1].Values = append(c.Series[1].Values, m.Answered)
			c.Series[2].Values = append(c.Series[2].Values, m.Closed)
		}
		s.Chart = c
	case "governance":
		var rows [][]string
		for _, sv := range b.in.Services {
			o, d, p := b.figure("cases.opened_"+sv.Code), b.figure("cases.done_"+sv.Code), b.figure("cases.proxy_"+sv.Code)
			if o.Value == 0 && d.Value == 0 {
				continue
			}
			rows = append(rows, []string{sv.Zh, o.Text, d.Text, p.Text})
		}
		if len(rows) > 0 {
			s.Table = &Table{Caption: b.t("一件事一次办", "One-stop cases"), Head: []string{b.t("事项", "Service"), b.t("受理", "Opened"),
				b.t("办结", "Done"), b.t("帮办代办", "By an officer")}, Rows: rows}
		}
	case "publicity":
		var rows [][]string
		for _, ch := range b.in.PublicityChannels {
			f := b.figure("publicity.channel_" + ch.Code)
			if f.Value == 0 {
				continue
			}
			rows = append(rows, []string{b.t(ch.Zh, ch.En), f.Text})
		}
		if len(rows) > 0 {
			s.Table = &Table{Caption: b.t("各渠道宣传报道", "Publicity by channel"), Head: []string{b.t("渠道", "Channel"), b.t("篇数", "Pieces")}, Rows: rows}
		}
	case "rates":
		units := b.in.Overview.Units
		if len(units) == 0 {
			return
		}
		t := &Table{Caption: b.t("各单位三率排名", "The units ranked by their rates"), Head: []string{b.t("名次", "Rank"), b.t("单位", "Unit"),
			b.t("收件", "Received"), b.t("响应率", "Response"), b.t("解决率", "Resolution"), b.t("满意率", "Satisfaction"), b.t("超期", "Overdue")}}
		c := &Chart{Key: "units", Title: b.t("各单位收件、答复、销号", "Received, answered and closed by unit"),
			Series: []Series{{Name: b.t("收件", "Received")}, {Name: b.t("答复", "Answered")}, {Name: b.t("销号", "Closed")}}}
		for _, u := range units {
			rank := "—"
			if u.Rank > 0 {
				rank = itoa(int64(u.Rank))
			}
			name := b.unitName(u.Unit)
			t.Rows = append(t.Rows, []string{rank, name, itoa(u.Tally.Received), percent(u.Rates.Response), percent(u.Rates.Resolution),
				percent(u.Rates.Satisfaction), itoa(u.Overdue)})
			c.Labels = append(c.Labels, name)
			c.Series[0].Values = append(c.Series[0].Values, u.Tally.Received)
			c.Series[1].Values = append(c.Series[1].Values, u.Tally.Answered)
			c.Series[2].Values = append(c.Series[2].Values, u.Tally.Closed)
		}
		s.Table, s.Chart = t, c
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// percent prints a rate with one decimal, "—" for none.
func percent(r *float64) string {
	if r == nil {
		return "—"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// channelName names an items' channel as the archive does.
func channelName(code string) string {
	for _, c := range archive.Channels {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// convert converts every text of d written in simplified Chinese (prose,
// headings, labels, tables, charts) with conv.
func convert(d *Document, conv func(string) string) {
	d.Title, d.Subtitle, d.UnitName, d.CampaignName = conv(d.Title), conv(d.Subtitle), conv(d.UnitName), conv(d.CampaignName)
	for i := range d.Sections {
		s := &d.Sections[i]
		s.Heading = conv(s.Heading)
		for _, p := range s.Paragraphs {
			for j := range p {
				if p[j].Figure == "" {
					p[j].Text = conv(p[j].Text)
				}
			}
		}
		if s.Table != nil {
			s.Table.Caption = conv(s.Table.Caption)
			for j := range s.Table.Head {
				s.Table.Head[j] = conv(s.Table.Head[j])
			}
			for _, row := range s.Table.Rows {
				for j := range row {
					row[j] = conv(row[j])
				}
			}
		}
		for j := range s.Stories {
			st := &s.Stories[j]
			st.Title, st.Unit, st.Text = conv(st.Title), conv(st.Unit), conv(st.Text)
		}
		if s.Chart != nil {
			s.Chart.Title = conv(s.Chart.Title)
			for j := range s.Chart.Labels {
				s.Chart.Labels[j] = conv(s.Chart.Labels[j])
			}
			for j := range s.Chart.Series {
				s.Chart.Series[j].Name = conv(s.Chart.Series[j].Name)
			}
		}
	}
	for i := range d.Sections {
		for j := range d.Sections[i].Stories {
			st := &d.Sections[i].Stories[j]
			st.Title, st.Unit, st.Text = conv(st.Title), conv(st.Unit), conv(st.Text)
		}
	}
	for i := range d.Figures {
		d.Figures[i].Label = conv(d.Figures[i].Label)
	}
}

// Bars is the chart as the chart package lays it out: per unit as rows
// (long names), per month and per channel as columns; received, answered
// and closed side by side.
func (c Chart) Bars() chart.Bars {
	b := chart.Bars{ID: "report-chart-" + c.Key, Title: c.Title, Horizontal: c.Key == "units" || c.Key == "channels",
		Values: c.Key != "months", Categories: c.Labels}
	var total int64
	for _, s := range c.Series {
		cs := chart.Series{Name: s.Name}
		for _, v := range s.Values {
			cs.Points = append(cs.Points, chart.Point{Value: float64(v)})
			total += v
		}
		b.Series = append(b.Series, cs)
	}
	names := make([]string, len(c.Series))
	for i, s := range c.Series {
		names[i] = s.Name
	}
	b.Desc = c.Title + "：" + strings.Join(names, "、") + "，共" + strconv.Itoa(len(c.Labels)) + "组"
	return b
}
