package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi/docx"
	"minyi/internal/officetest"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestAPIIssuedReports issues reports through POST /api/v1/reports and
// reads them back on both databases: who may issue which scope, bad input
// named with nothing stored, the list with its total and re-issues, one
// report as issued (figures, the log's position) with what changed since a
// later matter, its formats, and who reads which.
func TestAPIIssuedReports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUsers(org.User{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"}))
		tok, _, err := org.NewService(db).IssueToken(context.Background(), org.Operator("test"), "head-a", "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["head-a"] = tok
		done := func(user, unit string) {
			t.Helper()
			st, b := e.do("POST", "/api/v1/matters", user, matterBody("帮助群众秋收", unit))
			if st != 201 {
				t.Fatalf("create matter: %d %v", st, b)
			}
			path := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
			for v, action := range []map[string]any{{"action": "start"}, {"action": "complete", "story": "民警帮助牧民收完了玉米。"}} {
				action["version"] = v + 1
				if st, b := e.do("POST", path, user, action); st != 200 {
					t.Fatalf("%v: %d %v", action, st, b)
				}
			}
		}
		done("officer-a", "a")
		count := func() float64 {
			_, b := e.do("GET", "/api/v1/reports", "admin", nil)
			return b["total"].(float64)
		}

		for _, tt := range []struct {
			name, user string
			body       map[string]any
			status     int
			field      string
		}{
			{"a unit's head their unit", "head-a", map[string]any{"unit": "a"}, 201, ""},
			{"a unit's head the bureau", "head-a", map[string]any{}, 403, "unit"},
			{"a unit's head another unit", "head-a", map[string]any{"unit": "b"}, 403, "unit"},
			{"an officer", "officer-a", map[string]any{"unit": "a"}, 403, "unit"},
			{"from after to", "leader", map[string]any{"from": "2021-10-01", "to": "2021-09-30"}, 400, "to"},
			{"no such unit", "leader", map[string]any{"unit": "zz"}, 400, "unit"},
			{"bad script", "leader", map[string]any{"script": "latin"}, 400, "script"},
			{"bad campaign", "leader", map[string]any{"campaign": -1}, 400, "campaign"},
			{"no such campaign", "leader", map[string]any{"campaign": 99}, 400, "campaign"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := count()
				st, b := e.do("POST", "/api/v1/reports", tt.user, tt.body)
				if st != tt.status {
					t.Fatalf("%d %v, want %d", st, b, tt.status)
				}
				if tt.field != "" {
					if fields, _ := b["fields"].(map[string]any); fields[tt.field] == nil {
						t.Errorf("the refusal does not name %s: %v", tt.field, b)
					}
					if count() != before {
						t.Error("a refused issue stored a report")
					}
				}
			})
		}

		a := e.send("POST", "/api/v1/reports", "leader", "application/json", `{"script":"hans"}`)
		if a.status != 201 || !strings.HasPrefix(a.header.Get("Location"), "/api/v1/reports/") {
			t.Fatalf("issue: %d %s", a.status, a.body)
		}
		path := a.header.Get("Location")
		st, first := e.do("GET", path, "leader", nil)
		if st != 200 || first["issued_by"] != "leader" || first["unit_name"] == "" || first["log_seq"].(float64) <= 0 || first["log_hash"] == "" {
			t.Fatalf("%s: %d %v", path, st, first)
		}
		figure := func(v map[string]any, key string) float64 {
			for _, f := range v["figures"].([]any) {
				if f := f.(map[string]any); f["key"] == key {
					return f["value"].(float64)
				}
			}
			return -1
		}
		if figure(first, "matters.done") != 1 || len(first["changed_since"].([]any)) != 0 {
			t.Fatalf("as issued: matters.done %v, changed %v", figure(first, "matters.done"), first["changed_since"])
		}

		done("officer-b", "b") // a matter done after the report was issued
		if st, b := e.do("POST", "/api/v1/reports", "leader", map[string]any{}); st != 201 {
			t.Fatalf("re-issue: %d %v", st, b)
		}
		t.Run("what changed since", func(t *testing.T) {
			_, v := e.do("GET", path, "leader", nil)
			if figure(v, "matters.done") != 1 {
				t.Errorf("the issued figure moved: %v", figure(v, "matters.done"))
			}
			var found bool
			for _, c := range v["changed_since"].([]any) {
				c := c.(map[string]any)
				if c["key"] == "matters.done" {
					found = c["issued"] == 1.0 && c["live"] == 2.0
				}
			}
			if !found {
				t.Errorf("changed_since %v: want matters.done 1 → 2", v["changed_since"])
			}
		})
		t.Run("the list", func(t *testing.T) {
			st, b := e.do("GET", "/api/v1/reports?bureau=true&changes=true", "leader", nil)
			items, _ := b["items"].([]any)
			if st != 200 || b["total"] != 2.0 || len(items) != 2 {
				t.Fatalf("%d %v", st, b)
			}
			if items[0].(map[string]any)["changed_since"] != 0.0 || items[1].(map[string]any)["changed_since"].(float64) < 1 {
				t.Errorf("changed_since of the re-issue and the first: %v, %v", items[0].(map[string]any)["changed_since"], items[1].(map[string]any)["changed_since"])
			}
			for _, tt := range []struct {
				user  string
				total float64
			}{{"leader", 3}, {"head-a", 1}, {"officer-a", 1}, {"officer-b", 0}} {
				if _, b := e.do("GET", "/api/v1/reports", tt.user, nil); b["total"] != tt.total {
					t.Errorf("%s lists %v, want %v", tt.user, b["total"], tt.total)
				}
			}
			if st, b := e.do("GET", "/api/v1/reports?kind=weekly", "leader", nil); st != 400 || b["fields"].(map[string]any)["kind"] == nil {
				t.Errorf("kind=weekly: %d %v", st, b)
			}
			x := e.send("GET", "/api/v1/reports?format=csv&changes=true", "leader", "", "")
			if x.status != 200 || !strings.Contains(x.body, "签发人") || !strings.Contains(x.body, "人工签发") {
				t.Errorf("csv: %d %s", x.status, x.body)
			}
		})
		t.Run("formats as issued", func(t *testing.T) {
			md := e.send("GET", path+"?format=md", "leader", "", "")
			if md.status != 200 || !strings.Contains(md.body, "共计办理实事[1]") {
				t.Errorf("md: %d\n%s", md.status, md.body)
			}
			html := e.send("GET", path+"?format=html", "leader", "", "")
			if html.status != 200 || !strings.HasPrefix(html.header.Get("Content-Type"), "text/html") {
				t.Errorf("html: %d", html.status)
			}
			word := e.send("GET", path+"?format=docx", "leader", "", "")
			if word.status != 200 || word.header.Get("Content-Type") != docx.ContentType {
				t.Fatalf("docx: %d %s", word.status, word.header.Get("Content-Type"))
			}
			if text, _ := officetest.XMLText(t, []byte(word.body)); !strings.Contains(text, "共计办理实事1件") {
				t.Errorf("the Word document does not say 共计办理实事1件:\n%s", text)
			}
			if st, b := e.do("GET", path+"?format=pdf", "leader", nil); st != 400 || b["fields"].(map[string]any)["format"] == nil {
				t.Errorf("format=pdf: %d %v", st, b)
			}
		})
		t.Run("who reads which", func(t *testing.T) {
			for _, tt := range []struct {
				user   string
				status int
			}{{"admin", 200}, {"head-a", 403}, {"officer-a", 403}} {
				if st, _ := e.do("GET", path, tt.user, nil); st != tt.status {
					t.Errorf("%s: %d, want %d", tt.user, st, tt.status)
				}
			}
			if st, _ := e.do("GET", "/api/v1/reports/999", "leader", nil); st != 404 {
				t.Errorf("no such report: %d", st)
			}
			if st, _ := e.do("GET", "/api/v1/reports/x", "leader", nil); st != 400 {
				t.Errorf("a bad id: %d", st)
			}
		})
	})
}
