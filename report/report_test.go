package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/reporting"
)

// inputs are a small bureau's figures: two units, a campaign, one story.
func inputs() Inputs {
	sat, res, resp := 0.9, 0.8, 1.0
	return Inputs{
		Spec:   Spec{From: "2021-01-01", To: "2021-10-31", Campaign: 3},
		Agency: "某某局", DeskReplies: 6,
		Report: reporting.Report{Registers: map[string]reporting.Figures{
			"matters":  {"done": 12, "led": 7, "done_urgent": 5, "outcome_cattle": 2},
			"disputes": {"found": 9, "resolved": 8, "resolved_village": 5, "open": 1},
			"measures": {"implemented": 2}, "volunteer_activities": {"activities": 3}, "cases": {"opened": 3, "done": 2},
			"items": {"received": 30, "answered": 28, "closed": 25},
		}},
		Overview: reporting.Overview{
			Stats:    reporting.Stats{Rates: reporting.Rates{Satisfaction: &sat, Resolution: &res, Response: &resp}},
			Channels: []reporting.GroupCount{{Key: "paper_box", Received: 4, Closed: 4}, {Key: "online_desk", Received: 6, Closed: 5}, {Key: "phone", Received: 20, Closed: 16}},
			Units: []reporting.UnitRow{{UnitStats: reporting.UnitStats{Unit: "a", Tally: reporting.Tally{Received: 20}}, Rank: 1},
				{UnitStats: reporting.UnitStats{Unit: "b", Tally: reporting.Tally{Received: 10}}, Rank: 2}},
			Months: []reporting.MonthCount{{Month: "2021-01", Received: 10, Answered: 9, Closed: 8}, {Month: "2021-02", Received: 20, Answered: 19, Closed: 17}},
		},
		Campaign:  &CampaignInfo{ID: 3, Name: "我为群众办实事", Plan: true, Meetings: []MeetingInfo{{Day: "2021-03-01", Kind: "动员大会"}, {Day: "2022-01-01", Kind: "推进会"}}},
		Stories:   map[archive.Class][]Story{archive.ClassUrgent: {{Matter: 1, Unit: "甲所", DoneOn: "2021-10-22", Text: "帮助劉某收玉米。"}}},
		UnitNames: map[string]string{"a": "甲所", "b": "乙所"},
	}
}

func TestBuild(t *testing.T) {
	doc, err := Build(inputs(), nil)
	if err != nil {
		t.Fatal(err)
	}
	text := plainText(doc)
	for _, want := range []string{"共计办理实事12件", "共收集到意见建议4条，回应解决4条", "“24小时警局”累计受理群众问政6条，回复6条，已办结5条",
		"累计排查矛盾纠纷9起，已化解矛盾纠纷8起", "召开动员大会等会议1次", "办理此类实事5件", "2021年10月22日，甲所：帮助劉某收玉米。",
		"满意率90.0%", "甲所排名第一"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q:\n%s", want, text)
		}
	}
	t.Run("figures and their lists", func(t *testing.T) {
		for _, tt := range []struct{ key, list string }{
			{"matters.done", "/staff/matters?campaign=3&from=2021-01-01&status=done&to=2021-10-31"},
			{"matters.done_urgent", "/staff/matters?campaign=3&class=urgent&from=2021-01-01&status=done&to=2021-10-31"},
			{"disputes.found", "/staff/disputes?campaign=3&from=2021-01-01&to=2021-10-31"},
			{"matters.led", "/staff/matters?campaign=3&from=2021-01-01&led=true&status=done&to=2021-10-31"},
			{"disputes.resolved", "/staff/disputes?campaign=3&closed_from=2021-01-01&closed_to=2021-10-31&status=resolved"},
			{"disputes.resolved_village", "/staff/disputes?campaign=3&closed_from=2021-01-01&closed_to=2021-10-31&level=village&status=resolved"},
			{"disputes.open", ""},
			{"measures.implemented", "/staff/measures?campaign=3&from=2021-01-01&to=2021-10-31"},
			{"volunteer_activities.activities", "/staff/volunteer?campaign=3&from=2021-01-01&to=2021-10-31"},
			{"cases.done", "/staff/cases?done_from=2021-01-01&done_to=2021-10-31&status=done"},
			{"cases.opened", "/staff/cases?from=2021-01-01&to=2021-10-31"},
			{"opinions.collected", "/staff?channel=paper_box%2Conline_box%2Cqr_code%2Csurvey%2Cforum&from=2021-01-01&queue=all&to=2021-10-31"},
			{"desk.closed", "/staff?channel=online_desk&from=2021-01-01&queue=all&status=closed&to=2021-10-31"},
			{"items.answered", "/staff?answered=true&from=2021-01-01&queue=all&to=2021-10-31"},
			{"rates.satisfaction", "/staff/dashboard?from=2021-01-01&to=2021-10-31#rates"},
			{"desk.replied", "/staff?from=2021-01-01&public=true&queue=all&to=2021-10-31"},
		} {
			f, ok := doc.Figure(tt.key)
			if !ok || f.List != tt.list {
				t.Errorf("%s: %+v, want list %q", tt.key, f, tt.list)
			}
		}
		if f, _ := doc.Figure("rates.satisfaction"); f.Value != 900 || f.Unit != "‰" || f.Text != "90.0%" {
			t.Errorf("satisfaction %+v", f)
		}
		if doc.Figures[0].Key == "" || len(doc.Figures) < 20 {
			t.Errorf("figures %+v", doc.Figures)
		}
	})
	t.Run("sections with tables and charts", func(t *testing.T) {
		for _, tt := range []struct{ key, chart string }{{"listening", "channels"}, {"results", "months"}, {"rates", "units"}} {
			s := section(doc, tt.key)
			if s == nil || s.Chart == nil || s.Chart.Key != tt.chart || len(s.Chart.Labels) != len(s.Chart.Series[0].Values) {
				t.Errorf("section %s: %+v", tt.key, s)
			}
		}
		if s := section(doc, "rates"); s.Table == nil || len(s.Table.Rows) != 2 || s.Table.Rows[0][1] != "甲所" {
			t.Errorf("ranking %+v", s.Table)
		}
		if s := section(doc, "concern_urgent"); s == nil || len(s.Stories) != 1 || s.Stories[0].Matter != 1 {
			t.Errorf("the urgent concern's stories: %+v", s)
		}
		// A concern without matters or stories is left out.
		if s := section(doc, "concern_hard"); s != nil {
			t.Errorf("empty concern %+v", s)
		}
	})
}

