package web_test

import (
	"fmt"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// ledgerIDs are the ids of a list answer's records, in order.
func ledgerIDs(b map[string]any) []string {
	var out []string
	items, _ := b["items"].([]any)
	for _, it := range items {
		out = append(out, fmt.Sprint(it.(map[string]any)["id"]))
	}
	return out
}

// ledgerCount is how many records the whole list holds, as answered.
func ledgerCount(t *testing.T, b map[string]any) int {
	t.Helper()
	n, ok := b["total"].(float64)
	if !ok {
		t.Fatalf("no total in %v", b)
	}
	return int(n)
}

func TestAPIVolunteerActivities(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		activity := func(day, title, unit string) map[string]any {
			return map[string]any{"date": day, "title": title, "unit": unit, "participants": []any{"officer-" + unit},
				"volunteers": 5, "hours": 2.5, "served": 40, "township": "巴彦镇", "village": "红旗村", "place": "村委会",
				"description": "帮助群众"}
		}
		st, a := e.do("POST", "/api/v1/volunteer-activities", "officer-a", activity("2021-09-13", "歸還被盜牲畜", "a"))
		if st != 201 || a["version"] != float64(1) || a["hours"] != 2.5 || a["created_by"] != "officer-a" {
			t.Fatalf("create: %d %v", st, a)
		}
		path := fmt.Sprintf("/api/v1/volunteer-activities/%v", a["id"])
		for i, day := range []string{"2021-09-01", "2021-09-20", "2021-10-01"} {
			if st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-a", activity(day, fmt.Sprintf("义务巡逻%d", i), "a")); st != 201 {
				t.Fatalf("create %s: %d %v", day, st, b)
			}
		}
		if st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-b", activity("2021-09-13", "法治宣传", "b")); st != 201 {
			t.Fatalf("create b: %d %v", st, b)
		}

		// Lists count all their matches; the cursor pages on.
		st, b := e.do("GET", "/api/v1/volunteer-activities?limit=2", "officer-a", nil)
		if st != 200 || ledgerCount(t, b) != 4 || len(ledgerIDs(b)) != 2 || b["next_cursor"] == nil {
			t.Fatalf("first page: %d %v", st, b)
		}
		first := ledgerIDs(b)
		st, b = e.do("GET", "/api/v1/volunteer-activities?limit=2&cursor="+b["next_cursor"].(string), "officer-a", nil)
		if st != 200 || ledgerCount(t, b) != 4 || len(ledgerIDs(b)) != 2 || b["next_cursor"] != nil || ledgerIDs(b)[0] == first[0] {
			t.Fatalf("second page: %d %v", st, b)
		}
		st, b = e.do("GET", "/api/v1/volunteer-activities", "leader", nil)
		if st != 200 || ledgerCount(t, b) != 5 {
			t.Errorf("leader's list: %d %v", st, b)
		}
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		if err := conforms(schemas["VolunteerActivityPage"], b); err != nil {
			t.Errorf("the list does not fit its schema: %v", err)
		}
		if st, b := e.do("GET", "/api/v1/volunteer-activities?from=2021-09-10&to=2021-09-30", "officer-a", nil); st != 200 || ledgerCount(t, b) != 2 {
			t.Errorf("period: %d %v", st, b)
		}
		// Either script finds the record written in the other.
		for _, q := range []string{"归还被盗", "歸還"} {
			st, b := e.do("GET", "/api/v1/volunteer-activities?q="+q, "officer-a", nil)
			if st != 200 || ledgerCount(t, b) != 1 || ledgerIDs(b)[0] != fmt.Sprint(a["id"]) {
				t.Errorf("search %s: %d %v", q, st, b)
			}
		}
		if st, b := e.do("GET", "/api/v1/volunteer-activities?from=yesterday&limit=500", "officer-a", nil); st != 400 ||
			fieldsOf(b)["limit"] == nil {
			t.Errorf("bad list parameters: %d %v", st, b)
		}

		// Bad input names every field and writes nothing.
		bad := map[string]any{"date": "2099-01-01", "title": " ", "unit": "a", "volunteers": -1, "hours": -2, "participants": []any{"nobody"}}
		st, b = e.do("POST", "/api/v1/volunteer-activities", "officer-a", bad)
		for _, f := range []string{"date", "title", "volunteers", "hours", "participants"} {
			if fieldsOf(b)[f] == nil {
				t.Errorf("bad activity: %d %v does not name %s", st, b, f)
			}
		}
		if st != 400 {
			t.Errorf("bad activity: %d", st)
		}
		if _, b := e.do("GET", "/api/v1/volunteer-activities", "leader", nil); ledgerCount(t, b) != 5 {
			t.Errorf("a refused activity was written: %v", b)
		}

		// Another unit's staff neither see nor change it, nor create into it.
		if st, _ := e.do("GET", path, "officer-b", nil); st != 403 {
			t.Errorf("officer-b reads a's: %d", st)
		}
		if st, _ := e.do("PATCH", path, "officer-b", map[string]any{"version": 1, "title": "改"}); st != 403 {
			t.Errorf("officer-b changes a's: %d", st)
		}
		if st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-b", activity("2021-09-13", "代录", "a")); st != 403 || fieldsOf(b)["unit"] == nil {
			t.Errorf("officer-b creates into a: %d %v", st, b)
		}
		// Partners read their unit's, and only read.
		if st, _ := e.do("GET", path, "partner", nil); st != 200 {
			t.Errorf("partner reads: %d", st)
		}
		if st, _ := e.do("PATCH", path, "partner", map[string]any{"version": 1, "title": "改"}); st != 403 {
			t.Errorf("partner changes: %d", st)
		}
		if st, _ := e.do("POST", "/api/v1/volunteer-activities", "partner", activity("2021-09-13", "代录", "a")); st != 403 {
			t.Errorf("partner creates: %d", st)
		}

		// A change needs the version read; a stale one is 409.
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"title": "改"}); st != 400 || fieldsOf(b)["version"] == nil {
			t.Errorf("without version: %d %v", st, b)
		}
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "served": 53, "hours": 3})
		if st != 200 || b["version"] != float64(2) || b["served"] != float64(53) || b["hours"] != float64(3) || b["title"] != "歸還被盜牲畜" {
			t.Fatalf("change: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "served": 1}); st != 409 {
			t.Errorf("stale: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "volunteers": -3}); st != 400 || fieldsOf(b)["volunteers"] == nil {
			t.Errorf("bad change: %d %v", st, b)
		}
		if st, b := e.do("GET", path, "officer-a", nil); st != 200 || b["served"] != float64(53) || b["version"] != float64(2) {
			t.Errorf("after the refusals: %d %v", st, b)
		}
		if st, _ := e.do("GET", "/api/v1/volunteer-activities/999999", "leader", nil); st != 404 {
			t.Errorf("unknown id: %d", st)
		}
	})
}

