package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestAPILedgerSummary checks that the summary's figures are the records
// created through the API, counted for what the reader may see, and that
// its period and unit are checked as the stats API's.
func TestAPILedgerSummary(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		today := time.Now().In(calendar.Zone)
		year := today.Format("2006")

		// Matters: in a, two done (one led, one late), one only started; in
		// b, one done and led.
		matter := func(user, unit, lead, opened string, dueDays int, outcomes map[string]any, complete bool) {
			t.Helper()
			body := matterBody("帮助群众"+lead, unit)
			body["due_days"] = dueDays
			if lead != "" {
				body["lead"] = lead
			}
			if opened != "" {
				body["opened_on"] = opened
			}
			st, b := e.do("POST", "/api/v1/matters", user, body)
			if st != 201 {
				t.Fatalf("create matter: %d %v", st, b)
			}
			path := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
			if st, b := e.do("POST", path, user, map[string]any{"version": 1, "action": "start"}); st != 200 {
				t.Fatalf("start: %d %v", st, b)
			}
			if !complete {
				return
			}
			if st, b := e.do("POST", path, user, map[string]any{"version": 2, "action": "complete", "story": "办完了", "outcomes": outcomes}); st != 200 {
				t.Fatalf("complete: %d %v", st, b)
			}
		}
		matter("officer-a", "a", "officer-a", "", 10, map[string]any{"households": 1, "people": 5}, true)
		matter("officer-a", "a", "", year+"-01-05", 1, map[string]any{"households": 2}, true)
		matter("officer-a", "a", "officer-a", "", 10, nil, false)
		matter("officer-b", "b", "officer-b", "", 10, map[string]any{"people": 3}, true)

		// Volunteer activities: two in a, one in b, 5 volunteers for 2.5
		// hours each.
		for _, a := range []struct{ user, unit string }{{"officer-a", "a"}, {"officer-a", "a"}, {"officer-b", "b"}} {
			body := map[string]any{"date": year + "-01-02", "title": "义务巡逻", "unit": a.unit, "volunteers": 5, "hours": 2.5, "served": 40}
			if st, b := e.do("POST", "/api/v1/volunteer-activities", a.user, body); st != 201 {
				t.Fatalf("create activity: %d %v", st, b)
			}
		}
		// Service points: two in a, one of them closed; one in b.
		for i, p := range []struct{ user, unit string }{{"officer-a", "a"}, {"officer-a", "a"}, {"officer-b", "b"}} {
			st, b := e.do("POST", "/api/v1/service-points", p.user, map[string]any{"name": fmt.Sprintf("便民站%d", i), "unit": p.unit, "address": "村委会"})
			if st != 201 {
				t.Fatalf("create point: %d %v", st, b)
			}
			if i == 1 {
				if st, b := e.do("PATCH", fmt.Sprintf("/api/v1/service-points/%v", b["id"]), p.user, map[string]any{"version": 1, "status": "closed"}); st != 200 {
					t.Fatalf("close point: %d %v", st, b)
				}
			}
		}

		// Measures: two researched in a, one of them implemented; one
		// implemented in b.
		for i, m := range []struct {
			user, unit string
			implement  bool
		}{{"officer-a", "a", true}, {"officer-a", "a", false}, {"officer-b", "b", true}} {
			body := measureBody(fmt.Sprintf("便民措施%d", i), m.unit)
			body["researched_on"] = year + "-01-03"
			st, b := e.do("POST", "/api/v1/measures", m.user, body)
			if st != 201 {
				t.Fatalf("create measure: %d %v", st, b)
			}
			if m.implement {
				if st, b := e.do("POST", fmt.Sprintf("/api/v1/measures/%v/actions", b["id"]), m.user, map[string]any{"version": 1, "action": "implement"}); st != 200 {
					t.Fatalf("implement: %d %v", st, b)
				}
			}
		}
		for _, tt := range []struct {
			user, query             string
			researched, implemented float64
		}{{"leader", "", 3, 2}, {"leader", "?unit=a", 2, 1}, {"officer-a", "", 2, 1}, {"officer-b", "", 1, 1}, {"leader", "?from=2001-01-01&to=2001-12-31", 0, 0}} {
			st, b := e.do("GET", "/api/v1/ledgers/summary"+tt.query, tt.user, nil)
			m, _ := b["figures"].(map[string]any)["measures"].(map[string]any)
			if st != 200 || m["researched"] != tt.researched || m["implemented"] != tt.implemented {
				t.Errorf("%s%s: measures %d %v, want %v researched, %v implemented", tt.user, tt.query, st, m, tt.researched, tt.implemented)
			}
		}

		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schema := compileSchemas(t, doc)["LedgerSummary"]
		type want struct{ done, led, onTime, households, people, activities, volunteers, hours, served, active float64 }
		for _, tt := range []struct {
			name, user, query string
			want              want
		}{
			{"leader, all units", "leader", "", want{3, 2, 2, 3, 8, 3, 15, 37, 120, 2}},
			{"leader, unit a", "leader", "?unit=a", want{2, 1, 1, 3, 5, 2, 10, 25, 80, 1}},
			{"admin, unit b", "admin", "?unit=b", want{1, 1, 1, 0, 3, 1, 5, 12, 40, 1}},
			{"officer of a, their unit", "officer-a", "", want{2, 1, 1, 3, 5, 2, 10, 25, 80, 1}},
			{"officer of a, naming it", "officer-a", "?unit=a", want{2, 1, 1, 3, 5, 2, 10, 25, 80, 1}},
			{"partner of a", "partner", "", want{2, 1, 1, 3, 5, 2, 10, 25, 80, 1}},
			{"officer of b, the period", "officer-b", "?from=" + year + "-01-01&to=" + today.Format(time.DateOnly), want{1, 1, 1, 0, 3, 1, 5, 12, 40, 1}},
			{"before the records", "leader", "?from=2001-01-01&to=2001-12-31", want{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				st, b := e.do("GET", "/api/v1/ledgers/summary"+tt.query, tt.user, nil)
				if st != 200 {
					t.Fatalf("summary: %d %v", st, b)
				}
				if err := conforms(schema, b); err != nil {
					t.Errorf("the summary does not fit its schema: %v", err)
				}
				if tt.query == "" && (b["from"] != year+"-01-01" || b["to"] != today.Format(time.DateOnly)) {
					t.Errorf("default period: %v – %v", b["from"], b["to"])
				}
				fig := func(ledger, key string) float64 {
					v, _ := b["figures"].(map[string]any)[ledger].(map[string]any)[key].(float64)
					return v
				}
				got := want{fig("matters", "done"), fig("matters", "led"), fig("matters", "on_time"),
					fig("matters", "outcome_households"), fig("matters", "outcome_people"),
					fig("volunteer_activities", "activities"), fig("volunteer_activities", "volunteers"),
					fig("volunteer_activities", "volunteer_hours"), fig("volunteer_activities", "served"),
					fig("service_points", "active")}
				if tt.query == "?from=2001-01-01&to=2001-12-31" {
					got.active = 0 // points recorded after the period are not counted; checked below
				}
				if got != tt.want {
					t.Errorf("figures %+v, want %+v (%v)", got, tt.want, b)
				}
			})
		}
		if st, b := e.do("GET", "/api/v1/ledgers/summary?from=2001-01-01&to=2001-12-31", "leader", nil); st != 200 ||
			b["figures"].(map[string]any)["service_points"].(map[string]any)["active"] != float64(0) {
			t.Errorf("points recorded after the period: %d %v", st, b)
		}

		// Another unit than their own is 403 naming unit; a bad period is
		// 400 naming from or to, with the stats API's messages.
		if st, b := e.do("GET", "/api/v1/ledgers/summary?unit=b", "officer-a", nil); st != 403 || fieldsOf(b)["unit"] == nil {
			t.Errorf("another unit: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/ledgers/summary?unit=b", "partner", nil); st != 403 {
			t.Errorf("partner, another unit: %d %v", st, b)
		}
		for _, tt := range []struct{ query, field, message string }{
			{"?from=2021-13-01&to=2021-12-31", "from", "must be YYYY-MM-DD"},
			{"?from=2021-01-01&to=soon", "to", "must be YYYY-MM-DD"},
			{"?from=2021-12-01&to=2021-01-01", "to", "to must not be before from"},
		} {
			st, b := e.do("GET", "/api/v1/ledgers/summary"+tt.query, "leader", nil)
			_, stats := e.do("GET", "/api/v1/stats"+tt.query, "leader", nil)
			if st != 400 || !strings.Contains(fmt.Sprint(fieldsOf(b)[tt.field]), tt.message) || fmt.Sprint(fieldsOf(b)) != fmt.Sprint(fieldsOf(stats)) {
				t.Errorf("%s: %d %v, want %s named as the stats API does (%v)", tt.query, st, b, tt.field, stats)
			}
		}
		if st, _ := e.do("GET", "/api/v1/ledgers/summary", "", nil); st != 401 {
			t.Errorf("without a token: %d", st)
		}
	})
}

