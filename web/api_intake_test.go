package web_test

import (
	"net/http"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// addTokenUser adds an account with an API token to the test server's users.
func (e *env) addTokenUser(u org.User) {
	e.t.Helper()
	if _, err := org.NewService(e.db).AddUser(ctx, org.Operator("test"), &u); err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := org.NewService(e.db).IssueToken(ctx, org.Operator("test"), u.Name, "test", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	e.tokens[u.Name] = tok
}

// Intake through the JSON API applies the same rule as the pages: a partner
// never files, an officer files into their own unit or the dispatch queue
// (and a category of another unit does not route it there), leaders and
// admins file anywhere, citizens may name a QR code's unit.
func TestAPIIntakeRule(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		tests := []struct {
			name     string
			user     string
			unit     string
			category string
			status   int
			want     string // the unit filed into
		}{
			{"partner into own unit", "partner", "a", "", http.StatusForbidden, ""},
			{"partner into the dispatch queue", "partner", "", "", http.StatusForbidden, ""},
			{"officer into another station", "officer-a", "b", "", http.StatusForbidden, ""},
			{"officer into own unit", "officer-a", "a", "", http.StatusCreated, "a"},
			{"officer without a unit", "officer-a", "", "", http.StatusCreated, ""},
			{"officer, category of own unit", "officer-a", "", "hukou", http.StatusCreated, "a"},
			{"officer, category of another unit: the dispatch queue", "officer-b", "", "hukou", http.StatusCreated, ""},
			{"leader anywhere", "leader", "b", "", http.StatusCreated, "b"},
			{"admin anywhere", "admin", "b", "", http.StatusCreated, "b"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := e.itemCount()
				st, body := e.do("POST", "/api/v1/items", tc.user, map[string]any{"kind": "help", "channel": "phone",
					"unit": tc.unit, "category": tc.category, "text": "来电：村口路灯坏了。"})
				if st != tc.status {
					t.Fatalf("status %d, want %d: %v", st, tc.status, body)
				}
				if st != http.StatusCreated {
					if body["code"] != "forbidden" {
						t.Errorf("code %v", body["code"])
					}
					if n := e.itemCount(); n != before {
						t.Fatalf("%d items written by a refused request", n-before)
					}
					if tc.user != "partner" {
						if fields, _ := body["fields"].(map[string]any); fields["unit"] == nil {
							t.Errorf("the refusal does not name unit: %v", body)
						}
					}
					return
				}
				it, err := e.db.Item(ctx, body["number"].(string))
				if err != nil || it.UnitCode != tc.want {
					t.Fatalf("filed into %q (%v), want %q", it.UnitCode, err, tc.want)
				}
			})
		}
		t.Run("citizen with a QR code's unit", func(t *testing.T) {
			st, body := e.do("POST", "/api/v1/items", "", map[string]any{"kind": "help", "channel": "qr_code", "unit": "b", "text": "扫码留言。"})
			if st != http.StatusCreated || body["unit"] != "b" {
				t.Fatalf("%d %v", st, body)
			}
		})
	})
}

// A back-dated item through the JSON API: refused beyond 30 days with 400
// naming received_at; within them it counts from the day of collection but
// is timed from entry, and the item's JSON shows both.
func TestAPIBackdating(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		today := archive.ChinaDay(time.Now())
		for _, tc := range []struct {
			name   string
			at     time.Time
			status int
		}{
			{"31 days back", today.AddDate(0, 0, -31).Add(10 * time.Hour), http.StatusBadRequest},
			{"30 days back", today.AddDate(0, 0, -30).Add(10 * time.Hour), http.StatusCreated},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := e.itemCount()
				st, body := e.do("POST", "/api/v1/items", "officer-a", map[string]any{"kind": "consultation", "channel": "paper_box",
					"category": "hukou", "text": "纸条：户籍窗口周末开吗？", "received_at": tc.at.Format(time.RFC3339)})
				if st != tc.status {
					t.Fatalf("status %d, want %d: %v", st, tc.status, body)
				}
				if st != http.StatusCreated {
					if fields, _ := body["fields"].(map[string]any); fields["received_at"] == nil {
						t.Errorf("the refusal does not name received_at: %v", body)
					}
					if n := e.itemCount(); n != before {
						t.Fatalf("%d items written", n-before)
					}
					return
				}
				received, _ := time.Parse(time.RFC3339, body["received_at"].(string))
				entered, _ := time.Parse(time.RFC3339, body["entered_at"].(string))
				due, _ := time.Parse(time.RFC3339, body["due_at"].(string))
				if !received.Equal(tc.at) || time.Since(entered) > time.Minute || !due.After(time.Now()) {
					t.Fatalf("received %v, entered %v, due %v: the time limit must run from entry", received, entered, due)
				}
				st, view := e.do("GET", "/api/v1/items/"+body["number"].(string), "officer-a", nil)
				item, _ := view["item"].(map[string]any)
				if st != http.StatusOK || item["received_at"] == nil || item["entered_at"] == nil || item["received_at"] == item["entered_at"] {
					t.Fatalf("item view: %d %v", st, view)
				}
				st, overdue := e.do("GET", "/api/v1/items?overdue=true", "officer-a", nil)
				if items, _ := overdue["items"].([]any); st != http.StatusOK || len(items) != 0 {
					t.Fatalf("overdue right after entry: %d %v", st, overdue)
				}
			})
		}
	})
}
