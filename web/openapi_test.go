package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// The OpenAPI documents are checked as a client would use them: they are
// well formed, and requests made from their request schemas fare as the
// schemas say: a valid one is accepted, each way of breaking a rule is
// refused with 400 naming the field.

// apiDocs are the OpenAPI documents minyi serves.
var apiDocs = []string{"/api/v1/openapi.json", "/api/v1/open311.openapi.json"}

func TestOpenAPIDocumentsAreWellFormed(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db)
	for _, path := range apiDocs {
		t.Run(path, func(t *testing.T) {
			st, doc := e.do("GET", path, "", nil)
			if st != 200 || doc["openapi"] != "3.0.3" {
				t.Fatalf("%d %v", st, doc)
			}
			checkWellFormed(t, doc)
			schemas := compileSchemas(t, doc)
			if len(schemas) == 0 {
				t.Fatal("no schemas")
			}
		})
	}
	// The Open311 description covers every Open311 route, with its answer.
	_, doc := e.do("GET", "/api/v1/open311.openapi.json", "", nil)
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/open311/v2/discovery.{format}", "/open311/v2/services.{format}", "/open311/v2/services/{service_code}.{format}",
		"/open311/v2/requests.{format}", "/open311/v2/requests/{service_request_id}.{format}", "/open311/v2/tokens/{token}.{format}",
		"/open311/v2/servicerequestupdates.{format}"} {
		if paths[p] == nil {
			t.Errorf("Open311 path %s is not described", p)
		}
	}
	for path, ops := range paths {
		for method, op := range ops.(map[string]any) {
			if method == "options" {
				continue
			}
			responses := op.(map[string]any)["responses"].(map[string]any)
			ok := responses["200"].(map[string]any)
			if _, has := ok["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"]; !has {
				t.Errorf("%s %s: the answer has no schema", method, path)
			}
			// Every Open311 call is rate limited: by its key, or a read by its address.
			tooMany, _ := responses["429"].(map[string]any)
			if headers, _ := tooMany["headers"].(map[string]any); headers["Retry-After"] == nil {
				t.Errorf("%s %s: 429 with Retry-After is not described", method, path)
			}
		}
	}
	if post := paths["/open311/v2/requests.{format}"].(map[string]any)["post"].(map[string]any); post["requestBody"] == nil {
		t.Error("POST requests: the form is not described")
	}
	// What Category lists includes the questions.
	_, api := e.do("GET", "/api/v1/openapi.json", "", nil)
	category := api["components"].(map[string]any)["schemas"].(map[string]any)["Category"].(map[string]any)
	if category["properties"].(map[string]any)["attributes"] == nil {
		t.Error("Category lacks attributes")
	}
}

// checkWellFormed checks what an OpenAPI 3.0 validator would: every $ref
// resolves, every operation has an id (once) and a success answer, and
// every templated path parameter is declared.
func checkWellFormed(t *testing.T, doc map[string]any) {
	t.Helper()
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if resolvePointer(doc, r) == nil {
					t.Errorf("%s: $ref %s does not resolve", at, r)
				}
			}
			for k, x := range v {
				walk(at+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(at+"/"+strconv.Itoa(i), x)
			}
		}
	}
	walk("#", doc)
	ids := map[string]string{}
	template := regexp.MustCompile(`\{([^}]+)\}`)
	for path, ops := range doc["paths"].(map[string]any) {
		for method, op := range ops.(map[string]any) {
			op := op.(map[string]any)
			where := strings.ToUpper(method) + " " + path
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] != "" {
				t.Errorf("%s: operationId %q missing or also used by %s", where, id, ids[id])
			}
			ids[id] = where
			responses, _ := op["responses"].(map[string]any)
			success := false
			for code, r := range responses {
				if strings.HasPrefix(code, "2") {
					success = true
				}
				if r.(map[string]any)["description"] == nil {
					t.Errorf("%s: answer %s has no description", where, code)
				}
			}
			if !success {
				t.Errorf("%s: no success answer", where)
			}
			declared := map[string]bool{}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p := p.(map[string]any)
				if p["schema"] == nil || p["name"] == "" {
					t.Errorf("%s: parameter %v lacks a name or schema", where, p)
				}
				if p["in"] == "path" {
					declared[p["name"].(string)] = true
					if p["required"] != true {
						t.Errorf("%s: path parameter %s is not required", where, p["name"])
					}
				}
			}
			for _, m := range template.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter %s is not declared", where, m[1])
				}
			}
		}
	}
}

