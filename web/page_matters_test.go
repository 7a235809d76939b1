package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"minyi/campaign"
	"minyi/internal/testdb"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/store"
)

// newMatterPagesEnv is the shared environment plus a partner and an
// auxiliary of unit a, to see that each gets the right buttons.
func newMatterPagesEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnv(t, db, withUsers(org.User{Name: "partner-a", Role: org.RolePartner, UnitCode: "a"},
		org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"}))
}

// noMissingMessages fails when a page shows a catalogue key instead of its
// text.
func noMissingMessages(t *testing.T, path, body string) {
	t.Helper()
	for _, prefix := range []string{"[matter.", "[matters.", "[nav."} {
		if strings.Contains(body, prefix) {
			t.Fatalf("%s shows a missing message %s…: %s", path, prefix, body)
		}
	}
}

func TestMatterListPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		newMatter(t, e, "officer-a")
		body := matterBody("帮助学生申请助学金", "b")
		body["class"] = "hopeful"
		if st, b := e.do("POST", "/api/v1/matters", "officer-b", body); st != 201 {
			t.Fatalf("create b: %d %v", st, b)
		}
		for _, c := range []struct {
			name, user, path string
			want, not        []string
		}{
			{"own unit only", "officer-a", "/staff/matters", []string{"帮助牧民秋收玉米", "共1件", "巴*", `href="/staff/matters/new"`}, []string{"助学金", "巴特尔", "13912345678"}},
			{"leader sees all", "leader", "/staff/matters", []string{"帮助牧民秋收玉米", "助学金", "共2件"}, nil},
			{"filter by class", "leader", "/staff/matters?class=hopeful", []string{"助学金", "共1件"}, []string{"秋收玉米"}},
			{"filter by status", "leader", "/staff/matters?status=done", []string{"共0件", "没有符合条件的实事"}, []string{"秋收玉米"}},
			{"full text", "leader", "/staff/matters?q=" + "玉米", []string{"秋收玉米", "共1件"}, []string{"助学金"}},
			{"partner reads, creates nothing", "partner-a", "/staff/matters", []string{"秋收玉米"}, []string{`href="/staff/matters/new"`}},
			{"english", "leader", "/staff/matters?status=planned", []string{"Practical matters", "2 matters", "Planned"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				s := e.loggedIn(t, c.user)
				if strings.Contains(c.name, "english") {
					s.lang = "en"
				}
				page := s.open(c.path)
				noMissingMessages(t, c.path, page)
				for _, w := range c.want {
					if !strings.Contains(page, w) {
						t.Errorf("%s lacks %q", c.path, w)
					}
				}
				for _, n := range c.not {
					if strings.Contains(page, n) {
						t.Errorf("%s shows %q", c.path, n)
					}
				}
			})
		}
		t.Run("bad filter", func(t *testing.T) {
			if p := e.loggedIn(t, "leader").get("/staff/matters?status=sad"); p.status != http.StatusBadRequest {
				t.Errorf("bad status filter: %d", p.status)
			}
		})
		t.Run("paging", func(t *testing.T) {
			for i := 0; i < 31; i++ {
				newMatter(t, e, "officer-a")
			}
			s := e.loggedIn(t, "officer-a")
			first := s.open("/staff/matters")
			if !strings.Contains(first, "共32件") || !strings.Contains(first, `rel="next"`) {
				t.Fatalf("first page has no count or next link")
			}
			i := strings.Index(first, `rel="next" href="`)
			next := first[i+len(`rel="next" href="`):]
			next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
			second := s.open(next)
			if strings.Count(second, "data-matter=") != 2 || strings.Contains(second, `rel="next"`) {
				t.Errorf("second page %s: %d rows", next, strings.Count(second, "data-matter="))
			}
			// A search matching more matters than it counts says "more
			// than" (the 32 matters of 玉米, counted up to 10).
			db.SetSearchTotalCap(10)
			defer db.SetSearchTotalCap(0)
			if p := s.open("/staff/matters?q=" + url.QueryEscape("玉米")); !strings.Contains(p, "超过10件") || strings.Contains(p, "共10件") {
				t.Errorf("a capped search's total: %s", p)
			}
			if p := s.open("/staff/matters?status=planned"); !strings.Contains(p, "共32件") {
				t.Errorf("a filter without words is not counted exactly past the cap")
			}
		})
	})
}

