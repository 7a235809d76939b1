package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/web"
)

// dashSite is a running server over a real SQLite database with a leader,
// an admin, a unit head, an officer, an auxiliary and a partner, all with
// passwords for the login form, and four items in known states.
type dashSite struct {
	*env
	numbers []string
}

// newDashSite files, on units 甲 (a) and 乙 (b):
//
//	n[0] 1 Mar 2021, hukou → 甲: answered, satisfied, closed
//	n[1] 2 Mar 2021, paper box → 乙: answered, basically satisfied
//	n[2] 3 Mar 2021, hukou → 甲: left open, overdue
//	n[3] 1 Jun 2021, hukou → 甲: left open, overdue
//
// and leaves the service's clock on 1 July 2021.
func newDashSite(t *testing.T) *dashSite {
	t.Helper()
	db := testdb.Open(t, "sqlite")
	s := &dashSite{env: newEnv(t, db, withConfig(web.Config{Dialect: db.Dialect()}),
		withUnits(org.Unit{Code: "gov", Name: "政务服务中心", Kind: org.UnitPartner}),
		withUsers(org.User{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"},
			org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"},
			org.User{Name: "partner", Role: org.RolePartner, UnitCode: "gov"}))}
	clock := testkit.NewClock(time.Date(2021, 3, 1, 9, 0, 0, 0, calendar.Zone))
	svc := s.svc
	svc.Now = clock.Now
	file := func(day int, month time.Month, sub archive.Submission) string {
		clock.Set(time.Date(2021, month, day, 9, 0, 0, 0, calendar.Zone))
		sub.Kind, sub.Text = archive.KindConsultation, "户口迁移需要带什么材料？"
		sub.Contact = archive.Contact{Name: "王某", Phone: "13900001111"}
		it, _, err := svc.Submit(ctx, &org.User{Name: "leader", Role: org.RoleLeader}, sub)
		if err != nil {
			t.Fatal(err)
		}
		return it.Number
	}
	act := func(user, number string, cmd archive.Command) {
		clock.Advance(time.Hour)
		if _, err := svc.Act(ctx, mustUser(t, s.env, user), number, cmd, true); err != nil {
			t.Fatalf("%s %s: %v", number, cmd.Action, err)
		}
	}
	hukou := archive.Submission{Channel: archive.ChannelOnlineBox, Category: "hukou"}
	s.numbers = []string{file(1, time.March, hukou)}
	act("leader", s.numbers[0], archive.Command{Action: archive.ActDispatch, Unit: "a"})
	act("head-a", s.numbers[0], archive.Command{Action: archive.ActSign})
	act("head-a", s.numbers[0], archive.Command{Action: archive.ActAnswer, Body: "请携带户口簿。"})
	act("head-a", s.numbers[0], archive.Command{Action: archive.ActVisit, Satisfaction: archive.Satisfied})
	act("head-a", s.numbers[0], archive.Command{Action: archive.ActClose})
	s.numbers = append(s.numbers, file(2, time.March, archive.Submission{Channel: archive.ChannelPaperBox, Unit: "b"}))
	act("leader", s.numbers[1], archive.Command{Action: archive.ActDispatch, Unit: "b"})
	act("leader", s.numbers[1], archive.Command{Action: archive.ActSign})
	act("leader", s.numbers[1], archive.Command{Action: archive.ActAnswer, Body: "已答复。"})
	act("leader", s.numbers[1], archive.Command{Action: archive.ActVisit, Satisfaction: archive.BasicSatisfied, Body: "希望办得再快些。"})
	s.numbers = append(s.numbers, file(3, time.March, hukou), file(1, time.June, hukou))
	clock.Set(time.Date(2021, 7, 1, 9, 0, 0, 0, calendar.Zone))

	return s
}

// staffer is a browser logged in as name through the real login form.
func (s *dashSite) staffer(name string) *staffer { return s.loggedIn(s.t, name) }

var (
	dashSVG   = regexp.MustCompile(`(?s)<svg class="chart-svg"[^>]*>.*?</svg>`)
	dashTable = regexp.MustCompile(`(?s)<table class="dash-table">.*?</table>`)
	dashRow   = regexp.MustCompile(`(?s)<tr>.*?</tr>`)
	dashMain  = regexp.MustCompile(`(?s)<main.*</main>`)
)

// part returns the first match of re in body that contains marker.
func dashPart(re *regexp.Regexp, body, marker string) string {
	for _, m := range re.FindAllString(body, -1) {
		if strings.Contains(m, marker) {
			return m
		}
	}
	return ""
}

// headline returns the headline figure labelled label.
func dashHeadline(body, label string) string {
	m := regexp.MustCompile(`<dt>` + label + `</dt><dd>([^<]*)</dd>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

const dashMarch = "/staff/dashboard?from=2021-03-01&to=2021-03-31"

func TestDashboardLeaderSeesAllUnits(t *testing.T) {
	s := newDashSite(t)
	for _, name := range []string{"leader", "admin"} {
		t.Run(name, func(t *testing.T) {
			p := s.staffer(name).get(dashMarch)
			status, body := p.status, p.body
			if status != http.StatusOK {
				t.Fatalf("status %d:\n%s", status, body)
			}
			for label, want := range map[string]string{"收件": "3", "已答复": "2", "已办结": "1", "已回访": "2", "当前超期": "2"} {
				if got := dashHeadline(body, label); got != want {
					t.Errorf("headline %s = %q, want %q", label, got, want)
				}
			}
			chart := dashPart(dashSVG, body, "rate-chart-title")
			table := dashPart(dashTable, body, "各单位排名")
			if chart == "" || table == "" {
				t.Fatalf("no rate chart or unit table:\n%s", body)
			}
			// The same figures in the chart's labels and in the table: 甲
			// resolved one of its two items, 乙 none of its one.
			for _, want := range []string{"<title>甲派出所 解决率：50.0%</title>", "<title>乙派出所 解决率：0.0%</title>",
				"<title>甲派出所 满意率：100.0%</title>", "1. 甲派出所", "2. 乙派出所"} {
				if !strings.Contains(chart, want) {
					t.Errorf("rate chart lacks %q:\n%s", want, chart)
				}
			}
			rowA, rowB := dashPart(dashRow, table, "甲派出所"), dashPart(dashRow, table, "乙派出所")
			for _, c := range []struct{ row, want string }{
				{rowA, `<td class="num">1</td>`}, {rowA, `<td class="num">50.0%</td>`}, {rowA, `<td class="num">100.0%</td>`},
				{rowB, `<td class="num">2</td>`}, {rowB, `<td class="num">0.0%</td>`},
			} {
				if !strings.Contains(c.row, c.want) {
					t.Errorf("row lacks %q:\n%s", c.want, c.row)
				}
			}
			if !strings.Contains(body, `<a href="/staff/items/`+s.numbers[2]+`">`+s.numbers[2]+`</a>`) ||
				!strings.Contains(body, `<a href="/staff/items/`+s.numbers[3]+`">`) {
				t.Errorf("overdue list lacks %s and %s", s.numbers[2], s.numbers[3])
			}
			trend := dashPart(dashSVG, body, "trend-chart-title")
			if !strings.Contains(trend, "2021-W09（2021-03-01起）：收件3件，已答复2件") {
				t.Errorf("trend chart lacks the week of 1 March:\n%s", trend)
			}
			if !strings.Contains(dashPart(dashTable, body, "各渠道"), "意见箱") || !strings.Contains(dashPart(dashTable, body, "各分类"), "户籍") {
				t.Error("no channel or category table")
			}
		})
	}
}

func TestDashboardIsAccessibleAndScriptless(t *testing.T) {
	s := newDashSite(t)
	body := s.staffer("leader").get(dashMarch).body
	svgs := dashSVG.FindAllString(body, -1)
	if len(svgs) != 4 {
		t.Fatalf("%d charts, want 4 (two charts, each wide and for phones)", len(svgs))
	}
	for _, svg := range svgs {
		if !strings.Contains(svg, `role="img"`) || !regexp.MustCompile(`<title id="[a-z-]+-title">[^<]+</title>`).MatchString(svg) {
			t.Errorf("chart without role or title:\n%.300s", svg)
		}
	}
	tables := dashTable.FindAllString(body, -1)
	if len(tables) != 5 {
		t.Errorf("%d tables, want 5 (units, overdue, weeks, categories, channels)", len(tables))
	}
	for _, tb := range tables {
		if !strings.Contains(tb, "<caption>") {
			t.Errorf("table without caption:\n%.300s", tb)
		}
	}
	if m := dashMain.FindString(body); strings.Contains(m, "style=") || strings.Contains(m, "<script") {
		t.Error("inline style or script on the dashboard (CSP forbids them)")
	}
}

func TestDashboardUnitHeadSeesOwnUnit(t *testing.T) {
	s := newDashSite(t)
	c := s.staffer("head-a")
	p := c.get(dashMarch)
	status, body := p.status, p.body
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	main := dashMain.FindString(body)
	if !strings.Contains(main, "甲派出所") || strings.Contains(main, "乙派出所") {
		t.Errorf("unit head's dashboard should show 甲 only:\n%s", main)
	}
	if got := dashHeadline(body, "收件"); got != "2" {
		t.Errorf("received %q, want 2", got)
	}
	if status := c.get(dashMarch + "&unit=b").status; status != http.StatusForbidden {
		t.Errorf("another unit: status %d, want 403", status)
	}
}

func TestDashboardRefusesOtherRoles(t *testing.T) {
	s := newDashSite(t)
	for _, name := range []string{"officer-a", "aux-a", "partner"} {
		t.Run(name, func(t *testing.T) {
			p := s.staffer(name).get(dashMarch)
			status, body := p.status, p.body
			if status != http.StatusForbidden || !strings.Contains(body, "领导驾驶舱仅供局领导和所队长查看") {
				t.Errorf("status %d, want 403 with the reason:\n%s", status, body)
			}
		})
	}
	t.Run("anonymous", func(t *testing.T) {
		p := newStaffer(t, s.url).get(dashMarch)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
			t.Errorf("anonymous: %d → %q, want the login page", p.status, p.location)
		}
	})
}

func TestDashboardPeriod(t *testing.T) {
	s := newDashSite(t)
	c := s.staffer("leader")
	today := time.Now().In(calendar.Zone)
	tests := []struct {
		name, query string
		received    string
		contains    []string
	}{
		{"june", "?from=2021-06-01&to=2021-06-30", "1", []string{"统计区间：2021-06-01至2021-06-30", "2021-W22"}},
		{"dashMarch and june", "?from=2021-03-01&to=2021-06-30", "4", []string{"2021-W09", "2021-W26"}},
		{"one unit", "?from=2021-03-01&to=2021-06-30&unit=b", "1", []string{"统计区间：2021-03-01至2021-06-30，乙派出所。"}},
		{"nothing received", "?from=2021-08-01&to=2021-08-31", "0", []string{"该时段没有受理的件。"}},
		{"default: this year", "", "0", []string{"统计区间：" + today.Format("2006") + "-01-01至" + today.Format(time.DateOnly)}},
		{"quick links keep the unit", "?unit=a", "0", []string{`href="/staff/dashboard?from=` + today.Format("2006") + `-01-01&amp;to=` + today.Format(time.DateOnly) + `&amp;unit=a"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.get("/staff/dashboard" + tt.query)
			status, body := p.status, p.body
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if got := dashHeadline(body, "收件"); got != tt.received {
				t.Errorf("received %q, want %s", got, tt.received)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
		})
	}
}