// TestAPIBranchRanking checks the branch comparison: every branch the
// reader may see has a row with its records' figures, ranked by matters
// done, then on time, then volunteer activities; ties share a rank.
func TestAPIBranchRanking(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, b := range []org.Branch{{Code: "a1", Name: "一支部", UnitCode: "a"}, {Code: "a2", Name: "二支部", UnitCode: "a"},
			{Code: "a3", Name: "三支部", UnitCode: "a"}, {Code: "b1", Name: "乙一支部", UnitCode: "b"}, {Code: "b2", Name: "乙二支部", UnitCode: "b"}} {
			if err := org.NewService(db).AddBranch(ctx, org.Operator("test"), &b); err != nil {
				t.Fatal(err)
			}
		}
		today := time.Now().In(calendar.Zone)
		year := today.Format("2006")
		done := func(user, unit, branch, lead, opened string, dueDays int) {
			t.Helper()
			body := matterBody("帮助群众", unit)
			body["due_days"], body["branch"] = dueDays, branch
			if lead != "" {
				body["lead"] = lead
			}
			if opened != "" {
				body["opened_on"] = opened
			}
			st, b := e.do("POST", "/api/v1/matters", user, body)
			if st != 201 {
				t.Fatalf("create matter: %d %v", st, b)
			}
			path := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
			for i, act := range []map[string]any{{"action": "start"}, {"action": "complete", "story": "办完了"}} {
				act["version"] = i + 1
				if st, b := e.do("POST", path, user, act); st != 200 {
					t.Fatalf("%v: %d %v", act, st, b)
				}
			}
		}
		done("officer-a", "a", "a1", "officer-a", "", 10)
		done("officer-a", "a", "a1", "", year+"-01-05", 1) // late
		done("officer-a", "a", "a2", "officer-a", "", 10)
		done("officer-a", "a", "", "officer-a", "", 10) // of no branch
		done("officer-b", "b", "b1", "", "", 10)
		done("officer-b", "b", "b1", "officer-b", "", 10)
		for _, a := range []struct{ user, unit, branch string }{{"officer-a", "a", "a2"}, {"officer-a", "a", "a2"}, {"officer-a", "a", "a1"}} {
			body := map[string]any{"date": year + "-01-02", "title": "义务巡逻", "unit": a.unit, "branch": a.branch, "volunteers": 4, "hours": 1.5, "served": 10}
			if st, b := e.do("POST", "/api/v1/volunteer-activities", a.user, body); st != 201 {
				t.Fatalf("create activity: %d %v", st, b)
			}
		}

		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schema := compileSchemas(t, doc)["BranchRanking"]
		// rank branch done led on_time activities hours, share (-1: null)
		type row struct {
			rank                                        float64
			branch                                      string
			done, led, onTime, activities, hours, share float64
		}
		all := []row{{1, "b1", 2, 1, 2, 0, 0, 1}, {2, "a1", 2, 1, 1, 1, 6, 0.5}, {3, "a2", 1, 1, 1, 2, 12, 1}, {4, "a3", 0, 0, 0, 0, 0, -1}, {4, "b2", 0, 0, 0, 0, 0, -1}}
		unitA := []row{{1, "a1", 2, 1, 1, 1, 6, 0.5}, {2, "a2", 1, 1, 1, 2, 12, 1}, {3, "a3", 0, 0, 0, 0, 0, -1}}
		for _, tt := range []struct {
			name, user, query string
			want              []row
		}{
			{"leader, every branch", "leader", "", all},
			{"admin, the period", "admin", "?from=" + year + "-01-01&to=" + today.Format(time.DateOnly), all},
			{"leader, unit a", "leader", "?unit=a", unitA},
			{"officer of a", "officer-a", "", unitA},
			{"officer of b", "officer-b", "?unit=b", []row{{1, "b1", 2, 1, 2, 0, 0, 1}, {2, "b2", 0, 0, 0, 0, 0, -1}}},
			{"before the records", "officer-b", "?from=2001-01-01&to=2001-12-31", []row{{1, "b1", 0, 0, 0, 0, 0, -1}, {1, "b2", 0, 0, 0, 0, 0, -1}}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				st, b := e.do("GET", "/api/v1/branches/ranking"+tt.query, tt.user, nil)
				if st != 200 {
					t.Fatalf("ranking: %d %v", st, b)
				}
				if err := conforms(schema, b); err != nil {
					t.Errorf("the ranking does not fit its schema: %v", err)
				}
				var got []row
				for _, r := range b["branches"].([]any) {
					r := r.(map[string]any)
					fig := func(ledger, key string) float64 {
						v, _ := r["figures"].(map[string]any)[ledger].(map[string]any)[key].(float64)
						return v
					}
					share := -1.0
					if s, ok := r["on_time_share"].(float64); ok {
						share = s
					}
					got = append(got, row{r["rank"].(float64), r["branch"].(string), fig("matters", "done"), fig("matters", "led"), fig("matters", "on_time"),
						fig("volunteer_activities", "activities"), fig("volunteer_activities", "volunteer_hours"), share})
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("ranking\n got %v\nwant %v", got, tt.want)
				}
			})
		}

		if st, b := e.do("GET", "/api/v1/branches/ranking?unit=b", "officer-a", nil); st != 403 || fieldsOf(b)["unit"] == nil {
			t.Errorf("another unit: %d %v", st, b)
		}
		for _, tt := range []struct{ query, field string }{{"?from=2021-13-01&to=2021-12-31", "from"}, {"?from=2021-01-01&to=soon", "to"}, {"?from=2021-12-01&to=2021-01-01", "to"}} {
			st, b := e.do("GET", "/api/v1/branches/ranking"+tt.query, "leader", nil)
			_, stats := e.do("GET", "/api/v1/stats"+tt.query, "leader", nil)
			if st != 400 || fieldsOf(b)[tt.field] == nil || fmt.Sprint(fieldsOf(b)) != fmt.Sprint(fieldsOf(stats)) {
				t.Errorf("%s: %d %v, want %s named as the stats API does", tt.query, st, b, tt.field)
			}
		}
	})
}
