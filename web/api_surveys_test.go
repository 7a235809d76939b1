package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/ratelimit"
	"minyi/store"
	"minyi/web"
)

// surveyQuestions are a questionnaire's questions as the API takes them:
// q1 single choice (its second option skips to q3), q2 a scale shown only
// after the first option, q3 free text.
func surveyQuestions() []any {
	return []any{
		map[string]any{"id": "q1", "kind": "single", "text": "您到派出所办过事吗？", "required": true,
			"options": []any{map[string]any{"label": "办过"}, map[string]any{"label": "没办过", "skip_to": "q3"}}},
		map[string]any{"id": "q2", "kind": "scale", "text": "请为窗口服务打分", "show_if": map[string]any{"question": "q1", "options": []any{1}}},
		map[string]any{"id": "q3", "kind": "text", "text": "您的意见建议"},
	}
}

// newSurvey builds unit a's questionnaire as admin, published if asked,
// and returns its id.
func newSurvey(t *testing.T, e *env, publish bool) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/surveys", "admin", map[string]any{"title": "群众意见征集问卷", "unit": "a", "questions": surveyQuestions()})
	if st != 201 {
		t.Fatalf("questionnaire: %d %v", st, b)
	}
	id := int64(b["id"].(float64))
	if publish {
		if st, b := e.do("POST", fmt.Sprintf("/api/v1/surveys/%d/actions", id), "admin", map[string]any{"action": "publish", "version": 1}); st != 200 {
			t.Fatalf("publish: %d %v", st, b)
		}
	}
	return id
}

func answerBody(device string, choice int, text string) map[string]any {
	answers := map[string]any{"q1": map[string]any{"choices": []any{choice}}}
	if choice == 1 {
		answers["q2"] = map[string]any{"scale": 4}
	}
	if text != "" {
		answers["q3"] = map[string]any{"text": text}
	}
	return map[string]any{"device_token": "device-" + device + "-0123456789", "answers": answers}
}

