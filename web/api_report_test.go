package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestAPIReportSummary writes the summary report of a small bureau through
// GET /api/v1/reports/summary: its figures are the records', each with its
// list; the formats; who may read which unit; bad input named; an empty
// period said so.
func TestAPIReportSummary(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		year := time.Now().In(calendar.Zone).Format("2006")
		for _, m := range []struct{ user, unit string }{{"officer-a", "a"}, {"officer-a", "a"}, {"officer-b", "b"}} {
			st, b := e.do("POST", "/api/v1/matters", m.user, matterBody("帮助群众秋收", m.unit))
			if st != 201 {
				t.Fatalf("create matter: %d %v", st, b)
			}
			path := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
			if st, b := e.do("POST", path, m.user, map[string]any{"version": 1, "action": "start"}); st != 200 {
				t.Fatalf("start: %d %v", st, b)
			}
			if st, b := e.do("POST", path, m.user, map[string]any{"version": 2, "action": "complete", "story": "民警帮助牧民收完了玉米。"}); st != 200 {
				t.Fatalf("complete: %d %v", st, b)
			}
		}
		figure := func(doc map[string]any, key string) map[string]any {
			figs, _ := doc["figures"].([]any)
			for _, f := range figs {
				if f := f.(map[string]any); f["key"] == key {
					return f
				}
			}
			return nil
		}

		t.Run("json", func(t *testing.T) {
			for _, tt := range []struct {
				user, query string
				done        float64
			}{
				{"leader", "", 3}, {"leader", "?unit=a", 2}, {"officer-b", "?unit=b", 1}, {"officer-b", "", 1},
			} {
				st, doc := e.do("GET", "/api/v1/reports/summary"+tt.query, tt.user, nil)
				if st != 200 {
					t.Fatalf("%s %s: %d %v", tt.user, tt.query, st, doc)
				}
				f := figure(doc, "matters.done")
				if f == nil || f["value"] != tt.done || !strings.HasPrefix(f["list"].(string), "/staff/matters?") {
					t.Errorf("%s %s: matters.done %v, want %v", tt.user, tt.query, f, tt.done)
				}
				if doc["from"] != year+"-01-01" || doc["empty"] != false {
					t.Errorf("%s: from %v, empty %v", tt.user, doc["from"], doc["empty"])
				}
			}
		})

		t.Run("the answers fit their schemas", func(t *testing.T) {
			_, api := e.do("GET", "/api/v1/openapi.json", "", nil)
			schemas := compileSchemas(t, api)
			for _, tc := range []struct{ path, schema string }{
				{"/api/v1/reports/summary", "ReportDocument"},
				{"/api/v1/reports/summary?from=2001-01-01&to=2001-12-31&script=hant&lang=en", "ReportDocument"},
				{"/api/v1/reports/template", "ReportTemplate"},
			} {
				st, b := e.do("GET", tc.path, "admin", nil)
				if st != 200 {
					t.Fatalf("%s: %d %v", tc.path, st, b)
				}
				if err := conforms(schemas[tc.schema], b); err != nil {
					t.Errorf("%s does not fit %s: %v", tc.path, tc.schema, err)
				}
			}
			_, doc := e.do("GET", "/api/v1/reports/summary", "admin", nil)
			if !strings.Contains(fmt.Sprint(doc["sections"]), "stories:[map[") {
				t.Errorf("no stories in %v", doc["sections"])
			}
		})

		t.Run("formats", func(t *testing.T) {
			for _, tt := range []struct{ query, want string }{
				{"format=md", "共计办理实事[3](/staff/matters?from=" + year + "-01-01&status=done&to="},
				{"format=html", `<a class="fig" href="/staff/matters?from=` + year + `-01-01&amp;status=done&amp;to=`},
				{"format=html&script=hant", "共計辦理實事"},
				{"format=md&lang=en", "## Results: practical matters"},
			} {
				a := e.send("GET", "/api/v1/reports/summary?"+tt.query, "leader", "", "")
				if a.status != 200 || !strings.Contains(a.body, tt.want) {
					t.Errorf("%s: %d, want %q in\n%s", tt.query, a.status, tt.want, a.body)
				}
				if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, map[bool]string{true: "text/markdown", false: "text/html"}[strings.HasPrefix(tt.query, "format=md")]) {
					t.Errorf("%s: Content-Type %s", tt.query, ct)
				}
			}
		})

		t.Run("refused", func(t *testing.T) {
			for _, tt := range []struct {
				user, query, field string
				status             int
			}{
				{"officer-a", "unit=b", "unit", 403},
				{"leader", "from=" + year + "-03-01&to=" + year + "-02-01", "to", 400},
				{"leader", "from=2021-13-01", "from", 400},
				{"leader", "format=pdf", "format", 400},
				{"leader", "script=latin", "script", 400},
				{"leader", "unit=nowhere", "unit", 400},
				{"leader", "campaign=999", "campaign", 400},
				{"leader", "campaign=x", "campaign", 400},
			} {
				st, b := e.do("GET", "/api/v1/reports/summary?"+tt.query, tt.user, nil)
				if st != tt.status || fieldsOf(b)[tt.field] == nil {
					t.Errorf("%s %s: %d %v, want %d naming %s", tt.user, tt.query, st, b, tt.status, tt.field)
				}
			}
			if st, _ := e.do("GET", "/api/v1/reports/summary", "", nil); st != 401 {
				t.Errorf("without a token: %d", st)
			}
		})

		t.Run("an empty period says so", func(t *testing.T) {
			st, doc := e.do("GET", "/api/v1/reports/summary?from=2001-01-01&to=2001-12-31", "leader", nil)
			if st != 200 || doc["empty"] != true || !strings.Contains(fmt.Sprint(doc["sections"]), "暂无可统计的记录") {
				t.Errorf("%d %v", st, doc)
			}
		})

		t.Run("the template", func(t *testing.T) {
			st, b := e.do("GET", "/api/v1/reports/template", "admin", nil)
			if st != 200 || b["version"] != 0.0 || b["text"] != b["default"] || !strings.Contains(b["text"].(string), `{{define "listening"}}`) {
				t.Errorf("%d %v", st, b)
			}
			if st, _ := e.do("GET", "/api/v1/reports/template", "leader", nil); st != 403 {
				t.Errorf("a leader reads the template: %d", st)
			}
			mine := "{{define \"intro\"}}本局共办理实事{{fig \"matters.done\"}}件。{{end}}"
			for _, tt := range []struct {
				user  string
				body  map[string]any
				field string
				want  int
			}{
				{"admin", map[string]any{"text": "{{define \"intro\"}}\n\n{{fig \"matters.bogus\"}}{{end}}", "version": 0}, "text", 400},
				{"admin", map[string]any{"text": mine}, "version", 400},
				{"leader", map[string]any{"text": mine, "version": 0}, "", 403},
				{"admin", map[string]any{"text": mine, "version": 0}, "", 200},
				{"admin", map[string]any{"text": mine, "version": 0}, "version", 409},
			} {
				st, b := e.do("PUT", "/api/v1/reports/template", tt.user, tt.body)
				if st != tt.want || (tt.field != "" && fieldsOf(b)[tt.field] == nil) {
					t.Errorf("PUT %v as %s: %d %v, want %d naming %q", tt.body, tt.user, st, b, tt.want, tt.field)
				}
				if tt.field == "text" && !strings.Contains(fmt.Sprint(fieldsOf(b)["text"]), "3") {
					t.Errorf("the error does not name line 3: %v", b)
				}
			}
			st, doc := e.do("GET", "/api/v1/reports/summary", "leader", nil)
			if st != 200 || doc["template_version"] != 1.0 || !strings.Contains(fmt.Sprint(doc["sections"]), "本局共办理实事") {
				t.Errorf("the report after a save: %d %v", st, doc)
			}
			st, doc = e.do("POST", "/api/v1/reports/template/preview?unit=a", "admin", map[string]any{"text": "{{define \"intro\"}}预览{{fig \"matters.done\"}}{{end}}"})
			if st != 200 || doc["template_version"] != 0.0 || !strings.Contains(fmt.Sprint(doc["sections"]), "map[text:预览] map[figure:matters.done text:2]") {
				t.Errorf("preview: %d %v", st, doc)
			}
			if st, b := e.do("POST", "/api/v1/reports/template/preview", "admin", map[string]any{"text": "{{define \"intro\"}}{{if}}{{end}}"}); st != 400 || fieldsOf(b)["text"] == nil {
				t.Errorf("preview of a bad template: %d %v", st, b)
			}
		})
	})
}