// resolvePointer returns what a local reference "#/a/b" points at, or nil.
func resolvePointer(doc map[string]any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var v any = doc
	for _, seg := range strings.Split(ref[2:], "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")]
	}
	return v
}

// compileSchemas compiles every schema of the document with a JSON Schema
// validator (OpenAPI 3.0's nullable written as JSON Schema's type list),
// which also checks that every pattern is a valid regular expression.
func compileSchemas(t *testing.T, doc map[string]any) map[string]*jsonschema.Schema {
	t.Helper()
	var convert func(v any) any
	convert = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, x := range v {
				out[k] = convert(x)
			}
			if out["nullable"] == true {
				out["type"] = []any{out["type"], "null"}
			}
			delete(out, "nullable")
			return out
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = convert(x)
			}
			return out
		}
		return v
	}
	raw, _ := json.Marshal(convert(doc))
	res, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("openapi.json", res); err != nil {
		t.Fatal(err)
	}
	out := map[string]*jsonschema.Schema{}
	for name := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		s, err := c.Compile("openapi.json#/components/schemas/" + name)
		if err != nil {
			t.Errorf("schema %s: %v", name, err)
			continue
		}
		out[name] = s
	}
	return out
}

// conforms reports whether v satisfies s, with the validator's reason.
func conforms(s *jsonschema.Schema, v any) error {
	raw, _ := json.Marshal(v)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// fixture is how a request of one operation is made in the test archive:
// who sends it, to which path, and what the generated body is given
// besides its required fields (values for things that must exist, and
// optional fields whose rules should be tried too).
type fixture struct {
	user     string
	path     func(e *env) string
	override map[string]any
}

func fixed(path string) func(*env) string { return func(*env) string { return path } }

func fixtures(t *testing.T) map[string]fixture {
	png := base64.StdEncoding.EncodeToString(onePixelPNG)
	return map[string]fixture{
		"POST /api/v1/items": {user: "admin", path: fixed("/api/v1/items"), override: map[string]any{
			"category": "hukou", "title": "户口迁移", "channel_detail": "一号意见箱", "class": "hopeful", "unit": "a",
			"contact":     map[string]any{"name": "王某", "phone": "13900001111", "id_number": "11010519491231002X"},
			"location":    map[string]any{"township": "乌兰镇", "village": "一村", "address": "一号", "lat": 41.5, "lng": 111.7},
			"received_at": time.Now().Add(-24 * time.Hour).Format(time.RFC3339), "publish": true,
			"photos": []any{map[string]any{"data": png}}}},
		"POST /api/v1/items/{number}/actions": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/items", "", citizenItem("要办的件"))
			if st != 201 {
				t.Fatalf("item: %d %v", st, b)
			}
			return "/api/v1/items/" + b["number"].(string) + "/actions"
		}, override: map[string]any{"action": "dispatch", "version": 1, "unit": "a", "body": "派给甲所"}},
		"PUT /api/v1/reports/template": {user: "admin", path: fixed("/api/v1/reports/template"), override: map[string]any{
			"text": "{{define \"intro\"}}共办理实事{{fig \"matters.done\"}}件。{{end}}", "version": 0}},
		"POST /api/v1/reports": {user: "leader", path: func(e *env) string {
			newCampaign(t, e, "我为群众办实事") // campaign 1, which the request names
			return "/api/v1/reports"
		}, override: map[string]any{"from": "2021-01-01", "to": "2021-12-31", "unit": "a", "campaign": 1}},
		"POST /api/v1/reports/template/preview": {user: "admin", path: fixed("/api/v1/reports/template/preview?from=2021-01-01&to=2021-12-31"), override: map[string]any{
			"text": "{{define \"intro\"}}共办理实事{{fig \"matters.done\"}}件。{{end}}"}},
		"POST /api/v1/matters": {user: "admin", path: fixed("/api/v1/matters"), override: map[string]any{
			"title": "帮助牧民秋收", "unit": "a", "class": "urgent", "description": "玉米待收", "due_days": 5, "published": true,
			"beneficiary": map[string]any{"kind": "household", "name": "巴特尔", "phone": "13900001111", "place": "一村"}}},
		"PATCH /api/v1/matters/{id}": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/matters/%d", newMatter(t, e, "admin"))
		}, override: map[string]any{"version": 1, "title": "改过的标题", "published": true, "class": "hard"}},
		"POST /api/v1/matters/{id}/actions": {user: "admin", path: func(e *env) string {
			id := newMatter(t, e, "admin")
			if st, b := e.do("POST", fmt.Sprintf("/api/v1/matters/%d/actions", id), "admin", map[string]any{"action": "start", "version": 1}); st != 200 {
				t.Fatalf("start: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/matters/%d/actions", id)
		}, override: map[string]any{"action": "complete", "version": 2, "story": "秋收完成", "outcomes": map[string]any{"households": 1, "people": 4}}},
		"POST /api/v1/measures": {user: "admin", path: fixed("/api/v1/measures"), override: map[string]any{
			"title": "错时延时服务", "unit": "a", "changes": "窗口午间照常办理", "researched_on": "2021-09-13"}},
		"PATCH /api/v1/measures/{id}": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/measures/%d", newMeasure(t, e, "admin"))
		}, override: map[string]any{"version": 1, "title": "改过的措施", "changes": "周末照常办理", "researched_on": "2021-09-13"}},
		"POST /api/v1/measures/{id}/actions": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/measures/%d/actions", newMeasure(t, e, "admin"))
		}, override: map[string]any{"action": "implement", "version": 1, "day": "2021-09-13"}},
		"POST /api/v1/campaigns": {user: "leader", path: fixed("/api/v1/campaigns"), override: map[string]any{
			"name": "我为群众办实事", "from": "2021-03-01", "to": "2021-11-02", "plan": "全体民辅警领办实事",
			"targets": map[string]any{"matters.done": 400, "measures.implemented": 25}}},
		"PATCH /api/v1/campaigns/{id}": {user: "leader", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/campaigns/%d", newCampaign(t, e, "我为群众办实事"))
		}, override: map[string]any{"version": 1, "name": "改过的活动", "from": "2021-03-01", "to": "2021-12-31",
			"targets": map[string]any{"service_points.active": 8}}},
		"POST /api/v1/campaigns/{id}/meetings": {user: "leader", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/campaigns/%d/meetings", newCampaign(t, e, "我为群众办实事"))
		}, override: map[string]any{"day": "2021-03-02", "kind": "mobilisation", "attendees": "局党委委员", "minutes": "部署"}},
		"POST /api/v1/campaigns/{id}/documents": {user: "leader", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/campaigns/%d/documents", newCampaign(t, e, "我为群众办实事"))
		}, override: map[string]any{"name": "方案.png", "document": png}},
		"POST /api/v1/units": {user: "admin", path: fixed("/api/v1/units"), override: map[string]any{"parent_code": "bureau", "township": "乌兰镇"}},
		"PUT /api/v1/units/{code}": {user: "admin", path: fixed("/api/v1/units/a"), override: map[string]any{"code": "a", "name": "甲派出所", "kind": "station",
			"parent_code": "bureau", "township": "乌兰镇", "dispatch_by_bureau": true}},
		"POST /api/v1/categories": {user: "admin", path: fixed("/api/v1/categories"), override: map[string]any{
			"unit": "a", "description": "说明", "group": "户政", "keywords": "户口 迁移", "class": "hopeful", "active": true,
			"attributes": []any{map[string]any{"code": "doc", "datatype": "singlevaluelist", "description": "哪种证件",
				"required": true, "order": 1, "values": []any{map[string]any{"key": "id", "name": "身份证"}}}}}},
		"POST /api/v1/volunteer-activities": {user: "admin", path: fixed("/api/v1/volunteer-activities"), override: map[string]any{
			"date": "2021-09-13", "unit": "a", "participants": []any{"officer-a"}, "volunteers": 5, "hours": 2.5, "served": 40,
			"township": "巴彦镇", "village": "红旗村", "place": "村委会", "description": "帮助群众秋收"}},
		"PATCH /api/v1/volunteer-activities/{id}": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/volunteer-activities", "admin", map[string]any{"date": "2021-09-13", "title": "秋收", "unit": "a"})
			if st != 201 {
				t.Fatalf("activity: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/volunteer-activities/%v", b["id"])
		}, override: map[string]any{"version": 1, "date": "2021-09-14", "title": "帮助秋收", "participants": []any{"officer-a"}, "hours": 3, "served": 50}},
		"POST /api/v1/publicity": {user: "admin", path: func(e *env) string {
			newMatter(t, e, "admin") // the first matter, id 1, which the generated request names
			return "/api/v1/publicity"
		}, override: map[string]any{"date": "2021-09-13", "channel": "wechat", "unit": "a", "link": "https://mp.weixin.qq.com/s/a", "note": "转载"}},
		"PATCH /api/v1/publicity/{id}": {user: "admin", path: func(e *env) string {
			newMatter(t, e, "admin") // matter 1 exists, whichever fixture runs first
			st, b := e.do("POST", "/api/v1/publicity", "admin", map[string]any{"date": "2021-09-13", "channel": "wechat", "outlet": "平安鄂托克", "title": "秋收", "unit": "a"})
			if st != 201 {
				t.Fatalf("piece: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/publicity/%v", b["id"])
		}, override: map[string]any{"version": 1, "date": "2021-09-14", "channel": "short_video", "link": ""}},
		"POST /api/v1/disputes": {user: "admin", path: fixed("/api/v1/disputes"), override: map[string]any{
			"kind": "land", "source": "visit", "unit": "a", "found_on": "2021-09-13", "village": "查干淖尔嘎查", "due_days": 10,
			"parties": []any{map[string]any{"name": "巴特尔", "phone": "13900001111", "role": "applicant"}}}},
		"PATCH /api/v1/disputes/{id}": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/disputes/%d", newDispute(t, e, "admin"))
		}, override: map[string]any{"version": 1, "kind": "debt", "risk": "high", "source": "report", "found_on": "2021-09-12"}},
		"POST /api/v1/disputes/{id}/actions": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/disputes/%d/actions", newDispute(t, e, "admin"))
		}, override: map[string]any{"action": "mediate", "version": 1, "day": "2021-09-14", "with": []any{"police", "lawyer"}, "notes": "双方到场"}},
		"POST /api/v1/service-points": {user: "admin", path: fixed("/api/v1/service-points"), override: map[string]any{
			"unit": "a", "township": "巴彦镇", "latitude": 49.2, "longitude": 119.7, "opening_hours": "8:00-20:00",
			"off_peak": true, "extended_hours": true, "services": []any{"户籍办理"}, "phone": "13900001111", "status": "active"}},
		"PATCH /api/v1/service-points/{id}": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/service-points", "admin", map[string]any{"name": "站", "unit": "a", "address": "村委会"})
			if st != 201 {
				t.Fatalf("point: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/service-points/%v", b["id"])
		}, override: map[string]any{"version": 1, "name": "新站", "services": []any{"居住证"}, "status": "closed", "latitude": 49.2, "longitude": 119.7}},
		"PUT /api/v1/service-points/{id}/slots": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/service-points", "admin", map[string]any{"name": "站", "unit": "a", "address": "村委会", "services": []any{"户籍办理"}})
			if st != 201 {
				t.Fatalf("point: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/service-points/%v/slots", b["id"])
		}, override: map[string]any{"version": 1, "slots": []any{map[string]any{"weekdays": []any{1, 3}, "start": "12:00", "end": "14:30",
			"kind": "off_peak", "capacity": 5, "services": []any{"户籍办理"}}}}},
		"POST /api/v1/bookings": {user: "", path: fixed("/api/v1/bookings"), override: map[string]any{"point": 1, "slot": 1, "date": tomorrow(), "service": "户籍办理", "id_number": "11010519491231002X",
			"elderly": true, "green_channel": "home_visit", "note": "行动不便"}},
		"PATCH /api/v1/bookings/{id}": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/bookings", "", map[string]any{"point": 1, "slot": 1, "date": tomorrow(), "name": "巴特尔", "phone": "13912345679"})
			if st != 201 {
				t.Fatalf("booking: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/bookings/%v", b["id"])
		}, override: map[string]any{"version": 1, "service": "户籍办理", "elderly": true, "green_channel": "home_visit", "note": "到窗口时登记为老年人"}},
		"POST /api/v1/bookings/{id}/actions": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/bookings", "", map[string]any{"point": 1, "slot": 1, "date": tomorrow(), "name": "乌云", "phone": "13912345678"})
			if st != 201 {
				t.Fatalf("booking: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/bookings/%v/actions", b["id"])
		}, override: map[string]any{"action": "cancel", "version": 1}},
		"POST /api/v1/indicators": {user: "admin", path: fixed("/api/v1/indicators"), override: map[string]any{
			"code": "id_cards", "measure": "张", "aggregation": "last"}},
		"PATCH /api/v1/indicators/{code}": {user: "admin", path: fixed("/api/v1/indicators/administrative_cases"), override: map[string]any{
			"version": 1, "name": "查处行政案件数", "measure": "件", "aggregation": "sum"}},
		"POST /api/v1/indicator-entries": {user: "admin", path: fixed("/api/v1/indicator-entries"), override: map[string]any{
			"indicator": "criminal_cases_solved", "unit": "a", "month": "2021-10", "value": 31, "note": "十月"}},
		"POST /api/v1/services": {user: "admin", path: func(e *env) string {
			osService(t, e) // service 1 exists, whichever fixture runs first
			return "/api/v1/services"
		}, override: map[string]any{"code": "newborn", "description": "出生一件事", "active": true,
			"steps": []any{map[string]any{"unit": "a", "materials": []any{"出生医学证明"}, "limit_days": 1}}}},
		"PATCH /api/v1/services/{id}": {user: "admin", path: func(e *env) string {
			osService(t, e)
			st, b := e.do("POST", "/api/v1/services", "admin", map[string]any{"code": "to-change", "name": "待改的服务",
				"steps": []any{map[string]any{"name": "收件", "unit": "a", "limit_days": 1}}})
			if st != 201 {
				t.Fatalf("service: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/services/%v", b["id"])
		}, override: map[string]any{"version": 1, "code": "fixture-renamed", "name": "改过的服务", "active": true, "description": "说明",
			"steps": []any{map[string]any{"unit": "a", "materials": []any{"出生医学证明"}, "limit_days": 2}}}},
		"POST /api/v1/cases": {user: "admin", path: func(e *env) string {
			osService(t, e)
			return "/api/v1/cases"
		}, override: osCaseBody(1)},
		"PATCH /api/v1/cases/{id}": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/cases/%d", osCase(t, e, "admin"))
		}, override: map[string]any{"version": 1, "applicant": map[string]any{"name": "乌云", "phone": "13900001111", "id_number": "11010519491231002X"},
			"proxy": "officer-a", "green": "home_visit", "note": "改", "received": []any{"出生医学证明", "结婚证"}}},
		"POST /api/v1/cases/{id}/actions": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/cases/%d/actions", osCase(t, e, "admin"))
		}, override: map[string]any{"version": 1, "action": "advance", "received": []any{"出生医学证明", "结婚证"}, "reason": "材料齐全", "step": 1}},
		"POST /api/v1/surveys": {user: "admin", path: fixed("/api/v1/surveys"), override: map[string]any{
			"unit": "a", "intro": "请您抽空填写", "closes_on": "2030-12-31", "questions": surveyQuestions()}},
		"PATCH /api/v1/surveys/{id}": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/surveys/%d", newSurvey(t, e, false))
		}, override: map[string]any{"version": 1, "title": "改过的问卷", "questions": surveyQuestions()}},
		"POST /api/v1/surveys/{id}/actions": {user: "admin", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/surveys/%d/actions", newSurvey(t, e, false))
		}, override: map[string]any{"action": "publish", "version": 1}},
		"POST /api/v1/surveys/{id}/answers": {user: "", path: func(e *env) string {
			return fmt.Sprintf("/api/v1/surveys/%d/answers", newSurvey(t, e, true))
		}, override: map[string]any{"device_token": "device-token-0123456789",
			"answers": map[string]any{"q1": map[string]any{"choices": []any{1}}, "q3": map[string]any{"text": "希望延长窗口时间"}}}},
		"POST /api/v1/surveys/{id}/answers/{answer}/item": {user: "admin", path: func(e *env) string {
			id := newSurvey(t, e, true)
			st, b := e.do("POST", fmt.Sprintf("/api/v1/surveys/%d/answers", id), "", map[string]any{"device_token": "device-token-fixture-0001",
				"answers": map[string]any{"q1": map[string]any{"choices": []any{2}}, "q3": map[string]any{"text": "希望延长窗口时间"}}})
			if st != 201 {
				t.Fatalf("answer: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/surveys/%d/answers/%v/item", id, b["id"])
		}, override: map[string]any{"question": "q3", "kind": "suggestion", "title": "延长窗口时间"}},
		"POST /api/v1/users":    {user: "admin", path: fixed("/api/v1/users"), override: map[string]any{"display_name": "新同事"}},
		"PUT /api/v1/calendar":  {user: "admin", path: fixed("/api/v1/calendar"), override: map[string]any{"entries": []any{map[string]any{"name": "国庆节"}}}},
		"POST /api/v1/apikeys":  {user: "admin", path: fixed("/api/v1/apikeys"), override: map[string]any{"contact": "张三", "rate_per_minute": 60}},
		"POST /api/v1/webhooks": {user: "admin", path: fixed("/api/v1/webhooks"), override: map[string]any{"active": true}},
		"PUT /api/v1/webhooks/{id}": {user: "admin", path: func(e *env) string {
			st, b := e.do("POST", "/api/v1/webhooks", "admin", map[string]any{"name": "伙伴", "url": "https://example.org/a", "events": []any{"*"}})
			if st != 201 {
				t.Fatalf("webhook: %d %v", st, b)
			}
			return fmt.Sprintf("/api/v1/webhooks/%v", b["webhook"].(map[string]any)["id"])
		}, override: map[string]any{"url": "https://example.org/changed", "events": []any{"received"}, "active": false}},
	}
}