func TestBuildEmpty(t *testing.T) {
	tests := []struct {
		name string
		in   Inputs
	}{
		{"nothing at all", Inputs{}},
		// Items received before the period, open and past due now, are no
		// record of it: counted, they made the schedule issue the report
		// of a month with nothing recorded (RunSchedule).
		{"only items overdue now", Inputs{
			Report: reporting.Report{Registers: map[string]reporting.Figures{"items": {"overdue_now": 2}, "cases": {"overdue": 0}}},
			Overview: reporting.Overview{Units: []reporting.UnitRow{{UnitStats: reporting.UnitStats{Unit: "a"}, Overdue: 2, Rank: 1}},
				Stats: reporting.Stats{Overdue: 2}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Spec, in.Agency = Spec{From: "2030-01-01", To: "2030-01-31"}, "某某局"
			doc, err := Build(in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !doc.Empty || !strings.Contains(plainText(doc), "暂无可统计的记录") {
				t.Errorf("empty period: %v\n%s", doc.Empty, plainText(doc))
			}
			for _, s := range doc.Sections {
				if s.Chart != nil || s.Table != nil {
					t.Errorf("section %s of an empty period has a chart or table", s.Key)
				}
			}
		})
	}
}

func TestBuildScripts(t *testing.T) {
	in := inputs()
	in.Spec.Script, in.Spec.Lang = Hant, En
	in.Convert = func(s string) string { return strings.ReplaceAll(s, "实事", "實事") }
	doc, err := Build(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if text := plainText(doc); !strings.Contains(text, "共计办理實事12件") || strings.Contains(text, "办理实事") {
		t.Errorf("not converted:\n%s", text)
	}
	if s := section(doc, "governance"); s == nil || s.Heading != "Grassroots governance" {
		t.Errorf("English heading %+v", s)
	}
}

func TestParseTemplate(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"the default", DefaultText(), 0, ""},
		{"a figure", "{{define \"intro\"}}\n共{{fig \"matters.done\"}}件{{end}}", 0, ""},
		{"a figure per code", "{{define \"intro\"}}{{fig \"matters.outcome_cattle\"}}{{fig \"indicators.x\"}}{{end}}", 0, ""},
		{"does not parse", "{{define \"intro\"}}\n\n{{if}}{{end}}", 3, "missing value for if"},
		{"unknown function", "{{define \"intro\"}}\n{{exec \"rm\"}}{{end}}", 2, "function \"exec\" not defined"},
		{"unknown figure", "{{define \"intro\"}}\n\n\n{{if has \"matters.bogus\"}}x{{end}}{{end}}", 4, "matters.bogus"},
		{"unknown register", "{{define \"intro\"}}{{fig \"secrets.all\"}}{{end}}", 1, "secrets.all"},
		{"fails when run", "{{define \"intro\"}}\n{{.Nothing}}{{end}}", 2, "Nothing"},
		{"computed unknown figure", "{{define \"intro\"}}\n{{fig (printf \"x.%s\" \"y\")}}{{end}}", 2, "x.y"},
		{"unknown concern", "{{define \"intro\"}}\n{{range stories \"sad\"}}{{end}}{{end}}", 2, "sad"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTemplate(tt.text)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("error %v, want a TemplateError", err)
			}
			if te.Line != tt.line || !strings.Contains(te.Msg, tt.msg) {
				t.Errorf("error %+v, want line %d with %q", te, tt.line, tt.msg)
			}
			p := te.AsProblem()
			var me *minyi.Error
			if !errors.As(p, &me) || me.Code != minyi.EInvalid || len(me.Fields) != 1 || me.Fields[0].Field != "text" ||
				!strings.Contains(me.Fields[0].Zh, "行") {
				t.Errorf("problem %+v", p)
			}
		})
	}
}