// matterForm is the create form as an officer of unit a fills it.
func matterForm(title string) url.Values {
	return url.Values{"title": {title}, "description": {"牧民家中劳力不足"}, "class": {"urgent"},
		"beneficiary_kind": {"household"}, "beneficiary_name": {"巴特尔"}, "beneficiary_phone": {"13912345678"},
		"beneficiary_place": {"东村"}, "lead": {"officer-a"}, "participants": {"aux-a, officer-a"}}
}

var matterLocation = regexp.MustCompile(`^/staff/matters/(\d+)$`)

// mustCreateMatter sends the create form and returns the new matter's page.
func mustCreateMatter(t *testing.T, s *staffer, form url.Values) string {
	t.Helper()
	p := s.submit("/staff/matters/new", "/staff/matters", form)
	if p.status != http.StatusSeeOther || !matterLocation.MatchString(p.location) {
		t.Fatalf("create: %d %q %s", p.status, p.location, p.body)
	}
	return p.location
}

// matterAct opens the matter's page and posts form to its action target
// with the token and version the page carries, unless form sets them.
func matterAct(t *testing.T, s *staffer, path string, form url.Values) page {
	t.Helper()
	body := s.open(path)
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", s.tokenIn(path, body))
	}
	if _, ok := form["version"]; !ok {
		m := pageVersion.FindStringSubmatch(body)
		if m == nil { // no action offered: the edit form has it
			m = pageVersion.FindStringSubmatch(s.open(path + "/edit"))
		}
		if m != nil {
			form.Set("version", m[1])
		}
	}
	return s.post(path+"/act", form)
}

func TestMatterCreatePage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		s := e.loggedIn(t, "officer-a")

		t.Run("created, masked, in the list", func(t *testing.T) {
			path := mustCreateMatter(t, s, matterForm("帮助牧民秋收玉米"))
			page := s.open(path)
			noMissingMessages(t, path, page)
			for _, w := range []string{"帮助牧民秋收玉米", `data-status="planned"`, "巴*", "139****5678", "实事已保存", `id="reveal"`, `id="start"`} {
				if !strings.Contains(page, w) {
					t.Errorf("matter page lacks %q", w)
				}
			}
			if strings.Contains(page, "巴特尔") || strings.Contains(page, "13912345678") {
				t.Errorf("the beneficiary is not masked")
			}
		})
		t.Run("bad input kept, every problem named, nothing written", func(t *testing.T) {
			before := matterCount(t, e)
			form := matterForm("")
			form.Set("class", "")
			form.Set("due_days", "三天")
			form.Set("beneficiary_phone", "12")
			form.Set("participants", "nobody")
			p := s.submit("/staff/matters/new", "/staff/matters", form)
			if p.status != http.StatusBadRequest {
				t.Fatalf("bad form: %d %s", p.status, p.body)
			}
			for _, w := range []string{`id="errors"`, "请填写标题", "请选择诉求类别", "办理时限须为整数", "受益对象电话号码格式不正确", "nobody", `value="巴特尔"`, "牧民家中劳力不足"} {
				if !strings.Contains(p.body, w) {
					t.Errorf("refused form lacks %q", w)
				}
			}
			if after := matterCount(t, e); after != before {
				t.Errorf("a refused form wrote %v matters", after-before)
			}
		})
		t.Run("the same form twice makes one matter", func(t *testing.T) {
			before := matterCount(t, e)
			form := matterForm("双击只建一件")
			s.fill("/staff/matters/new", "/staff/matters", form)
			var wg sync.WaitGroup
			pages := make([]page, 3)
			for i := range pages {
				wg.Add(1)
				go func() { defer wg.Done(); pages[i] = s.post("/staff/matters", form) }()
			}
			wg.Wait()
			for _, p := range pages {
				if p.status != http.StatusSeeOther || p.location != pages[0].location {
					t.Errorf("sending %d → %q, first → %q", p.status, p.location, pages[0].location)
				}
			}
			if after := matterCount(t, e); after != before+1 {
				t.Errorf("three sendings of one form made %v matters", after-before)
			}
		})
		t.Run("a leader chooses the unit", func(t *testing.T) {
			l := e.loggedIn(t, "leader")
			if page := l.open("/staff/matters/new"); !strings.Contains(page, `<select id="unit" name="unit"`) {
				t.Errorf("leader's form has no unit choice")
			}
			form := matterForm("局领导交办")
			form.Set("unit", "b")
			form.Set("lead", "")
			form.Set("participants", "")
			path := mustCreateMatter(t, l, form)
			if page := l.open(path); !strings.Contains(page, `<dd id="unit">b</dd>`) && !strings.Contains(page, `id="unit">`) {
				t.Errorf("unit b not shown")
			}
			if st, _ := e.raw("GET", "/api/v1"+strings.TrimPrefix(path, "/staff"), "officer-b"); st != 200 {
				t.Errorf("officer-b cannot read the matter the leader made for b: %d", st)
			}
		})
		t.Run("unit staff cannot choose another unit", func(t *testing.T) {
			form := matterForm("想建到b所")
			form.Set("unit", "b")
			path := mustCreateMatter(t, s, form)
			if st, b := e.do("GET", "/api/v1"+strings.TrimPrefix(path, "/staff"), "officer-a", nil); st != 200 || b["unit"] != "a" {
				t.Errorf("matter went to %v (%d)", b["unit"], st)
			}
		})
	})
}

