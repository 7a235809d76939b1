package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

var revealLink = regexp.MustCompile(`<a href="([^"]+)" download id="export-reveal">导出（含完整个人信息）</a>`)

// TestPageExportReveal: a member of staff who may reveal personal data gets
// on the list pages' export links a choice to export them in full, which
// records the reveal on each record as the API's reveal=1 does; one who may
// not (an auxiliary) is offered none and refused it (403), nothing
// recorded. On SQLite and PostgreSQL.
func TestPageExportReveal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		aux := org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"}
		pw, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &aux)
		if err != nil {
			t.Fatal(err)
		}
		e.passwords[aux.Name] = pw
		st, b := e.do("POST", "/api/v1/items", "", citizenItem("落户 户籍"))
		if st != 201 {
			t.Fatalf("item: %d %v", st, b)
		}
		number := b["number"].(string)
		events := func() int {
			t.Helper()
			evs, err := db.ItemEvents(ctx, itemID(t, e, number))
			if err != nil {
				t.Fatal(err)
			}
			return len(evs)
		}

		officer := e.loggedIn(t, "officer-a")
		for _, path := range []string{"/staff?queue=all", "/staff/matters", "/staff/disputes"} {
			if p := officer.get(path); p.status != http.StatusOK || !revealLink.MatchString(p.body) {
				t.Errorf("%s offers officer-a no export in full: %d", path, p.status)
			}
		}
		m := revealLink.FindStringSubmatch(officer.get("/staff?queue=all").body)
		if m == nil {
			t.Fatal("no link")
		}
		href := html.UnescapeString(m[1])
		before := events()
		p := officer.get(href)
		if p.status != http.StatusOK || !strings.HasPrefix(p.body, "PK") || !strings.Contains(href, "reveal=1") {
			t.Fatalf("%s: %d %.200s", href, p.status, p.body)
		}
		evs, err := db.ItemEvents(ctx, itemID(t, e, number))
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if len(evs) != before+1 || last.Type != "contact_revealed" || last.Actor != "officer-a" || !strings.HasPrefix(last.Data["export"], "/staff?") {
			t.Errorf("the item's last event %+v, want the page export's reveal", last)
		}

		a := e.loggedIn(t, "aux-a")
		if body := a.get("/staff?queue=all").body; strings.Contains(body, `id="export-reveal"`) {
			t.Error("an auxiliary is offered the export in full")
		}
		before = events()
		for _, path := range []string{href, "/staff/matters?format=xlsx&reveal=1", "/staff/disputes?format=csv&reveal=1"} {
			if p := a.get(path); p.status != http.StatusForbidden {
				t.Errorf("auxiliary %s: %d, want 403", path, p.status)
			}
		}
		if events() != before {
			t.Error("a refused export recorded a reveal")
		}
	})
}
