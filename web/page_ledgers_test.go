package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// The ledgers' staff pages: convenience measures, service points,
// volunteer activities, the branch comparison and the members' record.

// newLedgerEnv is newEnv with a partner (read only, unit a's) and the party branches a1 of unit a and b1 of unit b.
func newLedgerEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := newEnv(t, db, withUsers(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"}))
	for _, b := range []org.Branch{{Code: "a1", Name: "甲所党支部", UnitCode: "a"}, {Code: "b1", Name: "乙所党支部", UnitCode: "b"}} {
		if err := org.NewService(db).AddBranch(ctx, org.Operator("test"), &b); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// mustSee fails unless p has status and its body every one of wants.
func mustSee(t *testing.T, what string, p page, status int, wants ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: %d (want %d) %s %s", what, p.status, status, p.location, p.body)
	}
	for _, w := range wants {
		if !strings.Contains(p.body, w) {
			t.Errorf("%s: no %q in %s", what, w, p.body)
		}
	}
}

func TestMeasurePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", a.get("/staff/measures"), 200, "共0条", `href="/staff/measures/new"`)

		// Bad input: every problem beside its field and in the summary,
		// what was written kept, nothing recorded.
		p := a.submit("/staff/measures/new", "/staff/measures", url.Values{"title": {""}, "changes": {"午间照常办理"},
			"branch": {"a1"}, "researched_on": {"2999-01-01"}, "matters": {"x"}})
		mustSee(t, "bad measure", p, 400, `id="errors"`, "措施名称", "研究日期", "实事编号须为正整数", "午间照常办理",
			`<option value="a1" selected>`)
		if n := measureCount(t, e); n != 0 {
			t.Fatalf("a refused form recorded %v measures", n)
		}

		// A good form records once, however often it is sent.
		form := url.Values{"title": {"错时延时服务"}, "changes": {"户籍窗口午间和周末照常办理"}, "branch": {"a1"},
			"researched_on": {"2021-06-01"}}
		a.fill("/staff/measures/new", "/staff/measures", form)
		first := a.post("/staff/measures", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/measures/") {
			t.Fatalf("create: %d %s %s", first.status, first.location, first.body)
		}
		again := a.post("/staff/measures", form)
		if again.status != http.StatusSeeOther || again.location != first.location {
			t.Fatalf("sent again: %d %s, want %s", again.status, again.location, first.location)
		}
		if n := measureCount(t, e); n != 1 {
			t.Fatalf("the form sent twice recorded %v measures", n)
		}
		path := first.location
		mustSee(t, "measure", a.get(path), 200, "错时延时服务", "甲所党支部", "已研究", `value="implement"`, `value="withdraw"`)

		// The lifecycle: a day in the future is refused beside its field,
		// then the measure is implemented and offers no action any more.
		version := func() string {
			m := regexpVersion.FindStringSubmatch(a.open(path + "/edit"))
			if m == nil {
				t.Fatal("no version on the measure's edit page")
			}
			return m[1]
		}
		act := url.Values{"action": {"implement"}, "day": {"2999-01-01"}, "version": {version()}}
		mustSee(t, "implement in the future", a.submit(path, path+"/act", act), 400, `id="errors"`, "2999-01-01")
		act.Set("day", "2021-07-01")
		if p := a.submit(path, path+"/act", act); p.status != http.StatusSeeOther {
			t.Fatalf("implement: %d %s", p.status, p.body)
		}
		p = a.get(path)
		mustSee(t, "implemented", p, 200, "已实施", "2021-07-01")
		if strings.Contains(p.body, `value="withdraw"`) {
			t.Error("an implemented measure still offers to withdraw")
		}
		act.Set("action", "withdraw")
		act.Set("reason", "不再需要")
		act.Set("version", version())
		mustSee(t, "withdraw when implemented", a.post(path+"/act", withToken(a, path, act)), 422)

		// Edit: a stale version is shown again (409) keeping what was
		// written; the current version changes the measure.
		edit := url.Values{"title": {"午间延时服务"}, "branch": {"a1"}, "changes": {"午间照常办理"}, "researched_on": {"2021-06-01"}, "version": {"1"}}
		mustSee(t, "stale edit", a.submit(path+"/edit", path, edit), 409, "午间延时服务", "他人已修改")
		edit.Set("version", version())
		if p := a.submit(path+"/edit", path, edit); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "edited", a.get(path), 200, "午间延时服务")

		// Filters and the total.
		mustSee(t, "implemented filter", a.get("/staff/measures?status=implemented&branch=a1&from=2021-07-01"), 200, "共1条", "午间延时服务")
		mustSee(t, "withdrawn filter", a.get("/staff/measures?status=withdrawn"), 200, "共0条")
		mustSee(t, "bad filter", a.get("/staff/measures?status=bogus"), 400)
		mustSee(t, "words", a.get("/staff/measures?q="+url.QueryEscape("午間")), 200, "共1条")

		// Another unit neither sees nor changes it; a partner reads only.
		b := e.loggedIn(t, "officer-b")
		mustSee(t, "other unit's list", b.get("/staff/measures"), 200, "共0条")
		e.mustRefuse(t, []string{"officer-b"}, []route{{"GET", path}, {"GET", path + "/edit"}, {"POST", path},
			{"POST", path + "/act"}}, url.Values{"version": {"3"}, "title": {"x"}, "action": {"withdraw"}}, nil)
		e.mustRefuse(t, []string{"partner"}, []route{{"GET", "/staff/measures/new"}, {"POST", "/staff/measures"},
			{"GET", path + "/edit"}, {"POST", path}}, url.Values{"version": {"3"}, "title": {"x"}}, nil)
		pp := e.loggedIn(t, "partner")
		p = pp.get(path)
		mustSee(t, "partner reads", p, 200, "午间延时服务")
		if strings.Contains(p.body, "/edit") || strings.Contains(p.body, `value="withdraw"`) {
			t.Error("the partner is offered a change")
		}
		form.Del("csrf_token")
		act.Del("csrf_token")
		edit.Del("csrf_token")
		a.mustRefuseForged(t, []formPost{{"/staff/measures", form}, {path + "/act", act}, {path, edit}})
	})
}