func TestMatterPagesRefuse(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		id := newMatter(t, e, "officer-a")
		path := fmt.Sprintf("/staff/matters/%d", id)
		partner := e.loggedIn(t, "partner-a")
		partnerPage := partner.open(path)
		for _, n := range []string{`id="edit-matter"`, `id="start"`, `id="reveal"`, `id="actions"`} {
			if strings.Contains(partnerPage, n) {
				t.Errorf("the partner is offered %s", n)
			}
		}
		token := partner.tokenIn(path, partnerPage)
		before := matterCount(t, e)
		for _, c := range []struct {
			name, user, method, path string
			form                     url.Values
			want                     int
		}{
			{"partner opens the create form", "partner-a", "GET", "/staff/matters/new", nil, 403},
			{"partner creates", "partner-a", "POST", "/staff/matters", matterForm("伙伴"), 403},
			{"partner opens the edit form", "partner-a", "GET", path + "/edit", nil, 403},
			{"partner edits", "partner-a", "POST", path, url.Values{"version": {"1"}, "title": {"伙伴改"}}, 403},
			{"partner starts", "partner-a", "POST", path + "/act", url.Values{"version": {"1"}, "action": {"start"}}, 403},
			{"partner reveals", "partner-a", "POST", path + "/reveal", url.Values{}, 403},
			{"other unit reads", "officer-b", "GET", path, nil, 403},
			{"other unit edits", "officer-b", "POST", path, url.Values{"version": {"1"}, "title": {"越权"}}, 403},
			{"other unit starts", "officer-b", "POST", path + "/act", url.Values{"version": {"1"}, "action": {"start"}}, 403},
			{"no such matter", "officer-a", "GET", "/staff/matters/999999", nil, 404},
			{"not an id", "officer-a", "GET", "/staff/matters/x1", nil, 404},
			{"no anti-forgery token", "officer-a", "POST", path + "/act", url.Values{"version": {"1"}, "action": {"start"}, "csrf_token": {""}}, 403},
			{"another's anti-forgery token", "officer-a", "POST", "/staff/matters", func() url.Values { f := matterForm("伪造"); f.Set("csrf_token", token); return f }(), 403},
		} {
			t.Run(c.name, func(t *testing.T) {
				s := e.loggedIn(t, c.user)
				var p page
				if c.method == "GET" {
					p = s.get(c.path)
				} else {
					if _, ok := c.form["csrf_token"]; !ok {
						c.form.Set("csrf_token", s.token("/staff/matters"))
					}
					p = s.post(c.path, c.form)
				}
				if p.status != c.want {
					t.Errorf("%s %s: %d, want %d", c.method, c.path, p.status, c.want)
				}
			})
		}
		if st, b := e.do("GET", "/api/v1/matters/"+fmt.Sprint(id), "officer-a", nil); st != 200 || b["status"] != "planned" || b["version"].(float64) != 1 || b["title"] != "帮助牧民秋收玉米" {
			t.Errorf("a refused request changed the matter: %v", b)
		}
		if after := matterCount(t, e); after != before {
			t.Errorf("refused requests made %v matters", after-before)
		}
	})
}