func TestAPIServicePoints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		point := func(name, unit string) map[string]any {
			return map[string]any{"name": name, "unit": unit, "township": "巴彦镇", "village": "红旗村", "address": "村委会一楼",
				"latitude": 49.21, "longitude": 119.76, "opening_hours": "周一至周日 8:00-20:00", "off_peak": true,
				"extended_hours": true, "services": []any{"户籍办理", "居住证"}, "phone": "0470-1234567"}
		}
		st, p := e.do("POST", "/api/v1/service-points", "officer-a", point("紅旗村便民服務站", "a"))
		if st != 201 || p["status"] != "active" || p["version"] != float64(1) || p["extended_hours"] != true || p["latitude"] != 49.21 {
			t.Fatalf("create: %d %v", st, p)
		}
		path := fmt.Sprintf("/api/v1/service-points/%v", p["id"])
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		if err := conforms(schemas["ServicePoint"], p); err != nil {
			t.Errorf("the point does not fit its schema: %v", err)
		}
		for _, n := range []string{"二站", "三站"} {
			if st, b := e.do("POST", "/api/v1/service-points", "officer-a", point(n, "a")); st != 201 {
				t.Fatalf("create %s: %d %v", n, st, b)
			}
		}
		if st, b := e.do("POST", "/api/v1/service-points", "officer-b", point("乙站", "b")); st != 201 {
			t.Fatalf("create b: %d %v", st, b)
		}
		st, b := e.do("GET", "/api/v1/service-points?limit=2", "officer-a", nil)
		if st != 200 || ledgerCount(t, b) != 3 || len(ledgerIDs(b)) != 2 || b["next_cursor"] == nil {
			t.Fatalf("first page: %d %v", st, b)
		}
		st, b = e.do("GET", "/api/v1/service-points?limit=2&cursor="+b["next_cursor"].(string), "officer-a", nil)
		if st != 200 || len(ledgerIDs(b)) != 1 || ledgerIDs(b)[0] != fmt.Sprint(p["id"]) || b["next_cursor"] != nil {
			t.Fatalf("second page: %d %v", st, b)
		}
		for _, q := range []string{"便民服务站", "便民服務"} {
			if st, b := e.do("GET", "/api/v1/service-points?q="+q, "leader", nil); st != 200 || ledgerCount(t, b) != 1 {
				t.Errorf("search %s: %d %v", q, st, b)
			}
		}
		bad := map[string]any{"name": "", "unit": "a", "address": "x", "latitude": 95, "longitude": 10, "phone": "123", "status": "gone"}
		st, b = e.do("POST", "/api/v1/service-points", "officer-a", bad)
		if st != 400 {
			t.Errorf("bad point: %d %v", st, b)
		}
		for _, f := range []string{"name", "latitude", "phone", "status"} {
			if fieldsOf(b)[f] == nil {
				t.Errorf("bad point: %v does not name %s", b, f)
			}
		}
		if _, b := e.do("GET", "/api/v1/service-points", "leader", nil); ledgerCount(t, b) != 4 {
			t.Errorf("a refused point was written: %v", b)
		}
		if st, _ := e.do("GET", path, "officer-b", nil); st != 403 {
			t.Errorf("officer-b reads a's: %d", st)
		}
		if st, b := e.do("POST", "/api/v1/service-points", "officer-b", point("代建", "a")); st != 403 || fieldsOf(b)["unit"] == nil {
			t.Errorf("officer-b creates into a: %d %v", st, b)
		}
		if st, _ := e.do("GET", path, "partner", nil); st != 200 {
			t.Errorf("partner reads: %d", st)
		}
		if st, _ := e.do("PATCH", path, "partner", map[string]any{"version": 1, "status": "closed"}); st != 403 {
			t.Errorf("partner closes: %d", st)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"status": "closed"}); st != 400 || fieldsOf(b)["version"] == nil {
			t.Errorf("without version: %d %v", st, b)
		}
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "status": "closed"})
		if st != 200 || b["status"] != "closed" || b["version"] != float64(2) || b["name"] != "紅旗村便民服務站" {
			t.Fatalf("close: %d %v", st, b)
		}
		if st, _ := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "status": "active"}); st != 409 {
			t.Errorf("stale: %d", st)
		}
		if st, b := e.do("GET", "/api/v1/service-points?status=active", "officer-a", nil); st != 200 || ledgerCount(t, b) != 2 {
			t.Errorf("active: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/service-points?status=open", "officer-a", nil); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "status") {
			t.Errorf("unknown status: %d %v", st, b)
		}
	})
}
