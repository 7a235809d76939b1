package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
)

var fieldError = regexp.MustCompile(`class="field-error" role="alert">([^<]+)<`)

func TestAdminPagesAreForAdminsOnly(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	routes := []route{
		{"GET", "/staff/admin"},
		{"GET", "/staff/admin/units"},
		{"GET", "/staff/admin/units/new"},
		{"POST", "/staff/admin/units"},
		{"GET", "/staff/admin/units/a/edit"},
		{"POST", "/staff/admin/units/a"},
		{"GET", "/staff/admin/users"},
		{"GET", "/staff/admin/users/new"},
		{"POST", "/staff/admin/users"},
		{"GET", "/staff/admin/users/officer-a/edit"},
		{"POST", "/staff/admin/users/officer-a"},
		{"POST", "/staff/admin/users/officer-a/status"},
		{"POST", "/staff/admin/users/officer-a/password"},
		{"POST", "/staff/admin/users/officer-a/totp"},
		{"GET", "/staff/admin/categories"},
		{"GET", "/staff/admin/categories/new"},
		{"POST", "/staff/admin/categories"},
		{"GET", "/staff/admin/categories/hukou/edit"},
		{"POST", "/staff/admin/categories/hukou"},
		{"GET", "/staff/admin/calendar"},
		{"POST", "/staff/admin/calendar"},
		{"GET", "/staff/admin/canned"},
		{"GET", "/staff/admin/canned/new"},
		{"POST", "/staff/admin/canned"},
		{"GET", "/staff/admin/canned/1/edit"},
		{"POST", "/staff/admin/canned/1"},
		{"GET", "/staff/admin/desk"},
		{"POST", "/staff/admin/desk/2021-000001"},
	}
	// Forms that would change something if the check were missing.
	form := url.Values{"code": {"x"}, "name": {"x"}, "kind": {"station"}, "role": {"admin"}, "disabled": {"1"},
		"limit_amount": {"1"}, "limit_unit": {"working_days"}, "active": {"1"}, "title": {"x"}, "body": {"x"},
		"csv": {"date,kind,name\n2030-01-01,holiday,元旦"}, "publish": {"1"}}
	usersBefore, _ := e.db.Users(ctx)
	e.mustRefuse(t, []string{"leader", "officer-a"}, routes, form, nil)
	usersAfter, _ := e.db.Users(ctx)
	if !slices.Equal(usersAfter, usersBefore) {
		t.Fatal("a refused request changed the users")
	}
	if c, _ := e.db.Category(ctx, "hukou"); c.Limit.Amount != 3 {
		t.Fatalf("a refused request changed the category: %+v", c)
	}
	if len(mustCalendarYears(t, e)) != 2 {
		t.Fatal("a refused request changed the calendar")
	}

	// The administrator sees every page.
	admin := e.loggedIn(t, "admin")
	for _, rt := range routes {
		if rt.method != "GET" || strings.Contains(rt.path, "/canned/1") {
			continue
		}
		t.Run("admin "+rt.path, func(t *testing.T) {
			if p := admin.get(rt.path); p.status != http.StatusOK {
				t.Fatalf("%d %s", p.status, p.body)
			}
		})
	}
	if p := admin.get("/staff"); !strings.Contains(p.body, `href="/staff/admin"`) {
		t.Fatal("the administrator's menu has no link to the admin pages")
	}
}

// mustCalendarYears returns the years the calendar API says it covers.
func mustCalendarYears(t *testing.T, e *env) []any {
	t.Helper()
	st, body := e.do("GET", "/api/v1/calendar", "", nil)
	if st != 200 {
		t.Fatalf("calendar: %d", st)
	}
	return body["years"].([]any)
}

var passwordOnPage = regexp.MustCompile(`id="password">([^<]+)<`)

