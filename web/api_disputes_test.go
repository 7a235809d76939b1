package web_test

import (
	"fmt"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func disputeBody(summary, unit string) map[string]any {
	return map[string]any{"found_on": "2021-09-10", "kind": "land", "township": "苏米图苏木", "village": "查干淖尔嘎查",
		"risk": "medium", "source": "visit", "unit": unit, "summary": summary,
		"parties": []any{map[string]any{"name": "巴特尔", "phone": "13912345678", "role": "applicant"}, map[string]any{"name": "额尔敦", "role": "respondent"}}}
}

// newDispute records a dispute of unit a as user and returns its id.
func newDispute(t *testing.T, e *env, user string) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/disputes", user, disputeBody("草场边界争议", "a"))
	if st != 201 {
		t.Fatalf("create dispute: %d %v", st, b)
	}
	return int64(b["id"].(float64))
}

func TestAPIDisputes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)

		st, d := e.do("POST", "/api/v1/disputes", "officer-a", disputeBody("两户草场边界争议", "a"))
		if st != 201 || d["version"] != float64(1) || d["status"] != "found" || d["overdue"] != true {
			t.Fatalf("create: %d %v", st, d)
		}
		if err := conforms(schemas["Dispute"], d); err != nil {
			t.Errorf("the dispute does not fit its schema: %v", err)
		}
		if p := d["parties"].([]any)[0].(map[string]any); p["name"] != "巴*" || p["phone"] != "139****5678" {
			t.Errorf("parties unmasked: %v", p)
		}
		path := fmt.Sprintf("/api/v1/disputes/%v", d["id"])
		for _, b := range []map[string]any{disputeBody("拖欠放牧工资", "a"), disputeBody("乙所借款纠纷", "b")} {
			user := "officer-a"
			if b["unit"] == "b" {
				user = "officer-b"
			}
			b["kind"] = "labour"
			if st, r := e.do("POST", "/api/v1/disputes", user, b); st != 201 {
				t.Fatalf("create %v: %d %v", b["summary"], st, r)
			}
		}

		// The lifecycle through the API: mediate, resolve, follow up; a
		// stale version is 409, an illegal step 422.
		for i, a := range []map[string]any{
			{"action": "mediate", "day": "2021-09-11", "with": []any{"police", "village_committee"}, "notes": "到场了解情况"},
			{"action": "resolve", "day": "2021-09-12", "agreement": "以旧网围栏为界", "level": "village"},
			{"action": "follow_up", "result": "协议已履行"},
		} {
			a["version"] = i + 1
			st, b := e.do("POST", path+"/actions", "officer-a", a)
			if st != 200 || b["version"] != float64(i+2) {
				t.Fatalf("%v: %d %v", a["action"], st, b)
			}
			if err := conforms(schemas["Dispute"], b); err != nil {
				t.Errorf("%v: the answer does not fit its schema: %v", a["action"], err)
			}
		}
		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "follow_up", "version": 3, "result": "x"}); st != 409 {
			t.Errorf("stale action: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "refer", "version": 4, "to": "court"}); st != 422 {
			t.Errorf("refer a resolved dispute: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 3, "risk": "low"}); st != 409 {
			t.Errorf("stale patch: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 4, "risk": "low"}); st != 200 || b["risk"] != "low" {
			t.Errorf("patch: %d %v", st, b)
		}

		for _, l := range []struct {
			name, user, query string
			total             int
		}{
			{"own unit", "officer-a", "", 2},
			{"leader, all", "leader", "", 3},
			{"partner reads its unit", "partner", "", 2},
			{"status", "leader", "?status=resolved", 1},
			{"kind", "leader", "?kind=labour", 2},
			{"township and risk", "leader", "?township=苏米图苏木&risk=medium", 2},
			{"overdue", "leader", "?overdue=true", 2},
			{"search, traditional", "leader", "?q=草場", 1},
			{"unit", "leader", "?unit=b", 1},
		} {
			t.Run(l.name, func(t *testing.T) {
				st, b := e.do("GET", "/api/v1/disputes"+l.query, l.user, nil)
				if st != 200 || ledgerCount(t, b) != l.total {
					t.Errorf("%d %v, want total %d", st, b, l.total)
				}
				if err := conforms(schemas["DisputePage"], b); err != nil {
					t.Errorf("the list does not fit its schema: %v", err)
				}
			})
		}
		if st, b := e.do("GET", "/api/v1/disputes?status=done&risk=x&from=yesterday", "officer-a", nil); st != 400 ||
			fieldsOf(b)["status"] == nil || fieldsOf(b)["risk"] == nil || fieldsOf(b)["from"] == nil {
			t.Errorf("bad list parameters: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/disputes?overdue=maybe&limit=500", "officer-a", nil); st != 400 ||
			fieldsOf(b)["overdue"] == nil || fieldsOf(b)["limit"] == nil {
			t.Errorf("bad overdue and limit: %d %v", st, b)
		}

		// Bad input names every field and writes nothing.
		bad := disputeBody("", "a")
		bad["kind"], bad["risk"], bad["source"], bad["parties"] = "war", "extreme", "item", []any{map[string]any{"name": "", "phone": "110"}}
		st, b := e.do("POST", "/api/v1/disputes", "officer-a", bad)
		if st != 400 {
			t.Errorf("bad dispute: %d %v", st, b)
		}
		for _, f := range []string{"summary", "kind", "risk", "item", "parties[0].name", "parties[0].phone"} {
			if msg, _ := fieldsOf(b)[f].(string); msg == "" {
				t.Errorf("%v does not name %s", b, f)
			}
		}
		if _, b := e.do("GET", "/api/v1/disputes", "leader", nil); ledgerCount(t, b) != 3 {
			t.Errorf("a refused dispute was written: %v", b)
		}

		// Another unit's staff neither see nor change it; partners only read.
		if st, _ := e.do("GET", path, "officer-b", nil); st != 403 {
			t.Errorf("officer-b reads a's: %d", st)
		}
		if st, _ := e.do("PATCH", path, "officer-b", map[string]any{"version": 5, "risk": "high"}); st != 403 {
			t.Errorf("officer-b changes a's: %d", st)
		}
		if st, _ := e.do("GET", path, "partner", nil); st != 200 {
			t.Errorf("partner reads: %d", st)
		}
		if st, _ := e.do("POST", "/api/v1/disputes", "partner", disputeBody("x", "a")); st != 403 {
			t.Errorf("partner creates: %d", st)
		}

		// The parties in full: to an officer of the unit, recorded as an
		// event that moves the version; not to a partner nor another unit.
		st, full := e.do("GET", path+"/parties", "officer-a", nil)
		if st != 200 || fmt.Sprint(full["parties"]) != "[map[name:巴特尔 phone:13912345678 role:applicant] map[name:额尔敦 role:respondent]]" {
			t.Errorf("reveal: %d %v", st, full)
		}
		if err := conforms(schemas["DisputeParties"], full); err != nil {
			t.Errorf("the parties do not fit their schema: %v", err)
		}
		if _, after := e.do("GET", path, "officer-a", nil); after["version"] != float64(6) {
			t.Errorf("the reveal did not move the version: %v", after["version"])
		}
		for _, who := range []string{"partner", "officer-b"} {
			if st, _ := e.do("GET", path+"/parties", who, nil); st != 403 {
				t.Errorf("%s reveals: %d", who, st)
			}
		}

		// The summary counts them under disputes.
		st, sum := e.do("GET", "/api/v1/ledgers/summary?from=2021-01-01&to=2021-12-31", "leader", nil)
		if st != 200 {
			t.Fatalf("summary: %d %v", st, sum)
		}
		figs, _ := sum["figures"].(map[string]any)["disputes"].(map[string]any)
		if figs["found"] != float64(3) || figs["resolved"] != float64(1) || figs["resolved_village"] != float64(1) || figs["village_share"] != float64(1000) || figs["open"] != float64(2) {
			t.Errorf("summary's disputes: %v", figs)
		}
	})
}
