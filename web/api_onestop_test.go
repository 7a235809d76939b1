package web_test

import (
	"fmt"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/outbox"
	"minyi/store"
)

// osService returns the id of a service whose first step (收件, two
// materials) is unit a's and whose second (审批) is unit b's, defining it
// the first time: the OpenAPI fixtures name it as service 1 (each calls
// this first, so service 1 is this one).
func osService(t *testing.T, e *env) int64 {
	t.Helper()
	if st, _ := e.do("GET", "/api/v1/services/1", "admin", nil); st == 200 {
		return 1
	}
	st, b := e.do("POST", "/api/v1/services", "admin", map[string]any{"code": "fixture-service", "name": "新生儿落户",
		"steps": []any{map[string]any{"name": "收件", "unit": "a", "materials": []any{"出生医学证明", "结婚证"}, "limit_days": 1},
			map[string]any{"name": "审批", "unit": "b", "limit_days": 3}}})
	if st != 201 {
		t.Fatalf("service: %d %v", st, b)
	}
	return int64(b["id"].(float64))
}

// osCaseBody is a case of service, handled by officer-a for the applicant.
func osCaseBody(service int64) map[string]any {
	return map[string]any{"service": service, "applicant": map[string]any{"name": "乌云", "phone": "13900001111", "id_number": "11010519491231002X"},
		"proxy": "officer-a", "green": "priority", "note": "帮办", "received": []any{"出生医学证明"}}
}

// osCase opens a case of osService by user and returns its id.
func osCase(t *testing.T, e *env, user string) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/cases", user, osCaseBody(osService(t, e)))
	if st != 201 {
		t.Fatalf("case: %d %v", st, b)
	}
	return int64(b["id"].(float64))
}