func TestOpenAPIRequestsFromTheSchemas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		newBookablePoint(t, e) // point 1 with slot 1, which the booking fixtures name
		fx := fixtures(t)
		covered := 0
		for path, ops := range doc["paths"].(map[string]any) {
			for method, op := range ops.(map[string]any) {
				op := op.(map[string]any)
				body, _ := op["requestBody"].(map[string]any)
				if body == nil {
					continue
				}
				if _, isJSON := body["content"].(map[string]any)["application/json"]; !isJSON {
					continue // a workbook: api_imports_test.go sends them
				}
				where := strings.ToUpper(method) + " " + path
				f, ok := fx[where]
				if !ok {
					t.Errorf("%s takes a body and has no fixture in this test", where)
					continue
				}
				covered++
				ref := body["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"].(string)
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				t.Run(where, func(t *testing.T) {
					g := &generator{t: t, doc: doc}
					valid := g.valid(resolvePointer(doc, ref).(map[string]any), f.override, name)
					if err := conforms(schemas[name], valid); err != nil {
						t.Fatalf("the generated request does not fit %s: %v\n%v", name, err, valid)
					}
					target := f.path(e)
					// The invalid requests first: each is refused and changes
					// nothing, so the valid one still succeeds afterwards.
					for _, v := range g.invalid(resolvePointer(doc, ref).(map[string]any), valid) {
						if conforms(schemas[name], v.body) == nil {
							t.Errorf("%s: the schema accepts it, so it is no violation: %v", v.what, v.body)
							continue
						}
						st, b := e.do(strings.ToUpper(method), target, f.user, v.body)
						if st != 400 || !names(fieldsOf(b), v.field) {
							t.Errorf("%s: %d %v %v, want 400 naming %s", v.what, st, b["message"], fieldsOf(b), v.field)
						}
					}
					st, b := e.do(strings.ToUpper(method), target, f.user, valid)
					if st/100 != 2 {
						t.Fatalf("valid %v: %d %v", valid, st, b)
					}
					// The answer fits the schema the document gives for it, or
					// the first of several (staff's, before the citizen's).
					answer := op["responses"].(map[string]any)[strconv.Itoa(st)].(map[string]any)
					schema := answer["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
					if one, ok := schema["oneOf"].([]any); ok {
						schema = one[0].(map[string]any)
					}
					aref := schema["$ref"].(string)
					if err := conforms(schemas[strings.TrimPrefix(aref, "#/components/schemas/")], b); err != nil {
						t.Errorf("answer %v does not fit %s: %v", b, aref, err)
					}
				})
			}
		}
		if covered < len(fx) {
			t.Errorf("%d fixtures, %d operations with a body: a fixture names an operation that is gone", len(fx), covered)
		}
	})
}

