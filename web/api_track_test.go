package web_test

import (
	"testing"

	"minyi/internal/testdb"
)

// TestCitizenAddsAndWithdrawsThroughTheAPI: a citizen's app adds
// information and withdraws the item with the access code; the answer is
// the citizen's item, a second withdrawal changes nothing, and staff may
// take neither action for the citizen.
func TestCitizenAddsAndWithdrawsThroughTheAPI(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	st, created := e.do("POST", "/api/v1/items", "", citizenItem("小区门口的路灯坏了"))
	if st != 201 {
		t.Fatalf("create: %d %v", st, created)
	}
	n := "/api/v1/items/" + created["number"].(string)
	q := "?access_code=" + created["access_code"].(string)
	if st, b := e.do("POST", n+"/actions", "leader", map[string]any{"action": "withdraw", "version": 1}); st != 403 {
		t.Fatalf("a leader withdrawing for the citizen: %d %v", st, b)
	}
	if st, b := e.do("POST", n+"/actions"+q, "", map[string]any{"action": "add_info", "version": 1}); st != 400 || b["fields"].(map[string]any)["body"] == nil {
		t.Fatalf("an addition without text: %d %v", st, b)
	}
	st, it := e.do("POST", n+"/actions"+q, "", map[string]any{"action": "add_info", "body": "是东边第二根", "version": 1})
	if st != 200 || it["version"] != 2.0 || it["can_add"] != true || it["can_withdraw"] != true || it["access_hash"] != nil {
		t.Fatalf("add: %d %v", st, it)
	}
	for range 2 {
		st, it = e.do("POST", n+"/actions"+q, "", map[string]any{"action": "withdraw", "body": "修好了", "version": 2})
		if st != 200 || it["status"] != "withdrawn" || it["can_add"] != false || it["can_withdraw"] != false {
			t.Fatalf("withdraw: %d %v", st, it)
		}
	}
	st, view := e.do("GET", n+q, "", nil)
	events := view["events"].([]any)
	if last := events[len(events)-1].(map[string]any); st != 200 || last["type"] != "withdrawn" || last["body"] != "修好了" || len(events) != 3 {
		t.Fatalf("the citizen's view: %d %v", st, view)
	}
}