func TestAdminAddsAUserWhoLogsIn(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")

	t.Run("bad input changes nothing", func(t *testing.T) {
		tests := []struct {
			name  string
			form  url.Values
			field string // text expected at a field
		}{
			{"officer without unit", url.Values{"name": {"zhao"}, "role": {"officer"}}, "该角色必须属于一个单位"},
			{"bad name", url.Values{"name": {"赵 六"}, "role": {"leader"}}, "用户名须为"},
			{"taken name", url.Values{"name": {"officer-a"}, "role": {"officer"}, "unit": {"a"}}, "已存在"},
			{"unknown unit", url.Values{"name": {"zhao"}, "role": {"officer"}, "unit": {"zz"}}, "单位不存在"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, _ := e.db.Users(ctx)
				p := admin.submit("/staff/admin/users/new", "/staff/admin/users", tt.form)
				if p.status != http.StatusBadRequest && p.status != http.StatusConflict {
					t.Fatalf("%d %s", p.status, p.location)
				}
				if m := fieldError.FindStringSubmatch(p.body); m == nil || !strings.Contains(m[1], tt.field) {
					t.Fatalf("field error %v, want %q", m, tt.field)
				}
				if after, _ := e.db.Users(ctx); len(after) != len(before) {
					t.Fatal("a refused user was stored")
				}
			})
		}
	})

	p := admin.shown(admin.submit("/staff/admin/users/new", "/staff/admin/users", url.Values{"name": {"Zhao"}, "display_name": {"赵六"},
		"role": {"officer"}, "unit": {"b"}, "party_member": {"1"}}))
	if p.status != http.StatusOK {
		t.Fatalf("add: %d %s", p.status, p.body)
	}
	m := passwordOnPage.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no password on the page: %s", p.body)
	}
	u, err := e.db.UserByName(ctx, "zhao")
	if err != nil || u.DisplayName != "赵六" || u.Role != org.RoleOfficer || u.UnitCode != "b" || !u.PartyMember {
		t.Fatalf("stored %+v, %v", u, err)
	}
	if list := admin.get("/staff/admin/users"); !strings.Contains(list.body, `id="user-zhao"`) {
		t.Fatal("the new user is not listed")
	}

	zhao := e.staffer(t)
	if p := zhao.logIn("zhao", html.UnescapeString(m[1])); p.status != http.StatusSeeOther || p.location != "/staff" {
		t.Fatalf("login with the shown password: %d %s", p.status, p.location)
	}
	if p := zhao.get("/staff"); p.status != http.StatusOK || !strings.Contains(p.body, "(zhao)") {
		t.Fatalf("inbox: %d", p.status)
	}

	t.Run("reset password", func(t *testing.T) {
		p := admin.shown(admin.submit("/staff/admin/users/zhao/edit", "/staff/admin/users/zhao/password", url.Values{}))
		m2 := passwordOnPage.FindStringSubmatch(p.body)
		if p.status != http.StatusOK || m2 == nil || m2[1] == m[1] {
			t.Fatalf("reset: %d %v", p.status, m2)
		}
		if p := e.staffer(t).logIn("zhao", html.UnescapeString(m[1])); p.status != http.StatusUnauthorized {
			t.Fatalf("the old password still works: %d", p.status)
		}
		if p := e.staffer(t).logIn("zhao", html.UnescapeString(m2[1])); p.status != http.StatusSeeOther {
			t.Fatalf("the new password does not work: %d", p.status)
		}
	})
}