func TestDashboardBadInput(t *testing.T) {
	s := newDashSite(t)
	c := s.staffer("leader")
	tests := []struct {
		name, query string
		field, msg  string
	}{
		{"no such day", "?from=2021-02-30&to=2021-03-31", "from", "开始日期应为“年-月-日”格式"},
		{"not a date", "?from=2021-01-01&to=tomorrow", "to", "结束日期应为“年-月-日”格式"},
		{"backwards", "?from=2021-03-31&to=2021-03-01", "to", "结束日期不能早于开始日期"},
		{"too long", "?from=2001-01-01&to=2021-03-01", "to", "统计区间最长3年"},
		{"unknown unit", "?from=2021-03-01&to=2021-03-31&unit=nowhere", "unit", "单位不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.get("/staff/dashboard" + tt.query)
			status, body := p.status, p.body
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", status)
			}
			if !strings.Contains(body, `<p class="field-error" role="alert">`+tt.msg) {
				t.Errorf("no error at the field %s saying %q:\n%s", tt.field, tt.msg, dashMain.FindString(body))
			}
			if tt.field != "unit" && !strings.Contains(body, `name="`+tt.field+`" value="`) {
				t.Errorf("the form is not shown again")
			}
			if strings.Contains(body, `class="chart-svg"`) {
				t.Error("figures shown for a bad period")
			}
		})
	}
}

