package web_test

import (
	"fmt"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// newMatter records a planned matter of unit a as user and returns its id.
func newMatter(t *testing.T, e *env, user string) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/matters", user, matterBody("帮助牧民秋收玉米", "a"))
	if st != 201 {
		t.Fatalf("create matter: %d %v", st, b)
	}
	return int64(b["id"].(float64))
}

func matterBody(title, unit string) map[string]any {
	return map[string]any{"title": title, "unit": unit, "class": "urgent", "description": "牧民家中劳力不足",
		"beneficiary": map[string]any{"kind": "household", "name": "巴特尔", "phone": "13912345678", "place": "东村"}}
}

func matterCount(t *testing.T, e *env) float64 {
	t.Helper()
	st, b := e.do("GET", "/api/v1/matters", "admin", nil)
	if st != 200 {
		t.Fatalf("list: %d %v", st, b)
	}
	return b["total"].(float64)
}

func TestMatterAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})

		// Create: the answer is the matter, planned, its beneficiary masked.
		st, b := e.do("POST", "/api/v1/matters", "officer-a", matterBody("帮助牧民秋收玉米", "a"))
		if st != 201 || b["status"] != "planned" || b["version"].(float64) != 1 || b["unit"] != "a" {
			t.Fatalf("create: %d %v", st, b)
		}
		if ben := b["beneficiary"].(map[string]any); ben["phone"] != "139****5678" || ben["name"] != "巴*" {
			t.Errorf("beneficiary not masked: %v", ben)
		}
		id := int64(b["id"].(float64))
		path := fmt.Sprintf("/api/v1/matters/%d", id)

		// Bad input names every field, in both languages, and writes nothing.
		bad := matterBody("", "a")
		bad["class"], bad["due_days"] = "sad", -1
		bad["beneficiary"] = map[string]any{"kind": "family", "phone": "12"}
		st, b = e.do("POST", "/api/v1/matters", "officer-a", bad)
		for _, f := range []string{"title", "class", "due_days", "beneficiary.kind", "beneficiary.phone"} {
			if st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), f) {
				t.Errorf("bad matter: %d %v, want %s named", st, b, f)
			}
		}
		if msg, _ := b["message"].(string); !strings.Contains(msg, "输入有误") || !strings.Contains(msg, "invalid input") {
			t.Errorf("message %q is not in both languages", msg)
		}
		if n := matterCount(t, e); n != 1 {
			t.Errorf("bad input wrote: total %v", n)
		}

		// Another unit's staff may neither create into a nor read a's matter.
		if st, b := e.do("POST", "/api/v1/matters", "officer-b", matterBody("越权", "a")); st != 403 || !strings.Contains(fmt.Sprint(b["message"]), "unit") {
			t.Errorf("create into another unit: %d %v", st, b)
		}
		if st, _ := e.do("GET", path, "officer-b", nil); st != 403 {
			t.Errorf("read another unit's: %d", st)
		}
		// Partners read their unit's matters and change nothing.
		if st, b := e.do("GET", path, "partner", nil); st != 200 || b["title"] != "帮助牧民秋收玉米" {
			t.Errorf("partner reads: %d %v", st, b)
		}
		for _, try := range []struct {
			method, path string
			body         map[string]any
		}{
			{"POST", "/api/v1/matters", matterBody("伙伴", "a")},
			{"PATCH", path, map[string]any{"version": 1, "title": "伙伴改"}},
			{"POST", path + "/actions", map[string]any{"version": 1, "action": "start"}},
		} {
			if st, b := e.do(try.method, try.path, "partner", try.body); st != 403 {
				t.Errorf("partner %s %s: %d %v", try.method, try.path, st, b)
			}
		}

		// PATCH changes only what is sent; without a version 400, stale 409.
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"title": "无版本"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "version") {
			t.Errorf("patch without version: %d %v", st, b)
		}
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "published": true})
		if st != 200 || b["version"].(float64) != 2 || b["published"] != true || b["title"] != "帮助牧民秋收玉米" {
			t.Fatalf("patch: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "title": "过时"}); st != 409 {
			t.Errorf("stale patch: %d %v", st, b)
		}

		// The lifecycle: an illegal transition is 422, complete needs the
		// story, a stale version is 409.
		act := func(body map[string]any) (int, map[string]any) {
			return e.do("POST", path+"/actions", "officer-a", body)
		}
		if st, b := act(map[string]any{"version": 2, "action": "complete", "story": "完成"}); st != 422 {
			t.Errorf("complete a planned matter: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 2, "action": "start"}); st != 200 || b["status"] != "in_progress" {
			t.Fatalf("start: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 2, "action": "progress", "text": "过时"}); st != 409 {
			t.Errorf("stale action: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 3, "action": "progress", "text": "组织民警帮收玉米"}); st != 200 || len(b["progress"].([]any)) != 1 {
			t.Fatalf("progress: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 4, "action": "complete"}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "story") {
			t.Errorf("complete without story: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 4, "action": "complete", "story": "收完了", "outcomes": map[string]any{"goats": 3}}); st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)), "outcomes.goats") {
			t.Errorf("unknown outcome: %d %v", st, b)
		}
		st, b = act(map[string]any{"version": 4, "action": "complete", "story": "三天收完二十亩玉米", "outcomes": map[string]any{"households": 1, "people": 5}})
		if st != 200 || b["status"] != "done" || b["story"] != "三天收完二十亩玉米" || b["outcomes"].(map[string]any)["people"].(float64) != 5 || b["done_on"] == "" {
			t.Fatalf("complete: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 5, "action": "drop", "reason": "已完成"}); st != 422 {
			t.Errorf("drop a done matter: %d %v", st, b)
		}
		if st, b := e.do("GET", path, "leader", nil); st != 200 || b["version"].(float64) != 5 || b["status"] != "done" {
			t.Errorf("read back: %d %v", st, b)
		}

		// The beneficiary unmasked, for those who may see it, as an event.
		for _, who := range []string{"partner", "officer-b"} {
			if st, b := e.do("GET", path+"/beneficiary", who, nil); st != 403 {
				t.Errorf("%s reveals: %d %v", who, st, b)
			}
		}
		if st, b := e.do("GET", path+"/beneficiary", "officer-a", nil); st != 200 || b["phone"] != "13912345678" || b["name"] != "巴特尔" {
			t.Errorf("reveal: %d %v", st, b)
		}
		if st, b := e.do("GET", path, "officer-a", nil); st != 200 || b["version"].(float64) != 6 || b["beneficiary"].(map[string]any)["phone"] != "139****5678" {
			t.Errorf("after the reveal: %d %v", st, b)
		}
	})
}

func TestMatterAPIList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		titles := []string{"帮助牧民秋收玉米", "帮助走失老人寻亲", "追回被盗牛羊", "资助贫困学生", "调解草场纠纷"}
		for _, title := range titles {
			if st, b := e.do("POST", "/api/v1/matters", "officer-a", matterBody(title, "a")); st != 201 {
				t.Fatalf("create: %d %v", st, b)
			}
		}
		if st, b := e.do("POST", "/api/v1/matters", "officer-b", matterBody("乙所帮扶", "b")); st != 201 {
			t.Fatalf("create b: %d %v", st, b)
		}
		// Pages of two: every page carries the count of all matches.
		var seen []string
		cursor := ""
		for range 3 {
			st, b := e.do("GET", "/api/v1/matters?limit=2&cursor="+cursor, "officer-a", nil)
			if st != 200 || b["total"].(float64) != 5 {
				t.Fatalf("page: %d %v", st, b)
			}
			for _, m := range b["items"].([]any) {
				seen = append(seen, m.(map[string]any)["title"].(string))
			}
			cursor, _ = b["next_cursor"].(string)
		}
		if cursor != "" || len(seen) != 5 || seen[0] != "调解草场纠纷" || seen[4] != "帮助牧民秋收玉米" {
			t.Errorf("pages gave %v, cursor %q", seen, cursor)
		}
		// Traditional script finds simplified text.
		st, b := e.do("GET", "/api/v1/matters?q="+"幫助", "officer-a", nil)
		if st != 200 || b["total"].(float64) != 2 {
			t.Errorf("traditional search: %d %v", st, b)
		}
		st, b = e.do("GET", "/api/v1/matters?q="+"被盜牛羊", "leader", nil)
		if items, _ := b["items"].([]any); st != 200 || len(items) != 1 || items[0].(map[string]any)["title"] != "追回被盗牛羊" {
			t.Errorf("search 被盜牛羊: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/matters", "leader", nil); st != 200 || b["total"].(float64) != 6 {
			t.Errorf("leader's total: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/matters?item=2021-999999", "leader", nil); st != 200 || b["total"].(float64) != 0 {
			t.Errorf("matters of an item none answers: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/matters?unit=b", "officer-a", nil); st != 200 || b["total"].(float64) != 0 {
			t.Errorf("a's view of b: %d %v", st, b)
		}
		for _, q := range []string{"status=closed", "class=sad", "from=2021-13-01", "limit=0", "cursor=%21"} {
			if st, b := e.do("GET", "/api/v1/matters?"+q, "officer-a", nil); st != 400 || len(fieldsOf(b)) == 0 {
				t.Errorf("%s: %d %v", q, st, b)
			}
		}
		if st, _ := e.do("GET", "/api/v1/matters", "", nil); st != 401 {
			t.Errorf("anonymous list: %d", st)
		}
	})
}

// TestMatterAnswersFitTheirSchemas: every answer of the matters' routes
// fits the schema the OpenAPI document gives for it, a done matter with
// progress and outcomes included.
func TestMatterAnswersFitTheirSchemas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		id := newMatter(t, e, "officer-a")
		path := fmt.Sprintf("/api/v1/matters/%d", id)
		for v, body := range []map[string]any{{"action": "start"}, {"action": "progress", "text": "入户"},
			{"action": "complete", "story": "办完了", "outcomes": map[string]any{"people": 3}}} {
			body["version"] = v + 1
			if st, b := e.do("POST", path+"/actions", "officer-a", body); st != 200 {
				t.Fatalf("%v: %d %v", body, st, b)
			}
		}
		for _, tc := range []struct{ path, schema string }{
			{"/api/v1/matters?limit=1", "MatterPage"},
			{"/api/v1/matters?q=nothing", "MatterPage"},
			{path, "Matter"},
			{path + "/beneficiary", "Beneficiary"},
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