func TestOpenAPIAnswersFitTheirSchemas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		// An empty period has nothing to divide by: its rates are null.
		for _, tc := range []struct{ path, schema string }{
			{"/api/v1/stats?from=2001-01-01&to=2001-12-31", "Stats"},
			{"/api/v1/categories", "CategoryList"},
			{"/api/v1/units", "UnitList"},
			{"/api/v1/calendar", "Calendar"},
			{"/api/v1/users", "UserList"},
		} {
			st, b := e.do("GET", tc.path, "admin", nil)
			if st != 200 {
				t.Fatalf("%s: %d %v", tc.path, st, b)
			}
			if err := conforms(schemas[tc.schema], b); err != nil {
				t.Errorf("%s does not fit %s: %v\n%v", tc.path, tc.schema, err, b)
			}
		}
	})
}

// names reports whether an error's fields name the field at path (e.g.
// "contact.phone", "entries[0].Date"): by its path, by an enclosing field
// (the server names "entries" for a bad entry) or, for a field the server
// does not know, by its name.
func names(fields map[string]any, path string) bool {
	flat := regexp.MustCompile(`\[[0-9]+\]`).ReplaceAllString(path, "")
	last := flat[strings.LastIndex(flat, ".")+1:]
	for k := range fields {
		if k == path || k == flat || k == last || strings.HasPrefix(path, k+".") || strings.HasPrefix(path, k+"[") || strings.HasPrefix(flat, k+".") {
			return true
		}
	}
	return false
}