var regexpVersion = regexp.MustCompile(`name="version" value="(\d+)"`)

// withToken is form with the anti-forgery token of the page from.
func withToken(s *staffer, from string, form url.Values) url.Values {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("csrf_token", s.token(from))
	return f
}

func TestVolunteerPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", a.get("/staff/volunteer"), 200, "共0条", `href="/staff/volunteer/new"`)
		mustSee(t, "new form", a.get("/staff/volunteer/new"), 200, "officer-a")

		// Bad input: each problem beside its field, what was written kept.
		p := a.submit("/staff/volunteer/new", "/staff/volunteer", url.Values{"title": {"帮助群众收玉米"}, "date": {"2999-01-01"},
			"volunteers": {"五"}, "hours": {"2.5"}, "participants": {"officer-a、nobody"}})
		mustSee(t, "bad activity", p, 400, `id="errors"`, "活动日期不能晚于今天", "志愿者人数须为整数", "nobody", "帮助群众收玉米")

		// A good form records once, however often it is sent.
		form := url.Values{"title": {"帮助群众收玉米"}, "date": {"2021-09-20"}, "branch": {"a1"}, "volunteers": {"12"},
			"hours": {"3.5"}, "served": {"4"}, "participants": {"officer-a"}, "township": {"城关镇"}}
		a.fill("/staff/volunteer/new", "/staff/volunteer", form)
		first := a.post("/staff/volunteer", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/volunteer/") {
			t.Fatalf("create: %d %s %s", first.status, first.location, first.body)
		}
		if again := a.post("/staff/volunteer", form); again.status != http.StatusSeeOther || again.location != first.location {
			t.Fatalf("sent again: %d %s, want %s", again.status, again.location, first.location)
		}
		path := first.location
		mustSee(t, "activity", a.get(path), 200, "帮助群众收玉米", "甲所党支部", "3.5", "城关镇", path+"/edit")
		mustSee(t, "one recorded", a.get("/staff/volunteer"), 200, "共1条")

		// Filters: by participant, branch, days and words.
		for _, tt := range []struct {
			query, total string
		}{
			{"participant=officer-a", "共1条"}, {"participant=officer-b", "共0条"}, {"branch=a1&from=2021-09-01&to=2021-09-30", "共1条"},
			{"to=2021-09-19", "共0条"}, {"q=" + url.QueryEscape("收玉米"), "共1条"},
		} {
			t.Run(tt.query, func(t *testing.T) { mustSee(t, tt.query, a.get("/staff/volunteer?"+tt.query), 200, tt.total) })
		}
		mustSee(t, "bad day", a.get("/staff/volunteer?from=yesterday"), 400)

		// Edit: a stale version is refused (409) keeping what was written.
		edit := url.Values{"title": {"帮助群众抢收玉米"}, "date": {"2021-09-20"}, "branch": {"a1"}, "volunteers": {"15"},
			"hours": {"3.5"}, "served": {"4"}, "participants": {"officer-a"}, "version": {"7"}}
		mustSee(t, "stale edit", a.submit(path+"/edit", path, edit), 409, "帮助群众抢收玉米", "他人已修改")
		edit.Set("version", "1")
		if p := a.submit(path+"/edit", path, edit); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "edited", a.get(path), 200, "帮助群众抢收玉米", "15")

		// Another unit neither sees nor changes it; a partner reads only.
		mustSee(t, "other unit's list", e.loggedIn(t, "officer-b").get("/staff/volunteer"), 200, "共0条")
		e.mustRefuse(t, []string{"officer-b"}, []route{{"GET", path}, {"GET", path + "/edit"}, {"POST", path}},
			url.Values{"version": {"2"}, "title": {"x"}}, nil)
		e.mustRefuse(t, []string{"partner"}, []route{{"GET", "/staff/volunteer/new"}, {"POST", "/staff/volunteer"},
			{"GET", path + "/edit"}, {"POST", path}}, url.Values{"version": {"2"}, "title": {"x"}}, nil)
		if p := e.loggedIn(t, "partner").get(path); p.status != 200 || strings.Contains(p.body, path+"/edit") {
			t.Errorf("partner: %d, offered an edit: %v", p.status, strings.Contains(p.body, path+"/edit"))
		}
		form.Del("csrf_token")
		a.mustRefuseForged(t, []formPost{{"/staff/volunteer", form}})
	})
}

func TestServicePointPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		mustSee(t, "empty list", a.get("/staff/points"), 200, "共0条", `href="/staff/points/new"`)

		// Bad input: each problem beside its field, what was written kept.
		p := a.submit("/staff/points/new", "/staff/points", url.Values{"name": {"城关便民服务站"}, "address": {""},
			"latitude": {"北纬"}, "longitude": {"105.28"}, "phone": {"12"}, "services": {"户籍办理\n身份证办理"}})
		mustSee(t, "bad point", p, 400, `id="errors"`, "纬度须为数字", "地址", "联系电话格式不正确", "身份证办理", "城关便民服务站")

		// A good form records once, however often it is sent.
		form := url.Values{"name": {"城关便民服务站"}, "address": {"城关镇人民路1号"}, "township": {"城关镇"},
			"latitude": {"29.35"}, "longitude": {"105.28"}, "opening_hours": {"工作日 8:30–20:00，周六 9:00–12:00"},
			"off_peak": {"1"}, "extended_hours": {"1"}, "services": {"户籍办理\n身份证办理\n户籍办理"}, "phone": {"023-12345678"},
			"status": {"active"}}
		a.fill("/staff/points/new", "/staff/points", form)
		first := a.post("/staff/points", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/points/") {
			t.Fatalf("create: %d %s %s", first.status, first.location, first.body)
		}
		if again := a.post("/staff/points", form); again.status != http.StatusSeeOther || again.location != first.location {
			t.Fatalf("sent again: %d %s, want %s", again.status, again.location, first.location)
		}
		path := first.location
		p = a.get(path)
		mustSee(t, "point", p, 200, "城关便民服务站", "29.35, 105.28", "提供错时服务", "提供延时服务", "<li>身份证办理</li>", "服务中")
		if strings.Count(p.body, "<li>户籍办理</li>") != 1 {
			t.Error("a service sent twice is listed twice")
		}
		mustSee(t, "active", a.get("/staff/points?status=active&q="+url.QueryEscape("身份證")), 200, "共1条")

		// Close it: a stale version is refused keeping what was written.
		edit := url.Values{"name": {"城关便民服务站"}, "address": {"城关镇人民路1号"}, "status": {"closed"}, "version": {"9"},
			"services": {"户籍办理"}}
		mustSee(t, "stale edit", a.submit(path+"/edit", path, edit), 409, "他人已修改")
		edit.Set("version", "1")
		if p := a.submit(path+"/edit", path, edit); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "closed", a.get(path), 200, "已关闭")
		mustSee(t, "closed filter", a.get("/staff/points?status=closed"), 200, "共1条")
		mustSee(t, "active filter", a.get("/staff/points?status=active"), 200, "共0条")
		mustSee(t, "bad filter", a.get("/staff/points?status=open"), 400)

		mustSee(t, "other unit's list", e.loggedIn(t, "officer-b").get("/staff/points"), 200, "共0条")
		e.mustRefuse(t, []string{"officer-b"}, []route{{"GET", path}, {"GET", path + "/edit"}, {"POST", path}},
			url.Values{"version": {"2"}, "name": {"x"}}, nil)
		e.mustRefuse(t, []string{"partner"}, []route{{"GET", "/staff/points/new"}, {"POST", "/staff/points"},
			{"GET", path + "/edit"}, {"POST", path}}, url.Values{"version": {"2"}, "name": {"x"}}, nil)
		form.Del("csrf_token")
		a.mustRefuseForged(t, []formPost{{"/staff/points", form}})
	})
}