// TestAPIOneStop: the government service centre (a partner) opens a case
// and hands it to the approval centre, which completes it; each acts on its
// own step only, a stale version is 409, the applicant is sent an SMS and
// the summary counts the case per service.
func TestAPIOneStop(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withNotices(), withUnits(org.Unit{Code: "zwzx", Name: "政务服务中心", Kind: org.UnitPartner},
			org.Unit{Code: "spzx", Name: "行政审批服务中心", Kind: org.UnitCentre}))
		e.addTokenUser(org.User{Name: "zwzx-clerk", Role: org.RolePartner, UnitCode: "zwzx"})
		e.addTokenUser(org.User{Name: "spzx-officer", Role: org.RoleOfficer, UnitCode: "spzx"})
		e.addTokenUser(org.User{Name: "partner-a", Role: org.RolePartner, UnitCode: "a"})
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)

		newborn := map[string]any{"code": "newborn", "name": "新生儿落户", "description": "出生一件事",
			"steps": []any{map[string]any{"name": "收件", "unit": "zwzx", "materials": []any{"出生医学证明", "父母户口簿", "父母身份证", "结婚证"}, "limit_days": 1},
				map[string]any{"name": "审批登记", "unit": "spzx", "limit_days": 3}}}
		if st, b := e.do("POST", "/api/v1/services", "leader", newborn); st != 403 {
			t.Fatalf("a leader defines a service: %d %v", st, b)
		}
		st, svc := e.do("POST", "/api/v1/services", "admin", newborn)
		if st != 201 || svc["active"] != true || conforms(schemas["Service"], svc) != nil {
			t.Fatalf("service: %d %v", st, svc)
		}
		if st, b := e.do("POST", "/api/v1/services", "admin", newborn); st != 409 || fieldsOf(b)["code"] == nil {
			t.Fatalf("a taken code: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/services?unit=zwzx", "zwzx-clerk", nil); st != 200 || ledgerCount(t, b) != 1 || conforms(schemas["ServicePage"], b) != nil {
			t.Fatalf("the partner's services: %d %v", st, b)
		}
		body := map[string]any{"service": svc["id"], "applicant": map[string]any{"name": "乌云其其格", "phone": "13912345678"},
			"proxy": "officer-a", "received": []any{"出生医学证明", "父母户口簿"}}
		for _, u := range []string{"spzx-officer", "officer-b", "partner-a"} {
			if st, b := e.do("POST", "/api/v1/cases", u, body); st != 403 {
				t.Errorf("%s opens at the service centre's step: %d %v", u, st, b)
			}
		}
		st, c := e.do("POST", "/api/v1/cases", "zwzx-clerk", body)
		if st != 201 || c["status"] != "open" || c["masked"] != false || conforms(schemas["Case"], c) != nil {
			t.Fatalf("open: %d %v", st, c)
		}
		path := fmt.Sprintf("/api/v1/cases/%v", c["id"])
		for _, r := range []struct {
			user   string
			status int
			phone  string
		}{{"spzx-officer", 200, "139****5678"}, {"leader", 200, "139****5678"}, {"officer-a", 200, "13912345678"},
			{"officer-b", 403, ""}, {"partner-a", 403, ""}} {
			st, b := e.do("GET", path, r.user, nil)
			if st != r.status || (st == 200 && b["applicant"].(map[string]any)["phone"] != r.phone) {
				t.Errorf("%s reads: %d %v", r.user, st, b)
			}
		}

		act := func(user string, version float64, body map[string]any) (int, map[string]any) {
			body["version"] = version
			return e.do("POST", path+"/actions", user, body)
		}
		if st, b := act("spzx-officer", 1, map[string]any{"action": "advance"}); st != 403 {
			t.Fatalf("the approval centre advances the service centre's step: %d %v", st, b)
		}
		if st, b := act("zwzx-clerk", 1, map[string]any{"action": "advance"}); st != 400 || fieldsOf(b)["received"] == nil {
			t.Fatalf("advance with materials missing: %d %v", st, b)
		}
		st, c = act("zwzx-clerk", 1, map[string]any{"action": "advance", "received": []any{"父母身份证", "结婚证"}})
		if st != 200 || c["step"] != float64(1) || c["version"] != float64(2) {
			t.Fatalf("advance: %d %v", st, c)
		}
		if st, b := act("zwzx-clerk", 1, map[string]any{"action": "advance"}); st != 409 {
			t.Fatalf("a second advance from version 1: %d %v", st, b)
		}
		if st, b := act("zwzx-clerk", 2, map[string]any{"action": "return", "step": 1, "reason": "x"}); st != 403 {
			t.Fatalf("the service centre acts on the approval centre's step: %d %v", st, b)
		}
		if st, b := act("spzx-officer", 2, map[string]any{"action": "cancel"}); st != 400 || fieldsOf(b)["reason"] == nil {
			t.Fatalf("cancel without a reason: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/actions", "spzx-officer", map[string]any{"action": "complete"}); st != 400 || fieldsOf(b)["version"] == nil {
			t.Fatalf("complete without version: %d %v", st, b)
		}
		st, c = act("spzx-officer", 2, map[string]any{"action": "complete"})
		if st != 200 || c["status"] != "done" || conforms(schemas["Case"], c) != nil {
			t.Fatalf("complete: %d %v", st, c)
		}
		if st, b := act("spzx-officer", 3, map[string]any{"action": "cancel", "reason": "x"}); st != 422 {
			t.Fatalf("cancel a done case: %d %v", st, b)
		}
		notices, err := db.Notices(ctx, outbox.NoticeFilter{})
		if err != nil || len(notices) != 1 || notices[0].Phone != "13912345678" || notices[0].Kind != "case_done" {
			t.Fatalf("notices %+v, %v", notices, err)
		}
		st, v := e.do("GET", path+"/timeline", "leader", nil)
		if st != 200 || len(v["events"].([]any)) != 3 || conforms(schemas["CaseView"], v) != nil {
			t.Fatalf("timeline: %d %v", st, v)
		}
		handoff := v["events"].([]any)[1].(map[string]any)
		if handoff["type"] != "advanced" || handoff["from_unit"] != "zwzx" || handoff["to_unit"] != "spzx" {
			t.Errorf("hand-off %v", handoff)
		}

		// A second case, through the green channel, cancelled by the bureau.
		body["green"], body["proxy"] = "home_visit", ""
		st, c2 := e.do("POST", "/api/v1/cases", "zwzx-clerk", body)
		if st != 201 {
			t.Fatalf("second case: %d %v", st, c2)
		}
		if st, b := e.do("POST", fmt.Sprintf("/api/v1/cases/%v/actions", c2["id"]), "zwzx-clerk", map[string]any{"version": 1, "action": "cancel", "reason": "申请人撤回"}); st != 403 {
			t.Fatalf("a partner cancels: %d %v", st, b)
		}
		if st, b := e.do("POST", fmt.Sprintf("/api/v1/cases/%v/actions", c2["id"]), "leader", map[string]any{"version": 1, "action": "cancel", "reason": "申请人撤回"}); st != 200 {
			t.Fatalf("the leader cancels: %d %v", st, b)
		}
		lists := []struct {
			name, user, query string
			total             int
		}{
			{"leader, all", "leader", "", 2},
			{"partner, its unit's steps", "zwzx-clerk", "", 2},
			{"approval centre", "spzx-officer", "", 2},
			{"another partner", "partner-a", "", 0},
			{"the proxy officer", "officer-a", "", 1},
			{"done", "leader", "?status=done", 1},
			{"proxy", "leader", "?proxy=true", 1},
			{"green", "leader", "?green=true&proxy=false", 1},
			{"service", "leader", fmt.Sprintf("?service=%v", svc["id"]), 2},
			{"search", "leader", "?q=乌云", 2},
			{"overdue", "leader", "?overdue=true", 0},
			{"period", "leader", "?from=2000-01-01&to=2000-12-31", 0},
			{"page", "leader", "?limit=1", 2},
		}
		for _, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				st, b := e.do("GET", "/api/v1/cases"+l.query, l.user, nil)
				if st != 200 || ledgerCount(t, b) != l.total {
					t.Errorf("%d %v, want total %d", st, b, l.total)
				}
				if err := conforms(schemas["CasePage"], b); err != nil {
					t.Errorf("the list does not fit its schema: %v", err)
				}
			})
		}
		if st, b := e.do("GET", "/api/v1/cases?proxy=maybe&service=x&overdue=2", "leader", nil); st != 400 ||
			fieldsOf(b)["proxy"] == nil || fieldsOf(b)["service"] == nil || fieldsOf(b)["overdue"] == nil {
			t.Errorf("bad list parameters: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/cases?status=closed&from=May", "leader", nil); st != 400 ||
			fieldsOf(b)["status"] == nil || fieldsOf(b)["from"] == nil {
			t.Errorf("bad list filter: %d %v", st, b)
		}
		st, sum := e.do("GET", "/api/v1/ledgers/summary", "leader", nil)
		cases, _ := sum["figures"].(map[string]any)["cases"].(map[string]any)
		if st != 200 || cases["opened"] != float64(2) || cases["done"] != float64(1) || cases["proxy"] != float64(1) ||
			cases["done_newborn"] != float64(1) || cases["proxy_newborn"] != float64(1) || cases["green_channel"] != float64(1) ||
			cases["cancelled"] != float64(1) {
			t.Errorf("summary: %d %v", st, sum["figures"])
		}
	})
}

// A campaign may target a service's figures, named by its code, before the
// service has a case.
func TestAPICampaignTargetsAService(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		osService(t, e)
		body := map[string]any{"name": "一件事一次办", "from": "2021-03-01", "to": "2021-12-31",
			"targets": map[string]any{"cases.done_fixture-service": 20, "cases.proxy": 5}}
		if st, b := e.do("POST", "/api/v1/campaigns", "leader", body); st != 201 {
			t.Fatalf("campaign: %d %v", st, b)
		}
		body["targets"] = map[string]any{"cases.done_no-such-service": 1}
		if st, b := e.do("POST", "/api/v1/campaigns", "leader", body); st != 400 {
			t.Fatalf("a target of no service: %d %v", st, b)
		}
	})
}
