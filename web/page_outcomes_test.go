package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// outcomeRows is the outcomes' editor sent with rows of code, Chinese,
// English and unit.
func outcomeRows(rows ...[4]string) url.Values {
	f := url.Values{"section": {"outcomes"}}
	for _, r := range rows {
		f["outcome_code"] = append(f["outcome_code"], r[0])
		f["outcome_zh"] = append(f["outcome_zh"], r[1])
		f["outcome_en"] = append(f["outcome_en"], r[2])
		f["outcome_unit"] = append(f["outcome_unit"], r[3])
	}
	return f
}

// TestAdminSettingsOutcomes walks the outcomes' editor: only admins, a bad
// row refused beside it with what was typed kept and nothing stored, a good
// list stored and shown again, and its names on the campaign's targets, the
// matter's completion form and the citizens' accountability page in both
// languages.
func TestAdminSettingsOutcomes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUnits(ledgerTowns...),
			withUsers(org.User{Name: "li", DisplayName: "李警官", Role: org.RoleOfficer, UnitCode: "c"}))
		if p := e.loggedIn(t, "officer-a").get("/staff/admin/settings"); p.status != http.StatusForbidden {
			t.Errorf("an officer opens the settings: %d", p.status)
		}
		admin := e.loggedIn(t, "admin")
		if body := admin.open("/staff/admin/settings"); !strings.Contains(body, `value="cattle"`) || !strings.Contains(body, `value="牛"`) {
			t.Fatalf("the editor does not start from the defaults")
		}
		tests := []struct {
			name   string
			rows   [][4]string
			status int
			errRow string // the row whose error is shown beside it
		}{
			{"a code in capitals", [][4]string{{"wells", "水井", "Wells dug", "口"}, {"Cattle", "牛", "Cattle", "头"}}, http.StatusBadRequest, "2"},
			{"a row without its English name", [][4]string{{"wells", "水井", "Wells dug", "口"}, {}, {"cattle", "牛", "", "头"}}, http.StatusBadRequest, "3"},
			{"a code twice", [][4]string{{"wells", "水井", "Wells dug", "口"}, {"wells", "井", "Wells", "口"}}, http.StatusBadRequest, "2"},
			{"good, with a blank row", [][4]string{{"wells", "水井", "Wells dug", "口"}, {}, {"cattle", "牛", "Cattle", "头"}, {}}, http.StatusSeeOther, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := admin.submit("/staff/admin/settings", "/staff/admin/settings", outcomeRows(tt.rows...))
				if p.status != tt.status {
					t.Fatalf("save: %d %s", p.status, p.body)
				}
				if tt.errRow == "" {
					return
				}
				if !strings.Contains(p.body, `id="outcome-err-`+tt.errRow+`"`) || !strings.Contains(p.body, `value="水井"`) {
					t.Errorf("the refusal is not beside row %s or the rows typed are lost: %s", tt.errRow, p.body)
				}
				if body := admin.open("/staff/admin/settings"); strings.Contains(body, `value="wells"`) {
					t.Errorf("a refused list was stored")
				}
			})
		}
		body := admin.open("/staff/admin/settings")
		if !strings.Contains(body, `value="wells"`) || !strings.Contains(body, `value="Wells dug"`) || strings.Contains(body, `value="sheep"`) {
			t.Fatalf("the page does not show the list saved")
		}
		// Sent again (a reload after the redirect): the same list.
		if p := admin.submit("/staff/admin/settings", "/staff/admin/settings", outcomeRows([4]string{"wells", "水井", "Wells dug", "口"}, [4]string{"cattle", "牛", "Cattle", "头"})); p.status != http.StatusSeeOther {
			t.Fatalf("saved again: %d", p.status)
		}

		// A campaign's target may aim at a configured key, named as set.
		if body := e.loggedIn(t, "leader").open("/staff/campaigns/new"); !strings.Contains(body, "实事成效：水井（口）") || !strings.Contains(body, `value="matters.outcome_wells"`) {
			t.Errorf("the campaign form does not offer the configured outcome as a target")
		}

		// The completion form asks for the bureau's keys by their names.
		started := publicMatter(t, e, map[string]any{"title": "打井", "unit": "c", "class": "hard", "published": true,
			"beneficiary": map[string]any{"kind": "village", "name": "东村"}}, map[string]any{"action": "start"})
		form := e.loggedIn(t, "li").open(fmt.Sprintf("/staff/matters/%d", started))
		if !strings.Contains(form, `name="outcome.wells"`) || !strings.Contains(form, "水井（口）") || strings.Contains(form, `name="outcome.sheep"`) {
			t.Errorf("the completion form does not ask for the bureau's keys")
		}
		done := publicMatter(t, e, map[string]any{"title": "帮助村民打井", "unit": "c", "class": "hard", "published": true,
			"beneficiary": map[string]any{"kind": "village", "name": "东村"}}, map[string]any{"action": "start"},
			map[string]any{"action": "complete", "story": "打井两口，解决饮水", "outcomes": map[string]any{"wells": 2}})
		for lang, want := range map[string]string{"zh-CN": "水井（口）", "en": "Wells dug"} {
			if body := citizenAt(t, e, lang).get(fmt.Sprintf("/matters/%d", done)).body; !strings.Contains(body, want) {
				t.Errorf("the accountability page in %s does not name the outcome %s", lang, want)
			}
		}
	})
}