// TestBranchComparison checks the branch comparison's page and the items
// the API's ranking now answers per branch: a unit's items answered and
// their satisfaction rate, shared by the unit's branches, on both
// databases.
func TestBranchComparison(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		if err := org.NewService(db).AddBranch(ctx, org.Operator("test"), &org.Branch{Code: "a2", Name: "甲所二支部", UnitCode: "a"}); err != nil {
			t.Fatal(err)
		}
		leader := mustUser(t, e, "leader")
		answer := func(unit string, rating archive.Satisfaction) {
			t.Helper()
			it, _, err := e.svc.Submit(ctx, &leader, archive.Submission{Kind: archive.KindConsultation, Text: "户口迁移需要带什么材料？",
				Channel: archive.ChannelOnlineBox, Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []archive.Command{{Action: archive.ActDispatch, Unit: unit}, {Action: archive.ActSign},
				{Action: archive.ActAnswer, Body: "请携带户口簿。"}, {Action: archive.ActVisit, Satisfaction: rating, Body: "回访记录。"}} {
				if _, err := e.svc.Act(ctx, leader, it.Number, cmd, true); err != nil {
					t.Fatalf("%s: %v", cmd.Action, err)
				}
			}
		}
		answer("a", archive.Satisfied)
		answer("a", archive.Unsatisfied)
		answer("b", archive.BasicSatisfied)
		body := matterBody("帮助群众收玉米", "a")
		body["branch"] = "a1"
		st, b := e.do("POST", "/api/v1/matters", "officer-a", body)
		if st != 201 {
			t.Fatalf("matter: %d %v", st, b)
		}
		for i, act := range []map[string]any{{"action": "start"}, {"action": "complete", "story": "玉米收完了"}} {
			act["version"] = i + 1
			if st, b := e.do("POST", fmt.Sprintf("/api/v1/matters/%v/actions", b["id"]), "officer-a", act); st != 200 {
				t.Fatalf("%v: %d %v", act, st, b)
			}
		}
		today := time.Now().In(calendar.Zone).Format(time.DateOnly)
		if st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-b", map[string]any{"date": today, "title": "义务巡逻",
			"unit": "b", "branch": "b1", "volunteers": 4, "hours": 2, "served": 10}); st != 201 {
			t.Fatalf("activity: %d %v", st, b)
		}

		// The API: rank, matters done, activities, items answered and the
		// satisfaction rate of the branch's unit.
		st, b = e.do("GET", "/api/v1/branches/ranking", "leader", nil)
		if st != 200 {
			t.Fatalf("ranking: %d %v", st, b)
		}
		var got []string
		for _, r := range b["branches"].([]any) {
			r := r.(map[string]any)
			figs := r["figures"].(map[string]any)
			rate := r["rates"].(map[string]any)["items"].(map[string]any)["satisfaction_rate"]
			got = append(got, fmt.Sprintf("%v:%v done=%v activities=%v answered=%v rate=%v", r["rank"], r["branch"],
				figs["matters"].(map[string]any)["done"], figs["volunteer_activities"].(map[string]any)["activities"],
				figs["items"].(map[string]any)["answered"], rate))
		}
		want := "[1:a1 done=1 activities=<nil> answered=2 rate=0.5 2:b1 done=<nil> activities=1 answered=1 rate=1 3:a2 done=<nil> activities=<nil> answered=2 rate=0.5]"
		if fmt.Sprint(got) != want {
			t.Errorf("ranking\n got %v\nwant %s", got, want)
		}

		// The page: the same ranking, each figure a link to its records.
		year := today[:4]
		p := e.loggedIn(t, "leader").get("/staff/branches")
		mustSee(t, "branches", p, 200, "甲所党支部", "乙所党支部", "甲所二支部", "50.0%", "100.0%",
			`href="/staff/matters?branch=a1&amp;status=done&amp;from=`+year+`-01-01&amp;to=`+today+`"`,
			`href="/staff/volunteer?branch=b1&amp;from=`+year+`-01-01&amp;to=`+today+`"`,
			`href="/staff?queue=all&amp;unit=a&amp;from=`+year+`-01-01&amp;to=`+today+`"`)
		if i, j := strings.Index(p.body, "甲所党支部"), strings.Index(p.body, "乙所党支部"); i < 0 || j < i {
			t.Error("a1 is not ranked above b1 on the page")
		}
		p = e.loggedIn(t, "officer-b").get("/staff/branches")
		mustSee(t, "officer b", p, 200, "乙所党支部", "100.0%")
		if strings.Contains(p.body, "甲所党支部") {
			t.Error("officer-b sees unit a's branches")
		}
		mustSee(t, "before the records", e.loggedIn(t, "leader").get("/staff/branches?from=2001-01-01&to=2001-12-31"), 200, "甲所党支部")
		mustSee(t, "bad period", e.loggedIn(t, "leader").get("/staff/branches?from=2021-12-31&to=2021-01-01"), 400)
		mustSee(t, "another unit", e.loggedIn(t, "officer-b").get("/staff/branches?unit=a"), 403)
	})
}

