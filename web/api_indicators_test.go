package web_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func TestAPIIndicators(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		entry := func(indicator, unit, month string, value any) map[string]any {
			return map[string]any{"indicator": indicator, "unit": unit, "month": month, "value": value}
		}

		// The seeded definitions, readable by all staff.
		st, b := e.do("GET", "/api/v1/indicators", "partner", nil)
		if st != 200 || len(b["items"].([]any)) != 2 {
			t.Fatalf("definitions: %d %v", st, b)
		}
		// Admins define and change; others are refused.
		def := map[string]any{"code": "id_cards", "name": "办理身份证", "name_en": "ID cards issued", "measure": "张", "aggregation": "sum"}
		if st, b := e.do("POST", "/api/v1/indicators", "leader", def); st != 403 {
			t.Errorf("leader defines: %d %v", st, b)
		}
		if st, b := e.do("POST", "/api/v1/indicators", "admin", def); st != 201 || b["version"] != 1.0 {
			t.Fatalf("define: %d %v", st, b)
		}
		if st, _ := e.do("POST", "/api/v1/indicators", "admin", def); st != 409 {
			t.Errorf("defined twice: %d", st)
		}
		if st, b := e.do("PATCH", "/api/v1/indicators/id_cards", "admin", map[string]any{"measure": "件"}); st != 400 || !hasField(b, "version") {
			t.Errorf("change without version: %d %v", st, b)
		}
		if st, b := e.do("PATCH", "/api/v1/indicators/id_cards", "admin", map[string]any{"version": 1, "measure": "件"}); st != 200 || b["measure"] != "件" || b["version"] != 2.0 {
			t.Errorf("change: %d %v", st, b)
		}
		if st, _ := e.do("PATCH", "/api/v1/indicators/id_cards", "admin", map[string]any{"version": 1, "measure": "张"}); st != 409 {
			t.Errorf("stale change: %d", st)
		}

		// Entries: bad input names the field in Chinese and English.
		for _, tc := range []struct {
			name  string
			user  string
			body  map[string]any
			st    int
			field string
		}{
			{"future month", "officer-a", entry("criminal_cases_solved", "a", "2999-01", 1), 400, "month"},
			{"bad month", "officer-a", entry("criminal_cases_solved", "a", "2021-1", 1), 400, "month"},
			{"negative", "officer-a", entry("criminal_cases_solved", "a", "2021-01", -1), 400, "value"},
			{"unknown indicator", "officer-a", entry("nope", "a", "2021-01", 1), 400, "indicator"},
			{"partner", "partner", entry("criminal_cases_solved", "a", "2021-01", 1), 403, ""},
			{"other unit", "officer-b", entry("criminal_cases_solved", "a", "2021-01", 1), 403, "unit"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, b := e.do("POST", "/api/v1/indicator-entries", tc.user, tc.body)
				if st != tc.st || (tc.field != "" && !hasField(b, tc.field)) {
					t.Errorf("%d %v, want %d naming %q", st, b, tc.st, tc.field)
				}
				if m, _ := fieldsOf(b)[tc.field].(string); tc.st == 400 && (!strings.Contains(m, " / ") || !strings.Contains(m, tc.field) ||
					!strings.ContainsFunc(m, func(r rune) bool { return unicode.Is(unicode.Han, r) })) {
					t.Errorf("%s not named in Chinese and English: %q", tc.field, m)
				}
			})
		}

		for _, en := range []struct {
			user string
			body map[string]any
		}{
			{"officer-a", entry("criminal_cases_solved", "a", "2021-01", 30)},
			{"officer-a", entry("criminal_cases_solved", "a", "2021-02", 20)},
			{"officer-b", entry("criminal_cases_solved", "b", "2021-03", 7)},
			{"leader", entry("administrative_cases", "b", "2021-03", 85)},
			{"officer-a", entry("criminal_cases_solved", "a", "2021-01", 29)}, // a correction
		} {
			if st, b := e.do("POST", "/api/v1/indicator-entries", en.user, en.body); st != 201 {
				t.Fatalf("enter %v: %d %v", en.body, st, b)
			}
		}
		st, b = e.do("GET", "/api/v1/indicator-entries?indicator=criminal_cases_solved", "officer-a", nil)
		if st != 200 || b["total"] != 2.0 {
			t.Errorf("officer a's current entries: %d %v", st, b)
		}
		st, b = e.do("GET", "/api/v1/indicator-entries?history=true&from=2021-01&to=2021-01", "officer-a", nil)
		if st != 200 || b["total"] != 2.0 || b["items"].([]any)[1].(map[string]any)["current"] != false {
			t.Errorf("history: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/indicator-entries?history=maybe", "officer-a", nil); st != 400 || !hasField(b, "history") {
			t.Errorf("bad history: %d %v", st, b)
		}
		if st, b := e.do("GET", "/api/v1/indicator-entries?from=2021", "officer-a", nil); st != 400 || !hasField(b, "from") {
			t.Errorf("bad from: %d %v", st, b)
		}

		// The ledger summary answers each indicator by its code.
		for _, tc := range []struct {
			query             string
			criminal, adminis float64
		}{
			{"from=2021-01-01&to=2021-12-31", 56, 85},
			{"from=2021-01-02&to=2021-12-31", 27, 85}, // January's first day is outside the period
			{"from=2021-01-01&to=2021-12-31&unit=a", 49, 0},
		} {
			_, b := e.do("GET", "/api/v1/ledgers/summary?"+tc.query, "leader", nil)
			figures, _ := b["figures"].(map[string]any)["indicators"].(map[string]any)
			if figures["criminal_cases_solved"] != tc.criminal || figures["administrative_cases"] != tc.adminis || figures["id_cards"] != 0.0 {
				t.Errorf("summary %s: %v", tc.query, fmt.Sprint(b["figures"]))
			}
		}

		// An indicator's figure may be a campaign's target.
		st, b = e.do("POST", "/api/v1/campaigns", "leader", map[string]any{"name": "破案攻坚", "from": "2021-01-01", "to": "2021-12-31",
			"targets": map[string]any{"indicators.criminal_cases_solved": 300}})
		if st != 201 {
			t.Fatalf("campaign on an indicator: %d %v", st, b)
		}
		if st, b := e.do("POST", "/api/v1/campaigns", "leader", map[string]any{"name": "错的", "from": "2021-01-01", "to": "2021-12-31",
			"targets": map[string]any{"indicators.nope": 1}}); st != 400 {
			t.Errorf("campaign on an undefined indicator: %d %v", st, b)
		}
	})
}

// hasField reports whether an error answer names field.
func hasField(b map[string]any, field string) bool {
	_, ok := fieldsOf(b)[field]
	return ok
}

// The campaign form offers each indicator as a target, named as the admin
// named it.
func TestCampaignFormNamesIndicators(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		if st, b := e.do("POST", "/api/v1/indicators", "admin", map[string]any{"code": "id_cards", "name": "办理身份证",
			"name_en": "ID cards issued", "measure": "张", "aggregation": "sum"}); st != 201 {
			t.Fatalf("define: %d %v", st, b)
		}
		leader := e.loggedIn(t, "leader")
		mustSee(t, "campaign form", leader.get("/staff/campaigns/new"), 200,
			`value="indicators.criminal_cases_solved"`, "破获刑事案件", `value="indicators.id_cards"`, "办理身份证")
	})
}