func TestMatterLifecyclePage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		s := e.loggedIn(t, "officer-a")
		path := mustCreateMatter(t, s, matterForm("找回被盗牛羊"))
		status := func() string {
			t.Helper()
			m := pageStatus.FindStringSubmatch(s.open(path))
			if m == nil {
				t.Fatal("no status on the matter's page")
			}
			return m[1]
		}
		steps := []struct {
			name     string
			form     url.Values
			want     int
			status   string
			contains []string
		}{
			{"complete before start is not offered", url.Values{"action": {"complete"}, "story": {"x"}}, 422, "planned", []string{"操作未执行"}},
			{"start", url.Values{"action": {"start"}}, 303, "in_progress", []string{`id="progress"`, `id="complete"`}},
			{"progress without text", url.Values{"action": {"progress"}, "day": {""}}, 400, "in_progress", []string{"请填写进展情况"}},
			{"progress", url.Values{"action": {"progress"}, "text": {"走访牧户，排查线索"}}, 303, "in_progress", []string{"走访牧户，排查线索"}},
			{"stale version", url.Values{"action": {"progress"}, "text": {"过时"}, "version": {"1"}}, 409, "in_progress", []string{"已被他人修改", "过时"}},
			{"complete without story", url.Values{"action": {"complete"}, "outcome.cattle": {"5"}}, 400, "in_progress", []string{"请填写成效故事", `value="5"`}},
			{"complete with a bad count", url.Values{"action": {"complete"}, "story": {"牛羊归还"}, "outcome.sheep": {"五十三"}, "outcome.cattle": {"-1"}}, 400, "in_progress", []string{"成效数量须为整数", "成效数量须为0到", "牛羊归还"}},
			{"complete", url.Values{"action": {"complete"}, "story": {"追回被盗牛5头、羊53只，归还牧民"}, "outcome.cattle": {"5"}, "outcome.sheep": {"53"}}, 303, "done",
				[]string{"追回被盗牛5头", `data-outcome="cattle">5<`, `data-outcome="sheep">53<`, `id="done-on"`}},
			{"an unknown action", url.Values{"action": {"fly"}}, 400, "done", []string{"未知的操作"}},
			{"drop a done matter", url.Values{"action": {"drop"}, "reason": {"不办了"}}, 422, "done", nil},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				p := matterAct(t, s, path, st.form)
				if p.status != st.want {
					t.Fatalf("%d, want %d: %s", p.status, st.want, p.body)
				}
				body := p.body
				if p.status == 303 {
					body = s.open(p.location)
				}
				noMissingMessages(t, path, body)
				for _, w := range st.contains {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
				if got := status(); got != st.status {
					t.Errorf("status %s, want %s", got, st.status)
				}
			})
		}
		t.Run("the list of an outcome sums it", func(t *testing.T) {
			for _, tt := range []struct {
				name, user, query string
				want              int
				contains          []string
			}{
				{"cattle", "officer-a", "status=done&outcome=cattle", 200, []string{"共1件", `data-figure="matters.outcome_cattle">5</strong>`, `name="outcome" value="cattle"`}},
				{"sheep", "officer-a", "status=done&outcome=sheep", 200, []string{`data-figure="matters.outcome_sheep">53</strong>`}},
				{"another period", "officer-a", "status=done&outcome=cattle&to=2000-01-01", 200, []string{"共0件", `data-figure="matters.outcome_cattle">0</strong>`}},
				{"another unit's", "officer-b", "status=done&outcome=cattle", 200, []string{"共0件", `data-figure="matters.outcome_cattle">0</strong>`}},
				{"with words", "officer-a", "outcome=cattle&q=牛羊", 200, []string{"按关键词检索时不合计成效"}},
				{"a bad outcome", "officer-a", "outcome=Cattle!", 400, nil},
			} {
				t.Run(tt.name, func(t *testing.T) {
					p := e.loggedIn(t, tt.user).get("/staff/matters?" + tt.query)
					mustSee(t, tt.name, p, tt.want, tt.contains...)
				})
			}
			// The API's list takes the same outcome, with the same total
			// and the same sum (none with words, none without an outcome).
			for _, tt := range []struct {
				query, user string
				total       float64
				sum         any
			}{
				{"status=done&outcome=cattle", "officer-a", 1, 5.0},
				{"status=done&outcome=sheep", "officer-a", 1, 53.0},
				{"status=done&outcome=cattle&to=2000-01-01", "officer-a", 0, 0.0},
				{"status=done&outcome=cattle", "officer-b", 0, 0.0},
				{"outcome=goats", "officer-a", 0, 0.0},
				{"outcome=cattle&q=牛羊", "officer-a", 1, nil},
				{"status=done", "officer-a", 1, nil},
			} {
				st, b := e.do("GET", "/api/v1/matters?"+tt.query, tt.user, nil)
				if st != 200 || b["total"] != tt.total || b["outcome_sum"] != tt.sum {
					t.Errorf("API %s as %s: %d total %v outcome_sum %v, want %v and %v", tt.query, tt.user, st, b["total"], b["outcome_sum"], tt.total, tt.sum)
				}
			}
			for _, tt := range []struct{ query, field string }{{"outcome=Cattle!", "outcome"}, {"outcome=cattle&from=2021-13-01", "from"}, {"outcome=cattle&to=yesterday", "to"}} {
				st, b := e.do("GET", "/api/v1/matters?"+tt.query, "officer-a", nil)
				if m, _ := fieldsOf(b)[tt.field].(string); st != 400 || !strings.Contains(m, " / ") || !strings.Contains(m, tt.field) {
					t.Errorf("API %s: %d %v, want 400 naming %s", tt.query, st, b, tt.field)
				}
			}
		})
		t.Run("every language", func(t *testing.T) {
			for _, lang := range []string{"en", "zh-TW", "zh-CN"} {
				s.lang = lang
				for _, p := range []string{"/staff/matters", "/staff/matters?outcome=cattle", "/staff/matters/new", path, path + "/edit"} {
					body := s.open(p)
					noMissingMessages(t, p, body)
					if strings.Contains(body, "%!") {
						t.Errorf("%s in %s has a bad format: %s", p, lang, body)
					}
				}
			}
			s.lang = "zh-CN"
		})
		t.Run("a done matter offers no action", func(t *testing.T) {
			if page := s.open(path); strings.Contains(page, `id="actions"`) {
				t.Errorf("actions offered on a done matter")
			}
		})
	})
}

func TestMatterEditPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		s := e.loggedIn(t, "officer-a")
		path := mustCreateMatter(t, s, matterForm("帮助学生申请助学金"))
		edit := func(change func(url.Values)) page {
			t.Helper()
			body := s.open(path + "/edit")
			form := url.Values{}
			for _, m := range regexp.MustCompile(`<input id="[a-z_]+" name="([a-z_]+)" type="(?:text|number|tel|hidden)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
				form.Set(m[1], html.UnescapeString(m[2]))
			}
			for _, name := range []string{"class", "beneficiary_kind", "branch"} {
				block := regexp.MustCompile(`name="` + name + `"[^>]*>(?s:(.*?))</select>`).FindStringSubmatch(body)
				form.Set(name, "")
				if block == nil {
					continue
				}
				if m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(block[1]); m != nil {
					form.Set(name, m[1])
				}
			}
			form.Set("description", "牧民家中劳力不足")
			form.Set("version", pageVersion.FindStringSubmatch(body)[1])
			form.Set("csrf_token", s.tokenIn(path+"/edit", body))
			change(form)
			return s.post(path, form)
		}
		t.Run("the form keeps the personal data masked and unchanged", func(t *testing.T) {
			body := s.open(path + "/edit")
			noMissingMessages(t, path+"/edit", body)
			if strings.Contains(body, "巴特尔") || strings.Contains(body, "13912345678") || !strings.Contains(body, "139****5678") {
				t.Errorf("the edit form shows the beneficiary unmasked or not at all")
			}
			p := edit(func(f url.Values) { f.Set("title", "帮助学生申请国家助学金") })
			if p.status != http.StatusSeeOther {
				t.Fatalf("edit: %d %s", p.status, p.body)
			}
			if page := s.open(path); !strings.Contains(page, "帮助学生申请国家助学金") || !strings.Contains(page, "修改已保存") {
				t.Errorf("the edit did not show")
			}
			if _, b := e.do("GET", "/api/v1"+strings.TrimPrefix(path, "/staff"), "officer-a", nil); b["beneficiary"].(map[string]any)["phone"] != "139****5678" {
				t.Errorf("the phone changed: %v", b["beneficiary"])
			}
		})
		t.Run("bad input is refused with the input kept", func(t *testing.T) {
			p := edit(func(f url.Values) { f.Set("title", ""); f.Set("due_days", "0.5") })
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, "请填写标题") || !strings.Contains(p.body, "办理时限须为整数") || !strings.Contains(p.body, `value="0.5"`) {
				t.Errorf("bad edit: %d %s", p.status, p.body)
			}
		})
		t.Run("a stale form shows what the matter holds now", func(t *testing.T) {
			p := edit(func(f url.Values) {
				// Someone else changes the title meanwhile.
				v := f.Get("version")
				if st, b := e.do("PATCH", "/api/v1"+strings.TrimPrefix(path, "/staff"), "officer-a", map[string]any{"version": mustInt(t, v), "title": "别人改的标题"}); st != 200 {
					t.Fatalf("patch: %d %v", st, b)
				}
				f.Set("title", "我改的标题")
			})
			if p.status != http.StatusConflict || !strings.Contains(p.body, "别人改的标题") || strings.Contains(p.body, "我改的标题") || !strings.Contains(p.body, "已被他人修改") {
				t.Errorf("stale edit: %d %s", p.status, p.body)
			}
		})
		t.Run("a done matter changes only publishing", func(t *testing.T) {
			for _, a := range []url.Values{{"action": {"start"}}, {"action": {"complete"}, "story": {"助学金已发放"}, "outcome.students": {"1"}}} {
				if p := matterAct(t, s, path, a); p.status != 303 {
					t.Fatalf("%v: %d %s", a, p.status, p.body)
				}
			}
			body := s.open(path + "/edit")
			if !strings.Contains(body, `id="closed-edit"`) || strings.Contains(body, `name="title"`) {
				t.Errorf("the closed matter's form offers more than publishing")
			}
			p := edit(func(f url.Values) { f.Set("published", "1"); f.Set("title", "忽略") })
			if p.status != http.StatusSeeOther {
				t.Fatalf("publish: %d %s", p.status, p.body)
			}
			if _, b := e.do("GET", "/api/v1"+strings.TrimPrefix(path, "/staff"), "officer-a", nil); b["published"] != true || b["title"] == "忽略" {
				t.Errorf("published %v, title %v", b["published"], b["title"])
			}
		})
	})
}

func TestMatterRevealShownOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		s := e.loggedIn(t, "officer-a")
		path := mustCreateMatter(t, s, matterForm("帮助牧民秋收玉米"))
		p := s.submit(path, path+"/reveal", url.Values{})
		shown := s.shown(p)
		if shown.status != 200 || !strings.Contains(shown.body, "巴特尔") || !strings.Contains(shown.body, "13912345678") {
			t.Fatalf("revealed page: %d %s", shown.status, shown.body)
		}
		if again := s.get(p.location); again.status != http.StatusNotFound || strings.Contains(again.body, "13912345678") {
			t.Errorf("a reload shows it again: %d", again.status)
		}
		aux := e.loggedIn(t, "aux-a")
		if page := aux.open(path); strings.Contains(page, `id="reveal"`) {
			t.Errorf("an auxiliary is offered the reveal")
		}
	})
}

func mustInt(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMatterFromItem(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		number := itemDeskFile(t, e, "我家的牛羊被盗了，希望派出所帮忙找回来。", "")
		s := e.loggedIn(t, "officer-a")
		desk := itemDeskOpen(t, s, number)
		start := `href="/staff/matters/new?item=` + number + `"`
		if !strings.Contains(desk, start) || !strings.Contains(desk, "尚无回应此件的实事") {
			t.Fatalf("the desk offers no matter to start: %s", desk)
		}
		from := "/staff/matters/new?item=" + number
		form := s.open(from)
		noMissingMessages(t, from, form)
		for _, w := range []string{`name="items" type="text" value="` + number + `"`, `name="from_item" value="` + number + `"`, `id="from-item"`, "我家的牛羊被盗了"} {
			if !strings.Contains(form, w) {
				t.Errorf("the form from the item lacks %q", w)
			}
		}
		p := s.submit(from, "/staff/matters", url.Values{"title": {"找回被盗牛羊"}, "class": {"urgent"}, "items": {number},
			"from_item": {number}, "beneficiary_kind": {"household"}, "beneficiary_place": {"东村"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("create from item: %d %s", p.status, p.body)
		}
		if page := s.open(p.location); !strings.Contains(page, `<a href="/staff/items/`+number+`">`) {
			t.Errorf("the matter does not link its item")
		}
		desk = itemDeskOpen(t, s, number)
		if !strings.Contains(desk, `<a href="`+p.location+`">找回被盗牛羊</a>`) || !strings.Contains(desk, "已计划") {
			t.Errorf("the desk does not list the matter")
		}
		if list := s.open("/staff/matters?item=" + number); !strings.Contains(list, "找回被盗牛羊") || !strings.Contains(list, "共1件") {
			t.Errorf("the list by item lacks the matter")
		}
		t.Run("another unit's item", func(t *testing.T) {
			if p := e.loggedIn(t, "officer-b").get(from); p.status != http.StatusForbidden {
				t.Errorf("officer-b starts a matter from a's item: %d", p.status)
			}
		})
		t.Run("a partner sees the matters, starts none", func(t *testing.T) {
			desk := itemDeskOpen(t, e.loggedIn(t, "partner-a"), number)
			if strings.Contains(desk, start) || !strings.Contains(desk, "找回被盗牛羊") {
				t.Errorf("partner's desk: start offered or matter missing")
			}
		})
	})
}

func TestMatterCampaign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		leader, err := org.NewService(db).Account(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		c, err := wire.Campaigns(db, e.svc).Create(ctx, leader, campaign.Campaign{Name: "我为群众办实事", From: "2026-01-01", To: "2030-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(c.ID, 10)
		s := e.loggedIn(t, "officer-a")
		if form := s.open("/staff/matters/new"); !strings.Contains(form, `<option value="`+id+`">我为群众办实事`) {
			t.Fatalf("the form offers no campaign")
		}
		for _, c := range []struct {
			name, campaign string
			want           int
			problem        string
		}{
			{"not an id", "x", 400, "活动编号无效"},
			{"no such campaign", "999999", 400, "活动不存在"},
			{"the campaign", id, 303, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				form := matterForm("活动中的实事")
				form.Set("campaign", c.campaign)
				p := s.submit("/staff/matters/new", "/staff/matters", form)
				if p.status != c.want || !strings.Contains(p.body, c.problem) {
					t.Fatalf("%d %s", p.status, p.body)
				}
				if p.status == 303 {
					if page := s.open(p.location); !strings.Contains(page, `<dd id="campaign">我为群众办实事</dd>`) {
						t.Errorf("the matter does not name its campaign")
					}
				}
			})
		}
		newMatter(t, e, "officer-a") // in no campaign
		if list := s.open("/staff/matters?campaign=" + id); !strings.Contains(list, "共1件") {
			t.Errorf("the list by campaign does not hold the one matter")
		}
		if p := s.get("/staff/matters?campaign=x"); p.status != http.StatusBadRequest {
			t.Errorf("bad campaign filter: %d", p.status)
		}
	})
}

var matterPhotoOnPage = regexp.MustCompile(`src="(/staff/matters/\d+/photos/\d+)"`)

func TestMatterPhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newMatterPagesEnv(t, db)
		s := e.loggedIn(t, "officer-a")
		path := mustCreateMatter(t, s, matterForm("帮助牧民秋收玉米"))
		if p := matterAct(t, s, path, url.Values{"action": {"start"}}); p.status != http.StatusSeeOther {
			t.Fatalf("start: %d", p.status)
		}
		withFiles := func(form url.Values, files map[string][]byte) page {
			t.Helper()
			body := s.open(path)
			form.Set("csrf_token", s.tokenIn(path, body))
			form.Set("version", pageVersion.FindStringSubmatch(body)[1])
			return s.postFiles(path+"/act", form, files)
		}
		t.Run("not a picture", func(t *testing.T) {
			p := withFiles(url.Values{"action": {"progress"}, "text": {"收玉米"}}, map[string][]byte{"a.txt": []byte("not a picture")})
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, `id="errors"`) || !strings.Contains(p.body, "收玉米") {
				t.Fatalf("a text file as a photo: %d %s", p.status, p.body)
			}
			if strings.Contains(s.open(path), "data-progress") {
				t.Errorf("the refused progress was recorded")
			}
		})
		t.Run("progress and story with photos", func(t *testing.T) {
			if p := withFiles(url.Values{"action": {"progress"}, "text": {"组织民警帮收玉米"}}, map[string][]byte{"field.png": onePixelPNG}); p.status != http.StatusSeeOther {
				t.Fatalf("progress with a photo: %d %s", p.status, p.body)
			}
			if p := withFiles(url.Values{"action": {"complete"}, "story": {"玉米全部收完"}, "outcome.households": {"1"}}, map[string][]byte{"done.png": onePixelPNG}); p.status != http.StatusSeeOther {
				t.Fatalf("complete with a photo: %d %s", p.status, p.body)
			}
			body := s.open(path)
			photos := matterPhotoOnPage.FindAllStringSubmatch(body, -1)
			if len(photos) != 2 || !strings.Contains(body, `id="story-photos"`) {
				t.Fatalf("the page shows %d photos", len(photos))
			}
			for _, ph := range photos {
				if p := s.get(ph[1]); p.status != 200 || p.body != string(onePixelPNG) {
					t.Errorf("GET %s: %d", ph[1], p.status)
				}
				if p := e.loggedIn(t, "officer-b").get(ph[1]); p.status != http.StatusForbidden {
					t.Errorf("another unit's officer gets %s: %d", ph[1], p.status)
				}
			}
			if p := s.get(path + "/photos/999999"); p.status != http.StatusNotFound {
				t.Errorf("no such photo: %d", p.status)
			}
		})
	})
}