// TestMemberRecord checks a member's record of the year on their account
// page and on the admin's page of the user: matters led and joined (done
// this year), volunteer activities joined, items answered, each counted
// from the records and linked to its list.
func TestMemberRecord(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		doneMatter := func(lead string, participants ...string) {
			t.Helper()
			body := matterBody("帮助群众收玉米", "a")
			if lead != "" {
				body["lead"] = lead
			}
			body["participants"] = participants
			st, b := e.do("POST", "/api/v1/matters", "officer-a", body)
			if st != 201 {
				t.Fatalf("matter: %d %v", st, b)
			}
			for i, act := range []map[string]any{{"action": "start"}, {"action": "complete", "story": "玉米收完了"}} {
				act["version"] = i + 1
				if st, b := e.do("POST", fmt.Sprintf("/api/v1/matters/%v/actions", b["id"]), "officer-a", act); st != 200 {
					t.Fatalf("%v: %d %v", act, st, b)
				}
			}
		}
		doneMatter("officer-a")
		doneMatter("", "officer-a")
		doneMatter("") // nobody's
		today := time.Now().In(calendar.Zone).Format(time.DateOnly)
		if st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-a", map[string]any{"date": today, "title": "义务巡逻",
			"unit": "a", "participants": []string{"officer-a"}, "volunteers": 4, "hours": 2}); st != 201 {
			t.Fatalf("activity: %d %v", st, b)
		}
		leader, officer := mustUser(t, e, "leader"), mustUser(t, e, "officer-a")
		it, _, err := e.svc.Submit(ctx, &leader, archive.Submission{Kind: archive.KindConsultation, Text: "户口迁移需要带什么材料？",
			Channel: archive.ChannelOnlineBox, Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			who org.User
			cmd archive.Command
		}{{leader, archive.Command{Action: archive.ActDispatch, Unit: "a"}}, {officer, archive.Command{Action: archive.ActSign}},
			{officer, archive.Command{Action: archive.ActAnswer, Body: "请携带户口簿。"}}} {
			if _, err := e.svc.Act(ctx, step.who, it.Number, step.cmd, true); err != nil {
				t.Fatalf("%s: %v", step.cmd.Action, err)
			}
		}
		for _, tt := range []struct {
			path  string
			total float64
		}{
			{"/api/v1/matters?participant=officer-a", 1}, {"/api/v1/matters?participant=officer-b", 0},
			{"/api/v1/volunteer-activities?participant=officer-a", 1}, {"/api/v1/volunteer-activities?participant=admin", 0},
		} {
			if st, b := e.do("GET", tt.path, "leader", nil); st != 200 || b["total"].(float64) != tt.total {
				t.Errorf("%s: %d %v, want total %v", tt.path, st, b, tt.total)
			}
		}

		year := today[:4]
		period := "from=" + year + "-01-01&amp;to=" + today
		want := []string{"个人履职记录",
			`href="/staff/matters?lead=officer-a&amp;status=done&amp;` + period + `">1</a>`,
			`href="/staff/matters?participant=officer-a&amp;status=done&amp;` + period + `">1</a>`,
			`href="/staff/volunteer?participant=officer-a&amp;` + period + `">1</a>`,
			"<dt>答复的群众意见</dt><dd>1</dd>"}
		mustSee(t, "own account", e.loggedIn(t, "officer-a").get("/staff/account"), 200, want...)
		mustSee(t, "the admin's page", e.loggedIn(t, "admin").get("/staff/admin/users/officer-a/edit"), 200, want...)
		mustSee(t, "another member", e.loggedIn(t, "officer-b").get("/staff/account"), 200,
			`href="/staff/matters?lead=officer-b&amp;status=done&amp;`+period+`">0</a>`, "<dt>答复的群众意见</dt><dd>0</dd>")
		mustSee(t, "the list behind", e.loggedIn(t, "officer-a").get("/staff/matters?participant=officer-a&status=done"), 200)
	})
}
