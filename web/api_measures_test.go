package web_test

import (
	"fmt"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func measureBody(title, unit string) map[string]any {
	return map[string]any{"title": title, "unit": unit, "changes": "户籍窗口午间和周末照常办理，群众不必请假", "researched_on": "2021-06-01"}
}

// newMeasure records a researched measure of unit a as user and returns
// its id.
func newMeasure(t *testing.T, e *env, user string) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/measures", user, measureBody("错时延时服务", "a"))
	if st != 201 {
		t.Fatalf("create measure: %d %v", st, b)
	}
	return int64(b["id"].(float64))
}

func measureCount(t *testing.T, e *env) float64 {
	t.Helper()
	st, b := e.do("GET", "/api/v1/measures", "admin", nil)
	if st != 200 {
		t.Fatalf("list: %d %v", st, b)
	}
	return b["total"].(float64)
}

func TestMeasureAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		st, b := e.do("POST", "/api/v1/items", "", citizenItem("办户口要请好几次假"))
		if st != 201 {
			t.Fatalf("item: %d %v", st, b)
		}
		itemA := b["number"].(string)
		itemB := e.itemOf(t, "officer-b", "b")
		matterA := newMatter(t, e, "officer-a")

		// Create: the answer is the measure, researched, with what prompted it.
		body := measureBody("错时延时服务", "a")
		body["items"], body["matters"] = []any{itemA}, []any{matterA}
		st, b = e.do("POST", "/api/v1/measures", "officer-a", body)
		if st != 201 || b["status"] != "researched" || b["version"].(float64) != 1 || b["unit"] != "a" ||
			fmt.Sprint(b["items"]) != "["+itemA+"]" || fmt.Sprint(b["matters"]) != fmt.Sprintf("[%d]", matterA) {
			t.Fatalf("create: %d %v", st, b)
		}
		id := int64(b["id"].(float64))
		path := fmt.Sprintf("/api/v1/measures/%d", id)

		// Bad input names every field, in both languages, and writes nothing.
		bad := measureBody("", "a")
		bad["changes"], bad["branch"], bad["researched_on"] = " ", "nope", "2999-01-01"
		bad["items"], bad["matters"] = []any{itemB, "2021-999999"}, []any{matterA + 99}
		st, b = e.do("POST", "/api/v1/measures", "officer-a", bad)
		for _, f := range []string{"title", "changes", "branch", "researched_on", "items", "matters"} {
			if st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), f) {
				t.Errorf("bad measure: %d %v, want %s named", st, b, f)
			}
		}
		if msg, _ := b["message"].(string); !strings.Contains(msg, "输入有误") || !strings.Contains(msg, "invalid input") {
			t.Errorf("message %q is not in both languages", msg)
		}
		if n := measureCount(t, e); n != 1 {
			t.Errorf("bad input wrote: total %v", n)
		}

		// Another unit's staff may neither create into a nor read a's measure.
		if st, b := e.do("POST", "/api/v1/measures", "officer-b", measureBody("越权", "a")); st != 403 || !strings.Contains(fmt.Sprint(b["message"]), "unit") {
			t.Errorf("create into another unit: %d %v", st, b)
		}
		for _, try := range []struct {
			method, path string
			body         map[string]any
		}{
			{"GET", path, nil},
			{"PATCH", path, map[string]any{"version": 1, "title": "乙所改"}},
			{"POST", path + "/actions", map[string]any{"version": 1, "action": "implement"}},
		} {
			if st, b := e.do(try.method, try.path, "officer-b", try.body); st != 403 {
				t.Errorf("officer-b %s %s: %d %v", try.method, try.path, st, b)
			}
		}
		// Partners read their unit's measures and change nothing.
		if st, b := e.do("GET", path, "partner", nil); st != 200 || b["title"] != "错时延时服务" {
			t.Errorf("partner reads: %d %v", st, b)
		}
		for _, try := range []struct {
			method, path string
			body         map[string]any
		}{
			{"POST", "/api/v1/measures", measureBody("伙伴", "a")},
			{"PATCH", path, map[string]any{"version": 1, "title": "伙伴改"}},
			{"POST", path + "/actions", map[string]any{"version": 1, "action": "implement"}},
		} {
			if st, b := e.do(try.method, try.path, "partner", try.body); st != 403 {
				t.Errorf("partner %s %s: %d %v", try.method, try.path, st, b)
			}
		}

		// PATCH changes only what is sent; without a version 400, stale 409.
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"title": "无版本"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "version") {
			t.Errorf("patch without version: %d %v", st, b)
		}
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "title": "错时延时便民服务", "matters": []any{}})
		if st != 200 || b["version"].(float64) != 2 || b["title"] != "错时延时便民服务" || len(b["matters"].([]any)) != 0 || len(b["items"].([]any)) != 1 {
			t.Fatalf("patch: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "title": "过时"}); st != 409 {
			t.Errorf("stale patch: %d %v", st, b)
		}
		// An empty day of research in a change is refused, not made today.
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "researched_on": ""}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "researched_on") {
			t.Errorf("patch emptying researched_on: %d %v", st, b)
		}

		// The lifecycle: a day in the future is refused naming it, a stale
		// version is 409, an illegal transition 422.
		act := func(body map[string]any) (int, map[string]any) {
			return e.do("POST", path+"/actions", "officer-a", body)
		}
		if st, b := act(map[string]any{"version": 2, "action": "implement", "day": "2999-01-01"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "day") {
			t.Errorf("implemented in the future: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 2, "action": "withdraw"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "reason") {
			t.Errorf("withdraw without reason: %d %v", st, b)
		}
		if st, b := act(map[string]any{"action": "implement"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "version") {
			t.Errorf("action without version: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 1, "action": "implement"}); st != 409 {
			t.Errorf("stale action: %d %v", st, b)
		}
		st, b = act(map[string]any{"version": 2, "action": "implement", "day": "2021-07-01"})
		if st != 200 || b["status"] != "implemented" || b["implemented_on"] != "2021-07-01" || b["version"].(float64) != 3 {
			t.Fatalf("implement: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 3, "action": "withdraw", "reason": "已有更好的办法"}); st != 422 {
			t.Errorf("withdraw an implemented measure: %d %v", st, b)
		}
		if st, b := e.do("GET", path, "leader", nil); st != 200 || b["version"].(float64) != 3 || b["status"] != "implemented" {
			t.Errorf("read back: %d %v", st, b)
		}
		other := newMeasure(t, e, "officer-a")
		st, b = e.do("POST", fmt.Sprintf("/api/v1/measures/%d/actions", other), "officer-a", map[string]any{"version": 1, "action": "withdraw", "reason": "上级已统一办理"})
		if st != 200 || b["status"] != "withdrawn" || b["withdraw_reason"] != "上级已统一办理" {
			t.Errorf("withdraw: %d %v", st, b)
		}
	})
}

// itemOf files an item into unit as user and returns its tracking number.
func (e *env) itemOf(t *testing.T, user, unit string) string {
	t.Helper()
	body := citizenItem("乙所的意见")
	body["unit"] = unit
	st, b := e.do("POST", "/api/v1/items", user, body)
	if st != 201 {
		t.Fatalf("item of %s: %d %v", unit, st, b)
	}
	return b["number"].(string)
}

func TestMeasureAPIList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		titles := []string{"户籍业务预约办理", "错时延时服务", "上门办理身份证", "网上办理居住证", "证照邮寄到家"}
		for _, title := range titles {
			if st, b := e.do("POST", "/api/v1/measures", "officer-a", measureBody(title, "a")); st != 201 {
				t.Fatalf("create: %d %v", st, b)
			}
		}
		if st, b := e.do("POST", "/api/v1/measures", "officer-b", measureBody("乙所便民", "b")); st != 201 {
			t.Fatalf("create b: %d %v", st, b)
		}
		// Pages of two: every page carries the count of all matches.
		var seen []string
		cursor := ""
		for range 3 {
			st, b := e.do("GET", "/api/v1/measures?limit=2&cursor="+cursor, "officer-a", nil)
			if st != 200 || b["total"].(float64) != 5 {
				t.Fatalf("page: %d %v", st, b)
			}
			for _, m := range b["items"].([]any) {
				seen = append(seen, m.(map[string]any)["title"].(string))
			}
			cursor, _ = b["next_cursor"].(string)
		}
		if cursor != "" || len(seen) != 5 || seen[0] != "证照邮寄到家" || seen[4] != "户籍业务预约办理" {
			t.Errorf("pages gave %v, cursor %q", seen, cursor)
		}
		// Traditional script finds simplified text.
		st, b := e.do("GET", "/api/v1/measures?q="+"錯時延時", "officer-a", nil)
		if items, _ := b["items"].([]any); st != 200 || b["total"].(float64) != 1 || items[0].(map[string]any)["title"] != "错时延时服务" {
			t.Errorf("traditional search: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/measures", "leader", nil); st != 200 || b["total"].(float64) != 6 {
			t.Errorf("leader's total: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/measures?unit=b", "officer-a", nil); st != 200 || b["total"].(float64) != 0 {
			t.Errorf("a's view of b: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/measures?status=researched&from=2021-01-01", "officer-a", nil); st != 200 || b["total"].(float64) != 0 {
			t.Errorf("researched ones implemented since 2021: %d %v", st, b)
		}
		for _, q := range []string{"status=done", "from=2021-13-01", "to=x", "limit=0", "limit=101", "cursor=%21"} {
			if st, b := e.do("GET", "/api/v1/measures?"+q, "officer-a", nil); st != 400 || len(fieldsOf(b)) == 0 {
				t.Errorf("%s: %d %v", q, st, b)
			}
		}
		if st, _ := e.do("GET", "/api/v1/measures", "", nil); st != 401 {
			t.Errorf("anonymous list: %d", st)
		}
	})
}

// TestMeasureAnswersFitTheirSchemas: every answer of the measures' routes
// fits the schema the OpenAPI document gives for it.
func TestMeasureAnswersFitTheirSchemas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		id := newMeasure(t, e, "officer-a")
		path := fmt.Sprintf("/api/v1/measures/%d", id)
		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"version": 1, "action": "implement"}); st != 200 {
			t.Fatalf("implement: %d %v", st, b)
		}
		for _, tc := range []struct{ path, schema string }{
			{"/api/v1/measures?limit=1", "MeasurePage"},
			{"/api/v1/measures?q=nothing", "MeasurePage"},
			{path, "Measure"},
		} {
			st, b := e.do("GET", tc.path, "leader", nil)
			if st != 200 {
				t.Fatalf("%s: %d %v", tc.path, st, b)
			}
			if err := conforms(schemas[tc.schema], b); err != nil {
				t.Errorf("%s does not fit %s: %v\n%v", tc.path, tc.schema, err, b)
			}
		}
	})
}