// generator makes requests from schemas.
type generator struct {
	t   *testing.T
	doc map[string]any
}

// resolve follows a $ref, and takes the first alternative of a oneOf.
func (g *generator) resolve(s map[string]any) map[string]any {
	for {
		if r, ok := s["$ref"].(string); ok {
			s = resolvePointer(g.doc, r).(map[string]any)
			continue
		}
		if alts, ok := s["oneOf"].([]any); ok && s["type"] == nil {
			s = alts[0].(map[string]any)
			continue
		}
		return s
	}
}

// examples are strings tried, in order, for a string with a pattern: the
// first that matches is used.
var examples = []string{"new-code", "13900001111", "11010519491231002X", "2026-10-08", "https://example.org/hook", "测试内容"}

// valid returns a value fitting s: its required fields, and the override's
// fields generated from (or taken as) the override's values.
func (g *generator) valid(s map[string]any, override any, at string) any {
	g.t.Helper()
	s = g.resolve(s)
	switch s["type"] {
	case "object":
		props, _ := s["properties"].(map[string]any)
		ov, _ := override.(map[string]any)
		out := map[string]any{}
		for _, r := range required(s) {
			out[r] = g.valid(props[r].(map[string]any), ov[r], at+"."+r)
		}
		for k, v := range ov {
			p, ok := props[k].(map[string]any)
			if !ok {
				// A map's keys (counted outcomes) take its value schema.
				p, ok = s["additionalProperties"].(map[string]any)
			}
			if !ok {
				g.t.Fatalf("%s: the override names %s, which the schema does not have", at, k)
			}
			out[k] = g.valid(p, v, at+"."+k)
		}
		return out
	case "array":
		items := s["items"].(map[string]any)
		ov, _ := override.([]any)
		if len(ov) == 0 {
			ov = []any{nil}
		}
		out := make([]any, len(ov))
		for i, v := range ov {
			out[i] = g.valid(items, v, at+"["+strconv.Itoa(i)+"]")
		}
		return out
	}
	if override != nil {
		return override
	}
	switch s["type"] {
	case "string":
		if enum, ok := s["enum"].([]any); ok {
			return enum[0]
		}
		if s["format"] == "date-time" {
			return time.Now().Format(time.RFC3339)
		}
		if s["format"] == "byte" {
			return base64.StdEncoding.EncodeToString(onePixelPNG)
		}
		if p, ok := s["pattern"].(string); ok {
			re := regexp.MustCompile(p)
			for _, x := range examples {
				if re.MatchString(x) && fitsLength(s, x) {
					return x
				}
			}
			g.t.Fatalf("%s: no example matches the pattern %q", at, p)
		}
		return "测试"
	case "integer", "number":
		lo, hasLo := s["minimum"].(float64)
		hi, hasHi := s["maximum"].(float64)
		switch {
		case hasLo && hasHi:
			return float64(int((lo + hi) / 2))
		case hasLo:
			return lo
		}
		return 1.0
	case "boolean":
		return true
	}
	g.t.Fatalf("%s: cannot make a value of %v", at, s)
	return nil
}