func TestDisablingAUserEndsTheirSession(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	officer := e.loggedIn(t, "officer-a")
	if p := officer.get("/staff"); p.status != http.StatusOK {
		t.Fatalf("inbox before: %d", p.status)
	}
	admin := e.loggedIn(t, "admin")
	p := admin.submit("/staff/admin/users/officer-a/edit", "/staff/admin/users/officer-a/status", url.Values{"disabled": {"1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", p.status, p.body)
	}
	if p := officer.get("/staff"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("the disabled officer still works: %d %s", p.status, p.location)
	}
	if p := e.staffer(t).logIn("officer-a", e.passwords["officer-a"]); p.status != http.StatusUnauthorized {
		t.Fatalf("the disabled officer logs in: %d", p.status)
	}
	if p := admin.get("/staff/admin/users"); !strings.Contains(p.body, "已停用") {
		t.Fatal("the list does not show the account disabled")
	}
	admin.submit("/staff/admin/users/officer-a/edit", "/staff/admin/users/officer-a/status", url.Values{"disabled": {"0"}})
	if p := e.staffer(t).logIn("officer-a", e.passwords["officer-a"]); p.status != http.StatusSeeOther {
		t.Fatalf("the enabled officer cannot log in: %d", p.status)
	}

	t.Run("an admin cannot disable or demote themselves", func(t *testing.T) {
		if p := admin.post("/staff/admin/users/admin/status", url.Values{"disabled": {"1"},
			"csrf_token": {html.UnescapeString(csrfOnPage.FindStringSubmatch(admin.get("/staff/admin").body)[1])}}); p.status != http.StatusBadRequest {
			t.Fatalf("self-disable: %d", p.status)
		}
		p := admin.submit("/staff/admin/users/admin/edit", "/staff/admin/users/admin", url.Values{"role": {"leader"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "不能更改自己的角色") {
			t.Fatalf("self-demotion: %d", p.status)
		}
		if u, _ := e.db.UserByName(ctx, "admin"); u.Role != org.RoleAdmin || u.Disabled {
			t.Fatalf("the admin changed: %+v", u)
		}
		if p := admin.get("/staff/admin"); p.status != http.StatusOK {
			t.Fatalf("the admin lost access: %d", p.status)
		}
	})

	t.Run("edit another user", func(t *testing.T) {
		p := admin.submit("/staff/admin/users/officer-b/edit", "/staff/admin/users/officer-b",
			url.Values{"display_name": {"钱七"}, "role": {"unit_head"}, "unit": {"a"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("%d %s", p.status, p.body)
		}
		if u, _ := e.db.UserByName(ctx, "officer-b"); u.Role != org.RoleUnitHead || u.UnitCode != "a" || u.DisplayName != "钱七" || u.PartyMember {
			t.Fatalf("stored %+v", u)
		}
	})
}

// dueOf files a citizen's item in the category through the API and returns
// when it was received and when it is due.
func dueOf(t *testing.T, e *env) (received, due time.Time) {
	t.Helper()
	st, body := e.do("POST", "/api/v1/items", "", citizenItem("户口迁移需要多久？"))
	if st != 201 {
		t.Fatalf("file: %d %v", st, body)
	}
	st, item := e.do("GET", "/api/v1/items/"+body["number"].(string), "leader", nil)
	if st != 200 {
		t.Fatalf("get: %d %v", st, item)
	}
	it := item["item"].(map[string]any)
	received, _ = time.Parse(time.RFC3339Nano, it["received_at"].(string))
	due, _ = time.Parse(time.RFC3339Nano, it["due_at"].(string))
	return received, due
}

func TestCategoryLimitChangesNewItemsDueDates(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	cal := calendar.Default()
	received, due := dueOf(t, e)
	if want := cal.Due(received, calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}).At; !due.Equal(want) {
		t.Fatalf("before: due %v, want %v", due, want)
	}
	form := url.Values{"name": {"户籍"}, "unit": {"a"}, "limit_amount": {"4"}, "limit_unit": {"working_hours"}, "active": {"1"}}

	t.Run("bad limits change nothing", func(t *testing.T) {
		for _, bad := range []url.Values{{"limit_amount": {"三"}}, {"limit_amount": {"0"}, "limit_unit": {"working_hours"}},
			{"limit_amount": {"4"}, "limit_unit": {"fortnights"}}, {"limit_amount": {"400"}, "limit_unit": {"working_days"}}} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			for k, v := range bad {
				f[k] = v
			}
			p := admin.submit("/staff/admin/categories/hukou/edit", "/staff/admin/categories/hukou", f)
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, "时限") {
				t.Fatalf("%v: %d", bad, p.status)
			}
			if c, _ := e.db.Category(ctx, "hukou"); c.Limit != (calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}) {
				t.Fatalf("%v changed the limit: %+v", bad, c.Limit)
			}
		}
	})

	p := admin.submit("/staff/admin/categories/hukou/edit", "/staff/admin/categories/hukou", form)
	if p.status != http.StatusSeeOther || p.location != "/staff/admin/categories" {
		t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
	}
	if list := admin.get(p.location); !strings.Contains(list.body, "4个工作小时") || !strings.Contains(list.body, "已保存分类") {
		t.Fatal("the list does not show the new limit and the flash")
	}
	received2, due2 := dueOf(t, e)
	if want := cal.Due(received2, calendar.Limit{Amount: 4, Unit: calendar.WorkingHours}).At; !due2.Equal(want) {
		t.Fatalf("after: due %v, want %v (4 working hours after %v)", due2, want, received2)
	}
	if due2.Equal(due) {
		t.Fatal("the due date did not change")
	}

	t.Run("add a category", func(t *testing.T) {
		p := admin.submit("/staff/admin/categories/new", "/staff/admin/categories", url.Values{"code": {"traffic"}, "name": {"交通"},
			"class": {"urgent"}, "limit_amount": {"5"}, "limit_unit": {"working_days"}, "active": {"1"}, "keywords": {"违停 车辆"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("%d %s", p.status, p.body)
		}
		c, err := e.db.Category(ctx, "traffic")
		if err != nil || c.Class != archive.ClassUrgent || c.Limit.Amount != 5 || !c.Active || c.Keywords != "违停 车辆" {
			t.Fatalf("stored %+v, %v", c, err)
		}
	})
}

func TestAdminFormsNeedTheAntiForgeryToken(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	admin.get("/staff/admin") // holds a real token, which the forms below do not carry
	tests := []formPost{
		{"/staff/admin/units", url.Values{"code": {"c"}, "name": {"丙派出所"}, "kind": {"station"}}},
		{"/staff/admin/users", url.Values{"name": {"zhao"}, "role": {"leader"}}},
		{"/staff/admin/users/officer-a/status", url.Values{"disabled": {"1"}}},
		{"/staff/admin/categories/hukou", url.Values{"name": {"改"}, "limit_amount": {"1"}, "limit_unit": {"working_days"}}},
		{"/staff/admin/calendar", url.Values{"csv": {"date,kind,name\n2030-01-01,holiday,元旦"}}},
		{"/staff/account/password", url.Values{"current": {e.passwords["admin"]}, "password": {"a new long password"}, "confirm": {"a new long password"}}},
	}
	admin.mustRefuseForged(t, tests)
	if _, err := e.db.Unit(ctx, "c"); err == nil {
		t.Error("a unit was added")
	}
	if _, err := e.db.UserByName(ctx, "zhao"); err == nil {
		t.Error("a user was added")
	}
	if u, _ := e.db.UserByName(ctx, "officer-a"); u.Disabled {
		t.Error("a user was disabled")
	}
	if c, _ := e.db.Category(ctx, "hukou"); c.Name != "户籍" {
		t.Error("the category was changed")
	}
	if len(mustCalendarYears(t, e)) != 2 {
		t.Error("the calendar was changed")
	}
	if p := e.staffer(t).logIn("admin", e.passwords["admin"]); p.status != http.StatusSeeOther {
		t.Error("the password was changed")
	}
}

func TestAdminUnits(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	p := admin.submit("/staff/admin/units/new?parent=a", "/staff/admin/units", url.Values{"code": {"a-1"}, "name": {"甲所警务室"},
		"kind": {"office"}, "parent_code": {"a"}, "township": {"城关镇"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", p.status, p.body)
	}
	list := admin.get("/staff/admin/units").body
	list = list[strings.Index(list, "<tbody>"):]
	// The tree: the bureau, then station a with its office under it, then b.
	order := []string{"测试局", "甲派出所", "甲所警务室", "乙派出所"}
	at := -1
	for _, name := range order {
		i := strings.Index(list, name)
		if i <= at {
			t.Fatalf("%s is not in tree order in %s", name, list)
		}
		at = i
	}
	if !strings.Contains(list, `class="depth-2"`) {
		t.Fatal("the office is not indented under its station")
	}
	tests := []struct {
		name  string
		form  url.Values
		want  int
		field string
	}{
		{"under its own sub-unit", url.Values{"name": {"甲派出所"}, "kind": {"station"}, "parent_code": {"a-1"}}, 400, "下级单位"},
		{"unknown kind", url.Values{"name": {"甲派出所"}, "kind": {"gang"}, "parent_code": {"bureau"}}, 400, "单位类型无效"},
		{"no name", url.Values{"name": {""}, "kind": {"station"}, "parent_code": {"bureau"}}, 400, "名称不能为空"},
		{"rename", url.Values{"name": {"甲镇派出所"}, "kind": {"station"}, "parent_code": {"bureau"}}, 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.db.Unit(ctx, "a")
			p := admin.submit("/staff/admin/units/a/edit", "/staff/admin/units/a", tt.form)
			if p.status != tt.want {
				t.Fatalf("%d %s", p.status, p.body)
			}
			after, _ := e.db.Unit(ctx, "a")
			if tt.field != "" {
				if !strings.Contains(p.body, tt.field) {
					t.Fatalf("no %q on the page", tt.field)
				}
				if after != before {
					t.Fatal("a refused change changed the unit")
				}
			} else if after.Name != "甲镇派出所" {
				t.Fatalf("stored %+v", after)
			}
		})
	}
}

func TestAdminCalendar(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	now := time.Now().Year()
	page := admin.get("/staff/admin/calendar").body
	for _, y := range []int{now, now + 1} {
		missing := strings.Contains(page, `id="missing-`+strconv.Itoa(y)+`"`)
		covered := strings.Contains(page, `id="year-`+strconv.Itoa(y)+`"`)
		if missing == covered {
			t.Fatalf("year %d: missing warning %v, covered %v", y, missing, covered)
		}
	}
	tests := []struct {
		name, csv string
		want      int
	}{
		{"no header", "2030-01-01,holiday,元旦", 400},
		{"bad date", "date,kind,name\n2030-02-30,holiday,元旦", 400},
		{"bad kind", "date,kind,name\n2030-01-01,party,元旦", 400},
		{"header only", "date,kind,name", 400},
		{"good", "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-05,workday,调休上班", 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(mustCalendarYears(t, e))
			p := admin.submit("/staff/admin/calendar", "/staff/admin/calendar", url.Values{"csv": {tt.csv}})
			if p.status != tt.want {
				t.Fatalf("%d %s", p.status, p.body)
			}
			after := len(mustCalendarYears(t, e))
			if tt.want != 303 {
				if m := fieldError.FindStringSubmatch(p.body); m == nil || !strings.Contains(p.body, tt.csv[len(tt.csv)-2:]) {
					t.Fatalf("no field error, or the pasted text is lost: %v", m)
				}
				if after != before {
					t.Fatal("a refused calendar changed the years")
				}
				return
			}
			if after != before+1 {
				t.Fatalf("years %d → %d", before, after)
			}
			if !strings.Contains(admin.get("/staff/admin/calendar").body, `id="year-2030"`) {
				t.Fatal("2030 not listed")
			}
		})
	}
}

func TestAdminCannedReplies(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	if p := admin.submit("/staff/admin/canned/new", "/staff/admin/canned", url.Values{"category": {"nope"}, "title": {"x"}, "body": {"y"}}); p.status != http.StatusBadRequest {
		t.Fatalf("unknown category: %d", p.status)
	}
	if p := admin.submit("/staff/admin/canned/new", "/staff/admin/canned", url.Values{"category": {"hukou"}, "title": {" "}, "body": {"y"}}); p.status != http.StatusBadRequest {
		t.Fatalf("no title: %d", p.status)
	}
	p := admin.submit("/staff/admin/canned/new", "/staff/admin/canned", url.Values{"category": {"hukou"}, "title": {"新生儿落户"},
		"body": {"请携带出生医学证明到户籍窗口办理。"}, "active": {"1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", p.status, p.body)
	}
	all, _ := e.db.AllCannedReplies(ctx)
	if len(all) != 1 || all[0].CategoryCode != "hukou" || !all[0].Active {
		t.Fatalf("stored %+v", all)
	}
	id := strconv.FormatInt(all[0].ID, 10)
	if list := admin.get("/staff/admin/canned").body; !strings.Contains(list, "新生儿落户") || !strings.Contains(list, "户籍") {
		t.Fatal("not listed with its category")
	}
	p = admin.submit("/staff/admin/canned/"+id+"/edit", "/staff/admin/canned/"+id, url.Values{"category": {""}, "title": {"落户"}, "body": {"到户籍窗口办理。"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", p.status, p.body)
	}
	all, _ = e.db.AllCannedReplies(ctx)
	if len(all) != 1 || all[0].CategoryCode != "" || all[0].Title != "落户" || all[0].Active {
		t.Fatalf("stored %+v", all)
	}
	if p := admin.get("/staff/admin/canned/999/edit"); p.status != http.StatusNotFound {
		t.Fatalf("unknown reply: %d", p.status)
	}
}

func TestAdminDeskModeration(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin := e.loggedIn(t, "admin")
	item := citizenItem("身份证丢了在哪里补办？")
	item["channel"], item["publish"] = "online_desk", true
	st, created := e.do("POST", "/api/v1/items", "", item)
	if st != 201 {
		t.Fatalf("file: %d %v", st, created)
	}
	number := created["number"].(string)
	if p := admin.get("/staff/admin/desk"); !strings.Contains(p.body, `id="candidate-`+number+`"`) {
		t.Fatal("the unanswered item is not among the candidates")
	}
	for _, step := range []struct {
		user string
		cmd  map[string]any
	}{
		{"leader", map[string]any{"action": "dispatch", "unit": "a"}},
		{"officer-a", map[string]any{"action": "sign"}},
		{"officer-a", map[string]any{"action": "answer", "body": "请带户口簿到户籍窗口补办。"}},
	} {
		_, it := e.do("GET", "/api/v1/items/"+number, step.user, nil)
		step.cmd["version"] = it["item"].(map[string]any)["version"]
		if st, body := e.do("POST", "/api/v1/items/"+number+"/actions", step.user, step.cmd); st != 200 {
			t.Fatalf("%v: %d %v", step.cmd, st, body)
		}
	}
	citizen := e.staffer(t)
	if p := citizen.get("/desk/" + number); p.status != http.StatusOK {
		t.Fatalf("not on the desk: %d", p.status)
	}
	if p := admin.get("/staff/admin/desk"); !strings.Contains(p.body, `id="desk-`+number+`"`) {
		t.Fatal("the published item is not listed as on the desk")
	}
	p := admin.submit("/staff/admin/desk", "/staff/admin/desk/"+number, url.Values{"publish": {"0"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", p.status, p.body)
	}
	if p := citizen.get("/desk/" + number); p.status != http.StatusNotFound {
		t.Fatalf("still on the desk: %d", p.status)
	}
	_, view := e.do("GET", "/api/v1/items/"+number, "leader", nil)
	events := view["events"].([]any)
	last := events[len(events)-1].(map[string]any)
	if last["type"] != "publishing_changed" || last["actor"] != "admin" {
		t.Fatalf("the withdrawal is not recorded: %v", last)
	}
	p = admin.submit("/staff/admin/desk", "/staff/admin/desk/"+number, url.Values{"publish": {"1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", p.status, p.body)
	}
	if p := citizen.get("/desk/" + number); p.status != http.StatusOK {
		t.Fatalf("not back on the desk: %d", p.status)
	}
}

// TestDeskReviewMarksPersonalData: an answer that greets the citizen by
// name stays off the desk; publishing it is refused with the review page,
// the name marked, and changes nothing; the public version staff edit
// there is what the desk then shows, title included.
func TestDeskReviewMarksPersonalData(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	admin, citizen := e.loggedIn(t, "admin"), e.staffer(t)
	item := citizenItem("孩子落户要带什么材料？")
	item["channel"], item["publish"] = "online_desk", true
	item["contact"] = map[string]any{"name": "巴特尔", "phone": "13900001111"}
	st, created := e.do("POST", "/api/v1/items", "", item)
	if st != 201 {
		t.Fatalf("file: %d %v", st, created)
	}
	number := created["number"].(string)
	for _, step := range []struct {
		user string
		cmd  map[string]any
	}{
		{"leader", map[string]any{"action": "dispatch", "unit": "a"}},
		{"officer-a", map[string]any{"action": "sign"}},
		{"officer-a", map[string]any{"action": "answer", "body": "巴特尔您好，请带出生医学证明和户口簿。"}},
	} {
		_, it := e.do("GET", "/api/v1/items/"+number, step.user, nil)
		step.cmd["version"] = it["item"].(map[string]any)["version"]
		if st, body := e.do("POST", "/api/v1/items/"+number+"/actions", step.user, step.cmd); st != 200 {
			t.Fatalf("%v: %d %v", step.cmd, st, body)
		}
	}
	if p := citizen.get("/desk/" + number); p.status != http.StatusNotFound {
		t.Fatalf("an answer naming the citizen is on the desk: %d", p.status)
	}
	if p := admin.open("/staff/admin/desk"); !strings.Contains(p, `href="/staff/items/`+number+`/desk"`) {
		t.Fatal("the moderation page does not offer the review")
	}
	_, before := e.do("GET", "/api/v1/items/"+number, "admin", nil)

	mark := `<mark title="姓名">巴特尔</mark>`
	p := admin.submit("/staff/admin/desk", "/staff/admin/desk/"+number, url.Values{"publish": {"1"}})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, mark) || !strings.Contains(p.body, `id="marked-answer"`) {
		t.Fatalf("publishing as written: %d, want 400 with the name marked: %s", p.status, p.body)
	}
	st, body := e.do("POST", "/api/v1/items/"+number+"/actions", "admin",
		map[string]any{"action": "set_publish", "publish": true, "version": before["item"].(map[string]any)["version"]})
	if fields, _ := body["fields"].(map[string]any); st != 400 || !strings.Contains(fmt.Sprint(fields["desk.answer"]), "巴特尔") {
		t.Fatalf("the API publishing as written: %d %v", st, body)
	}
	if _, after := e.do("GET", "/api/v1/items/"+number, "admin", nil); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused publication changed the item:\n%v\n%v", before, after)
	}

	review := "/staff/items/" + number + "/desk"
	if page := admin.open(review); !strings.Contains(page, mark) {
		t.Fatalf("the review page does not mark the name: %s", page)
	}
	p = admin.submit(review, review, url.Values{"title": {"孩子落户材料"}, "text": {"孩子落户要带什么材料？"},
		"answer": {"巴特尔您好，请带出生医学证明。"}, "version": {fmt.Sprint(before["item"].(map[string]any)["version"])}})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, mark) || !strings.Contains(p.body, "孩子落户材料") {
		t.Fatalf("an edit still naming the citizen: %d %s", p.status, p.body)
	}
	p = admin.submit(review, review, url.Values{"title": {"孩子落户材料"}, "text": {"孩子落户要带什么材料？"},
		"answer": {"您好，请带出生医学证明。"}, "version": {fmt.Sprint(before["item"].(map[string]any)["version"])}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("publishing the edited version: %d %s", p.status, p.body)
	}
	for _, path := range []string{"/desk/" + number, "/desk", "/desk?q=" + url.QueryEscape("落户材料")} {
		// The search marks its terms (<mark>) in the text it shows.
		page := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(citizen.open(path))
		if !strings.Contains(page, "孩子落户材料") || !strings.Contains(page, "请带出生医学证明。") || strings.Contains(page, "巴特尔") {
			t.Errorf("%s does not show the edited public version: %s", path, page)
		}
	}
	_, view := e.do("GET", "/api/v1/items/"+number, "leader", nil)
	events := view["events"].([]any)
	last := events[len(events)-1].(map[string]any)
	if data, _ := last["data"].(map[string]any); last["type"] != "publishing_changed" || last["actor"] != "admin" || data["desk_title"] != "孩子落户材料" {
		t.Fatalf("the publication is not recorded with its public version: %v", last)
	}
	if it := view["item"].(map[string]any); it["public_reply"] != "巴特尔您好，请带出生医学证明和户口簿。" {
		t.Errorf("the answer to the citizen changed: %v", it["public_reply"])
	}
}
