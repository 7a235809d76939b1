package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// The one-stop pages: the admin builds a service without JavaScript (add,
// move and remove steps with buttons, save once), the government service
// centre's partner opens a case and hands it on, the approval centre
// completes it; each sees the actions of its own step only.
func TestOneStopPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withNotices(), withUnits(org.Unit{Code: "zwzx", Name: "政务服务中心", Kind: org.UnitPartner},
			org.Unit{Code: "spzx", Name: "行政审批服务中心", Kind: org.UnitCentre}),
			withUsers(org.User{Name: "zwzx-clerk", Role: org.RolePartner, UnitCode: "zwzx"},
				org.User{Name: "spzx-officer", Role: org.RoleOfficer, UnitCode: "spzx"}))
		admin := e.loggedIn(t, "admin")
		if p := e.loggedIn(t, "officer-a").get("/staff/services/new"); p.status != http.StatusForbidden {
			t.Fatalf("an officer opens the builder: %d", p.status)
		}

		// The builder: a second step added, the steps swapped, each answer
		// the form again with nothing written.
		form := url.Values{"name": {"新生儿落户"}, "code": {"newborn"}, "active": {"1"},
			"step_name": {"审批登记"}, "step_unit": {"spzx"}, "step_materials": {""}, "step_limit": {"3"}, "op": {"add"}}
		p := admin.submit("/staff/services/new", "/staff/services", form)
		mustSee(t, "a step added", p, 200, `id="step-name-1"`, `value="审批登记"`)
		form["step_name"] = []string{"审批登记", "收件"}
		form["step_unit"] = []string{"spzx", "zwzx"}
		form["step_materials"] = []string{"", "出生医学证明\n结婚证"}
		form["step_limit"] = []string{"3", "1"}
		form.Set("op", "up:1")
		p = admin.post("/staff/services", form)
		if p.status != 200 || strings.Index(p.body, `value="收件"`) > strings.Index(p.body, `value="审批登记"`) {
			t.Fatalf("moved up: %d %s", p.status, p.body)
		}
		if st, b := e.do("GET", "/api/v1/services", "admin", nil); st != 200 || ledgerCount(t, b) != 0 {
			t.Fatalf("the builder's buttons wrote: %v", b)
		}
		// Saved with a bad time limit: named beside its step, then good.
		form["step_name"] = []string{"收件", "审批登记"}
		form["step_unit"] = []string{"zwzx", "spzx"}
		form["step_materials"] = []string{"出生医学证明\n结婚证", ""}
		form["step_limit"] = []string{"1", "99"}
		form.Set("op", "save")
		mustSee(t, "bad limit", admin.post("/staff/services", form), 400, `id="errors"`, "第2环节")
		form["step_limit"] = []string{"1", "3"}
		p = admin.post("/staff/services", form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.status, p.body)
		}
		mustSee(t, "services", admin.get("/staff/services"), 200, "新生儿落户", "政务服务中心", "出生医学证明")

		// The partner opens a case: the service first, then its checklist.
		clerk := e.loggedIn(t, "zwzx-clerk")
		mustSee(t, "choose a service", clerk.get("/staff/cases/new"), 200, "新生儿落户", `name="service"`)
		st, b := e.do("GET", "/api/v1/services", "admin", nil)
		if st != 200 {
			t.Fatal(b)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(p.location, "/staff/services/"), "/")
		newCase := "/staff/cases/new?service=" + id
		mustSee(t, "case form", clerk.get(newCase), 200, `value="出生医学证明"`, `value="结婚证"`)
		bad := clerk.submit(newCase, "/staff/cases", url.Values{"service": {id}, "name": {""}, "phone": {"123"}, "received": {"出生医学证明"}})
		mustSee(t, "bad case", bad, 400, `id="errors"`, "申请人姓名", "电话号码", `value="出生医学证明" checked`)
		opened := clerk.submit(newCase, "/staff/cases", url.Values{"service": {id}, "name": {"乌云其其格"}, "phone": {"13912345678"},
			"received": {"出生医学证明"}, "proxy": {"officer-a"}})
		if opened.status != http.StatusSeeOther || !strings.HasPrefix(opened.location, "/staff/cases/") {
			t.Fatalf("open: %d %s %s", opened.status, opened.location, opened.body)
		}
		path := opened.location
		page := clerk.get(path)
		mustSee(t, "the partner's case", page, 200, "13912345678", `value="advance"`, "○ 结婚证")
		if strings.Contains(page.body, `value="cancel"`) || strings.Contains(page.body, `value="complete"`) {
			t.Errorf("the partner is offered the bureau's actions: %s", page.body)
		}
		// The service centre changes the case against the version it read:
		// sent again from the same form, the version is stale.
		edit := url.Values{"version": {"1"}, "name": {"乌云其其格"}, "phone": {"13912345678"}, "green": {"priority"},
			"proxy": {"officer-a"}, "received": {"出生医学证明"}}
		if p := clerk.submit(path+"/edit", path, edit); p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("edit: %d %s %s", p.status, p.location, p.body)
		}
		mustSee(t, "stale edit", clerk.post(path, edit), 409, `id="errors"`)
		mustSee(t, "changed", clerk.get(path), 200, "优先办理")
		officer := e.loggedIn(t, "spzx-officer")
		mustSee(t, "the approval centre before its step", officer.get(path), 200, "139****5678")
		if strings.Contains(officer.get(path).body, `value="advance"`) {
			t.Error("the approval centre is offered the service centre's step")
		}
		// Handed on with the missing material ticked.
		mustSee(t, "advance without the material", clerk.submit(path, path+"/act", url.Values{"action": {"advance"}, "version": {"2"}}),
			400, "结婚证")
		p = clerk.submit(path, path+"/act", url.Values{"action": {"advance"}, "version": {"2"}, "received": {"结婚证"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("advance: %d %s", p.status, p.body)
		}
		mustSee(t, "handed on", officer.get(path), 200, "13912345678", `value="complete"`, `value="return"`, "政务服务中心 → 行政审批服务中心")
		p = officer.submit(path, path+"/act", url.Values{"action": {"complete"}, "version": {"3"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("complete: %d %s", p.status, p.body)
		}
		mustSee(t, "done", officer.get(path), 200, "已办结")
		mustSee(t, "the applicant's SMS among the notices", admin.get("/staff/admin/notices"), 200, "一件事办结", `href="`+path+`"`)
		mustSee(t, "the list", clerk.get("/staff/cases?status=done&proxy=true"), 200, "共1条", "帮办代办")
		if p := e.loggedIn(t, "officer-b").get(path); p.status != http.StatusForbidden {
			t.Errorf("another unit reads the case: %d", p.status)
		}
	})
}
