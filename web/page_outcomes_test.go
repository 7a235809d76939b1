package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestAdminSettingsOutcomes: the outcomes saved in the editor (its
// mechanics are TestAdminSettingsCodeLists') name the campaign's targets,
// the matter's completion form and the citizens' accountability page in
// both languages.
func TestAdminSettingsOutcomes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUnits(ledgerTowns...),
			withUsers(org.User{Name: "li", DisplayName: "李警官", Role: org.RoleOfficer, UnitCode: "c"}))
		admin := e.loggedIn(t, "admin")
		if p := admin.submit("/staff/admin/settings", "/staff/admin/settings", codeListRows("outcomes", "outcome",
			[]string{"wells", "水井", "Wells dug", "口"}, []string{"cattle", "牛", "Cattle", "头"})); p.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.status, p.body)
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