func TestRender(t *testing.T) {
	doc, err := Build(inputs(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := Markdown(&md, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# 某某局“我为群众办实事”实践活动工作综述", "## 动员部署工作有速度",
		"共计办理实事[12](/staff/matters?campaign=3&from=2021-01-01&status=done&to=2021-10-31)件", "| `disputes.found` |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown without %q:\n%s", want, md.String())
		}
	}
	var page bytes.Buffer
	if err := HTML(&page, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="zh-Hans">`, "@page", "counter(page)",
		`<a class="fig" href="/staff/matters?campaign=3&amp;from=2021-01-01&amp;status=done&amp;to=2021-10-31" data-figure="matters.done"`,
		`data-chart="months"`, "<th scope=\"row\">2021-02</th>", "<svg class=\"chart-svg\""} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("HTML without %q", want)
		}
	}
	if strings.Contains(page.String(), markOpen) {
		t.Error("a figure's mark is left in the page")
	}
}

func plainText(d Document) string {
	var b strings.Builder
	for _, s := range d.Sections {
		b.WriteString(s.Heading + "\n")
		for _, p := range s.Paragraphs {
			b.WriteString(p.String() + "\n")
		}
	}
	return b.String()
}

func section(d Document, key string) *Section {
	for i := range d.Sections {
		if d.Sections[i].Key == key {
			return &d.Sections[i]
		}
	}
	return nil
}

// TestCompare: an issued report's changes are the figures whose live value
// differs, never those counted at the moment of counting, which differ with
// time alone (an old report's items overdue now).
func TestCompare(t *testing.T) {
	doc := func(figs ...Figure) Document { return Document{Figures: figs} }
	fig := func(key string, v int64) Figure { return Figure{Key: key, Value: v} }
	tests := []struct {
		name         string
		issued, live Document
		want         []string
	}{
		{"nothing changed", doc(fig("items.received", 3)), doc(fig("items.received", 3)), nil},
		{"a late entry", doc(fig("items.received", 3)), doc(fig("items.received", 4)), []string{"items.received"}},
		{"a figure the issued report did not have", doc(fig("items.received", 3)),
			doc(fig("items.received", 3), fig("disputes.found", 1)), []string{"disputes.found"}},
		{"overdue now grows with time alone", doc(fig("items.received", 3), fig("items.overdue_now", 0), fig("cases.overdue", 1)),
			doc(fig("items.received", 3), fig("items.overdue_now", 2), fig("cases.overdue", 4)), nil},
		{"a late entry beside the moment's figures", doc(fig("items.received", 3), fig("items.overdue_now", 0)),
			doc(fig("items.received", 4), fig("items.overdue_now", 1), fig("cases.overdue", 2)), []string{"items.received"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range Compare(tt.issued, tt.live) {
				got = append(got, c.Key)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("changes %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMayRead: a unit's issued report is its staff's, leaders' and
// admins'; the bureau's the leaders' and admins'; never a partner's or
// another unit's.
func TestMayRead(t *testing.T) {
	tests := []struct {
		name string
		u    org.User
		unit string
		want bool
	}{
		{"a leader the bureau's", org.User{Role: org.RoleLeader}, "", true},
		{"an admin a unit's", org.User{Role: org.RoleAdmin}, "a", true},
		{"an officer their unit's", org.User{Role: org.RoleOfficer, UnitCode: "a"}, "a", true},
		{"an officer another unit's", org.User{Role: org.RoleOfficer, UnitCode: "a"}, "b", false},
		{"a unit's head the bureau's", org.User{Role: org.RoleUnitHead, UnitCode: "a"}, "", false},
		{"a partner of the unit", org.User{Role: org.RolePartner, UnitCode: "a"}, "a", false},
		{"a disabled officer", org.User{Role: org.RoleOfficer, UnitCode: "a", Disabled: true}, "a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mayRead(tt.u, tt.unit); got != tt.want {
				t.Errorf("mayRead = %v, want %v", got, tt.want)
			}
		})
	}
}