func fitsLength(s map[string]any, x string) bool {
	n := float64(utf8.RuneCountInString(x))
	lo, _ := s["minLength"].(float64)
	hi, hasHi := s["maxLength"].(float64)
	return n >= lo && (!hasHi || n <= hi)
}

func required(s map[string]any) []string {
	var out []string
	r, _ := s["required"].([]any)
	for _, x := range r {
		out = append(out, x.(string))
	}
	return out
}

// violation is a request that breaks one rule of the schema.
type violation struct {
	what, field string
	body        any
}

// bodyLimit is where the server answers 413 before reading a field: longer
// strings are not tried.
const bodyLimit = 32 << 10

// invalid returns the valid request broken in each way the schema allows:
// every enum, length, pattern, bound, required field, item count, type and
// unknown field in turn, wherever the request has the field.
func (g *generator) invalid(s map[string]any, valid any) []violation {
	var out []violation
	var walk func(s map[string]any, v any, path []any)
	add := func(path []any, what string, value any, remove bool) {
		out = append(out, violation{what: pathString(path) + ": " + what, field: pathString(path), body: replaced(valid, path, value, remove)})
	}
	walk = func(s map[string]any, v any, path []any) {
		s = g.resolve(s)
		notRoot := len(path) > 0
		switch s["type"] {
		case "object":
			obj := v.(map[string]any)
			props, _ := s["properties"].(map[string]any)
			for _, r := range required(s) {
				add(append(slices.Clone(path), r), "missing required field", nil, true)
			}
			// A map (counted outcomes) has its values' schema in
			// additionalProperties; the server refuses a key it does not
			// know as an unknown field, naming it.
			values, isMap := s["additionalProperties"].(map[string]any)
			// decodeJSON refuses unknown fields; the schema must say so.
			if s["additionalProperties"] != false && !isMap {
				g.t.Errorf("%s: the schema allows unknown fields, which the server refuses", pathString(path))
			}
			if isMap {
				// Which keys the server knows is the bureau's setting; the
				// schema refuses those that are no key's code at all.
				add(append(slices.Clone(path), "Not_A_Code"), "not a key's code", 1, false)
			} else {
				add(append(slices.Clone(path), "zz_unknown"), "unknown field", 1, false)
			}
			if notRoot {
				add(path, "not an object", "x", false)
			}
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				if p, ok := props[k].(map[string]any); ok || !isMap {
					walk(p, obj[k], append(slices.Clone(path), k))
					continue
				}
				walk(values, obj[k], append(slices.Clone(path), k))
			}
		case "array":
			list := v.([]any)
			if n, ok := s["minItems"].(float64); ok && n > 0 {
				add(path, "too few items", []any{}, false)
			}
			if n, ok := s["maxItems"].(float64); ok && len(list) > 0 {
				more := make([]any, int(n)+1)
				for i := range more {
					more[i] = list[0]
				}
				add(path, "too many items", more, false)
			}
			add(path, "not an array", "x", false)
			if len(list) > 0 {
				walk(s["items"].(map[string]any), list[0], append(slices.Clone(path), 0))
			}
		case "string":
			if _, ok := s["enum"]; ok {
				add(path, "not in the enum", "not-in-the-list", false)
			}
			if n, ok := s["maxLength"].(float64); ok && n < bodyLimit/4 {
				add(path, "too long", strings.Repeat("字", int(n)+1), false)
			}
			if n, ok := s["minLength"].(float64); ok && n > 0 {
				add(path, "too short", "", false)
			}
			if p, ok := s["pattern"].(string); ok {
				re := regexp.MustCompile(p)
				for _, bad := range []string{"Not Valid!", "a\x01b", " "} {
					if !re.MatchString(bad) {
						add(path, fmt.Sprintf("%q does not match %q", bad, p), bad, false)
						break
					}
				}
			}
			// encoding/json does not say in which field a time it could
			// not read was, so the server names the body.
			if s["format"] != "date-time" {
				add(path, "not a string", 12345, false)
			}
		case "integer", "number":
			if lo, ok := s["minimum"].(float64); ok {
				add(path, "below the minimum", lo-1, false)
			}
			if hi, ok := s["maximum"].(float64); ok {
				add(path, "above the maximum", hi+1, false)
			}
			add(path, "not a number", "x", false)
		case "boolean":
			add(path, "not a boolean", "x", false)
		}
	}
	walk(s, valid, nil)
	return out
}