func TestAPISurveys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)

		st, sv := e.do("POST", "/api/v1/surveys", "officer-a", map[string]any{"title": "群众意见征集问卷", "unit": "a", "questions": surveyQuestions()})
		if st != 201 || sv["status"] != "draft" || sv["version"] != float64(1) {
			t.Fatalf("create: %d %v", st, sv)
		}
		if err := conforms(schemas["Survey"], sv); err != nil {
			t.Errorf("the questionnaire does not fit its schema: %v", err)
		}
		path := fmt.Sprintf("/api/v1/surveys/%v", sv["id"])
		refusals := []struct {
			name, user string
			body       map[string]any
			status     int
			field      string
		}{
			{"partner", "partner", map[string]any{"title": "x", "unit": "a"}, 403, ""},
			{"another unit", "officer-b", map[string]any{"title": "x", "unit": "a"}, 403, ""},
			{"a skip backwards", "officer-a", map[string]any{"title": "x", "unit": "a", "questions": []any{
				map[string]any{"kind": "single", "text": "x", "options": []any{map[string]any{"label": "a", "skip_to": "q1"}, map[string]any{"label": "b"}}}}}, 400, "questions[0].options[0].skip_to"},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				st, b := e.do("POST", "/api/v1/surveys", r.user, r.body)
				if st != r.status || (r.field != "" && !names(fieldsOf(b), r.field)) {
					t.Errorf("%d %v, want %d naming %q", st, b, r.status, r.field)
				}
			})
		}
		// A draft is nobody's but its builders'.
		if st, _ := e.do("GET", path, "", nil); st != 404 {
			t.Errorf("anonymous reads a draft: %d", st)
		}
		if st, b := e.do("POST", path+"/answers", "", answerBody("a", 1, "")); st != 404 {
			t.Errorf("answer to a draft: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "publish", "version": 1}); st != 200 || b["status"] != "published" {
			t.Fatalf("publish: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "publish", "version": 1}); st != 409 {
			t.Errorf("stale version: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "publish", "version": 2}); st != 422 {
			t.Errorf("published twice: %d %v", st, b)
		}
		st, pub := e.do("GET", path, "", nil)
		if st != 200 || pub["created_by"] != nil || pub["answers"] != nil || len(pub["questions"].([]any)) != 3 {
			t.Errorf("the citizen's view: %d %v", st, pub)
		}
		if err := conforms(schemas["PublicSurvey"], pub); err != nil {
			t.Errorf("the citizen's view does not fit its schema: %v", err)
		}

		// Anonymous answers: one per device; each refusal names its question.
		for i, body := range []map[string]any{answerBody("a", 1, "希望延长户籍窗口时间，我的电话13947701234"), answerBody("b", 2, "停车难"), answerBody("c", 1, "")} {
			st, b := e.do("POST", path+"/answers", "", body)
			if st != 201 {
				t.Fatalf("answer %d: %d %v", i, st, b)
			}
			if err := conforms(schemas["SurveyAnswer"], b); err != nil {
				t.Errorf("the answer does not fit its schema: %v", err)
			}
		}
		answerRefusals := []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"same device", answerBody("a", 2, ""), 409, ""},
			{"required", map[string]any{"device_token": "device-d-0123456789", "answers": map[string]any{"q3": map[string]any{"text": "x"}}}, 400, "answers.q1"},
			{"scale", map[string]any{"device_token": "device-d-0123456789", "answers": map[string]any{"q1": map[string]any{"choices": []any{1}}, "q2": map[string]any{"scale": 9}}}, 400, "answers.q2"},
			{"no device", map[string]any{"answers": map[string]any{"q1": map[string]any{"choices": []any{1}}}}, 400, "device_token"},
			{"township", map[string]any{"device_token": "device-d-0123456789", "township": "巴黎", "answers": map[string]any{"q1": map[string]any{"choices": []any{2}}}}, 400, "township"},
		}
		for _, r := range answerRefusals {
			t.Run(r.name, func(t *testing.T) {
				st, b := e.do("POST", path+"/answers", "", r.body)
				if st != r.status || (r.field != "" && !names(fieldsOf(b), r.field)) {
					t.Errorf("%d %v, want %d naming %q", st, b, r.status, r.field)
				}
			})
		}

		st, res := e.do("GET", path+"/results", "officer-a", nil)
		if st != 200 || res["answers"] != float64(3) {
			t.Fatalf("results: %d %v", st, res)
		}
		if err := conforms(schemas["SurveyResults"], res); err != nil {
			t.Errorf("the results do not fit their schema: %v", err)
		}
		qs := res["questions"].([]any)
		if q2 := qs[1].(map[string]any); q2["answered"] != float64(2) || q2["mean"] != float64(4) {
			t.Errorf("the scale: %v", q2)
		}
		texts := qs[2].(map[string]any)["texts"].([]any)
		if len(texts) != 2 || strings.Contains(fmt.Sprint(texts), "13947701234") {
			t.Errorf("texts, masked: %v", texts)
		}
		if st, _ := e.do("GET", path+"/results", "officer-b", nil); st != 403 {
			t.Errorf("another unit's results: %d", st)
		}
		if st, b := e.do("GET", path+"/results?from=2021/01/01", "officer-a", nil); st != 400 || !names(fieldsOf(b), "from") {
			t.Errorf("bad period: %d %v", st, b)
		}
		a := e.send("GET", path+"/results.xlsx", "officer-a", "", "")
		if a.status != 200 || a.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !strings.HasPrefix(a.body, "PK") {
			t.Fatalf("export: %d %v", a.status, a.header)
		}
		book, err := excelize.OpenReader(strings.NewReader(a.body))
		if err != nil {
			t.Fatal(err)
		}
		summary, _ := book.GetRows("汇总")
		raw, _ := book.GetRows("答卷")
		if len(summary) < 6 || summary[3][0] != "答卷数" || summary[3][1] != "3" || len(raw) != 4 ||
			strings.Contains(fmt.Sprint(raw), "13947701234") || !strings.Contains(fmt.Sprint(raw), "希望延长户籍窗口时间") {
			t.Errorf("the workbook: %v\n%v", summary, raw)
		}

		// A free text becomes an item once.
		first := texts[len(texts)-1].(map[string]any)
		convert := fmt.Sprintf("%s/answers/%v/item", path, first["answer"])
		st, c := e.do("POST", convert, "officer-a", map[string]any{"question": "q3"})
		if st != 201 || c["created"] != true || c["item"] == "" {
			t.Fatalf("convert: %d %v", st, c)
		}
		if st, again := e.do("POST", convert, "officer-a", map[string]any{"question": "q3"}); st != 200 || again["item"] != c["item"] || again["created"] != false {
			t.Errorf("again: %d %v", st, again)
		}
		if st, v := e.do("GET", "/api/v1/items/"+c["item"].(string), "officer-a", nil); st != 200 || v["item"].(map[string]any)["channel"] != "survey" ||
			!strings.Contains(fmt.Sprint(v["item"].(map[string]any)["channel_detail"]), fmt.Sprintf("答卷%v", first["answer"])) {
			t.Errorf("the item: %d %v", st, v)
		}
		if st, _ := e.do("POST", convert, "partner", map[string]any{"question": "q3"}); st != 403 {
			t.Errorf("partner converts: %d", st)
		}
		if st, b := e.do("POST", fmt.Sprintf("%s/answers/%v/item", path, first["answer"]), "officer-a", map[string]any{"question": "q1"}); st != 404 {
			t.Errorf("a choice is no text: %d %v", st, b)
		}

		// Once answered, only wording changes.
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "questions": surveyQuestions()[:2]}); st != 400 || !names(fieldsOf(b), "questions") {
			t.Errorf("removing a question: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "title": "群众意见征集问卷（2021）"}); st != 200 || b["version"] != float64(3) {
			t.Errorf("wording: %d %v", st, b)
		}

		lists := []struct {
			user, query string
			total       int
		}{{"officer-a", "", 1}, {"officer-b", "", 0}, {"leader", "?status=published", 1}, {"leader", "?status=draft", 0}, {"leader", "?q=征集", 1}}
		for _, l := range lists {
			st, b := e.do("GET", "/api/v1/surveys"+l.query, l.user, nil)
			if st != 200 || ledgerCount(t, b) != l.total {
				t.Errorf("%s %s: %d %v, want %d", l.user, l.query, st, b, l.total)
			}
		}

		// With a period, each questionnaire carries its answers of the
		// period and the page those of every questionnaire of the unit
		// and campaign, the summary's surveys.answers (status aside).
		periods := []struct {
			user, query string
			total, each any
		}{
			{"leader", "?from=2000-01-01&to=2099-12-31", 3.0, 3.0},
			{"officer-a", "?from=2000-01-01&to=2099-12-31&unit=a", 3.0, 3.0},
			{"leader", "?from=2000-01-01&to=2000-12-31", 0.0, 0.0},
			{"officer-b", "?from=2000-01-01&to=2099-12-31", 0.0, nil},
			{"leader", "?from=2000-01-01&to=2099-12-31&status=draft", 3.0, nil},
			{"leader", "", nil, nil},
		}
		for _, p := range periods {
			st, b := e.do("GET", "/api/v1/surveys"+p.query, p.user, nil)
			var each any
			if items, _ := b["items"].([]any); len(items) > 0 {
				each = items[0].(map[string]any)["answers_in_period"]
			}
			if st != 200 || b["answers_in_period"] != p.total || each != p.each {
				t.Errorf("%s %s: %d answers_in_period %v, the questionnaire's %v, want %v and %v", p.user, p.query, st, b["answers_in_period"], each, p.total, p.each)
			}
			if err := conforms(schemas["SurveyPage"], b); err != nil {
				t.Errorf("%s: the page does not fit its schema: %v", p.query, err)
			}
		}
		for _, bad := range []struct{ query, field string }{{"?from=2021/01/01&to=2021-12-31", "from"}, {"?from=2021-01-01", "to"}, {"?to=2021-02-30&from=2021-01-01", "to"}} {
			st, b := e.do("GET", "/api/v1/surveys"+bad.query, "leader", nil)
			if st != 400 || !names(fieldsOf(b), bad.field) || !strings.Contains(fmt.Sprint(fieldsOf(b)[bad.field]), " / ") {
				t.Errorf("%s: %d %v, want 400 naming %s in Chinese and English", bad.query, st, b, bad.field)
			}
		}
		if a := e.send("GET", "/api/v1/surveys?format=csv&from=2000-01-01&to=2099-12-31", "leader", "", ""); a.status != 200 || !strings.Contains(a.body, "群众意见征集问卷") {
			t.Errorf("the export of a period: %d %.200s", a.status, a.body)
		}

		st, sum := e.do("GET", "/api/v1/ledgers/summary?from=2000-01-01&to=2099-12-31", "leader", nil)
		figs := sum["figures"].(map[string]any)["surveys"].(map[string]any)
		if st != 200 || figs["answers"] != float64(3) || figs["published"] != float64(1) || figs["items_created"] != float64(1) {
			t.Errorf("summary: %d %v", st, figs)
		}

		// A campaign may target the questionnaires' figures.
		if st, b := e.do("POST", "/api/v1/campaigns", "leader", map[string]any{"name": "我为群众办实事", "from": "2026-01-01", "to": "2026-12-31",
			"targets": map[string]any{"surveys.answers": 300, "surveys.items_created": 10}}); st != 201 {
			t.Errorf("a campaign targeting answers: %d %v", st, b)
		}

		if st, b := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "close", "version": 3}); st != 200 {
			t.Fatalf("close: %d %v", st, b)
		}
		if st, b := e.do("POST", path+"/answers", "", answerBody("z", 2, "")); st != 422 {
			t.Errorf("answer to a closed questionnaire: %d %v", st, b)
		}
	})
}

func TestSurveyAnswersAreLimitedPerAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Now())
		e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{Intake: ratelimit.Rate{N: 2, Per: time.Hour}}, clock)))
		id := newSurvey(t, e, true)
		path := fmt.Sprintf("/api/v1/surveys/%d/answers", id)
		for i, want := range []int{201, 201, http.StatusTooManyRequests} {
			if st, _, body := from(t, e.url, "192.0.2.1", "POST", path, answerBody(fmt.Sprint(i), 2, "")); st != want {
				t.Fatalf("answer %d: %d %s", i+1, st, body)
			}
		}
		// Another address is not held up, nor are the items of the first.
		if st, _, body := from(t, e.url, "192.0.2.2", "POST", path, answerBody("x", 2, "")); st != 201 {
			t.Fatalf("another address: %d %s", st, body)
		}
		if st, _, body := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", opinion); st != 201 {
			t.Fatalf("an item from the first address: %d %s", st, body)
		}
	})
}