// TestDashboardPresets checks the preset periods 本月, 上月, 本季度, 本年 and
// 近30天 are computed from the server's clock in the bureau's time zone, and
// the one shown is marked current.
func TestDashboardPresets(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	// 20:00 UTC on 31 March is already 1 April in China.
	now := time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC)
	e := newEnv(t, db, withConfig(web.Config{Dialect: db.Dialect(), MaxBodyBytes: 64 << 10, Now: func() time.Time { return now }}))
	c := e.loggedIn(t, "leader")
	tests := []struct{ name, query, label, href string }{
		{"this month", "", "本月", "from=2026-04-01&amp;to=2026-04-01"},
		{"last month", "", "上月", "from=2026-03-01&amp;to=2026-03-31"},
		{"this quarter", "", "本季度", "from=2026-04-01&amp;to=2026-04-01"},
		{"this year, the default period, is current", "", "本年", "from=2026-01-01&amp;to=2026-04-01\" aria-current=\"page"},
		{"last 30 days", "", "近30天", "from=2026-03-03&amp;to=2026-04-01"},
		{"keeps the unit", "?unit=a", "上月", "from=2026-03-01&amp;to=2026-03-31&amp;unit=a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := c.get("/staff/dashboard" + tt.query)
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			want := `<a href="/staff/dashboard?` + tt.href + `">` + tt.label + `</a>`
			if !strings.Contains(p.body, want) {
				t.Errorf("page lacks %s", want)
			}
		})
	}
}