// TestReportStoriesNameNobody: a report is published text, so a matter's
// outcome story naming its beneficiary (巴特尔, who did not consent) is
// not told, as on the public pages; one naming nobody is, on both
// databases.
func TestReportStoriesNameNobody(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, story := range []string{"民警帮助牧民收完了玉米。", "民警帮助巴特尔收完了玉米。"} {
			st, b := e.do("POST", "/api/v1/matters", "officer-a", matterBody("帮助群众秋收", "a"))
			if st != 201 {
				t.Fatalf("create matter: %d %v", st, b)
			}
			path := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
			for v, action := range []map[string]any{{"action": "start"}, {"action": "complete", "story": story}} {
				action["version"] = v + 1
				if st, b := e.do("POST", path, "officer-a", action); st != 200 {
					t.Fatalf("%v: %d %v", action, st, b)
				}
			}
		}
		for _, format := range []string{"json", "md"} {
			st, b := e.raw("GET", "/api/v1/reports/summary?format="+format, "leader")
			if st != 200 {
				t.Fatalf("%s: %d %s", format, st, b)
			}
			if !strings.Contains(b, "民警帮助牧民收完了玉米。") {
				t.Errorf("%s: the story naming nobody is not told", format)
			}
			if strings.Contains(b, "巴特尔") {
				t.Errorf("%s: the report names the beneficiary", format)
			}
		}
	})
}