func pathString(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch p := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", p)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p.(string))
		}
	}
	return b.String()
}

// replaced returns a deep copy of v with the value at path set, or removed.
func replaced(v any, path []any, value any, remove bool) any {
	if len(path) == 0 {
		return value
	}
	switch v := v.(type) {
	case map[string]any:
		out := maps.Clone(v)
		k := path[0].(string)
		if len(path) == 1 && remove {
			delete(out, k)
		} else {
			out[k] = replaced(v[k], path[1:], value, remove)
		}
		return out
	case []any:
		out := slices.Clone(v)
		i := path[0].(int)
		out[i] = replaced(v[i], path[1:], value, remove)
		return out
	}
	return value
}

// newBookablePoint makes a service point of unit a with a slot held every
// day as a holiday slot, so that tomorrow can always be booked; in a new
// environment, point 1 with slot 1.
func newBookablePoint(t *testing.T, e *env) int64 {
	t.Helper()
	st, b := e.do("POST", "/api/v1/service-points", "admin", map[string]any{"name": "审批中心", "unit": "a", "address": "新区", "services": []any{"户籍办理"}})
	if st != 201 {
		t.Fatalf("point: %d %v", st, b)
	}
	path := fmt.Sprintf("/api/v1/service-points/%v/slots", b["id"])
	if st, s := e.do("PUT", path, "admin", map[string]any{"version": 1, "slots": []any{map[string]any{"weekdays": []any{1, 2, 3, 4, 5, 6, 7},
		"start": "09:00", "end": "17:00", "kind": "holiday", "capacity": 500}}}); st != 200 {
		t.Fatalf("slots: %d %v", st, s)
	}
	return int64(b["id"].(float64))
}

// tomorrow is the first day a citizen may book, in China.
func tomorrow() string { return time.Now().In(calendar.Zone).AddDate(0, 0, 1).Format(time.DateOnly) }
