package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

var contactOnPage = regexp.MustCompile(`id="contact-phone">(\d+)<`)

// TestSecretsAreShownOnceAfterARedirect: every form that makes something
// to be shown once — a new or reset password, an Open311 key, a webhook's
// signing secret, an API token, a citizen's contact revealed — answers 303
// to a page that shows it once, to the user who sent the form, in the
// browser that sent it; a reload shows it no more and repeats nothing, and
// the database never holds it in clear meanwhile.
func TestSecretsAreShownOnceAfterARedirect(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		second := org.User{Name: "admin-2", Role: org.RoleAdmin}
		pw, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &second)
		if err != nil {
			t.Fatal(err)
		}
		e.passwords[second.Name] = pw
		number := itemDeskFile(t, e, "户籍咨询", "")

		tests := []struct {
			name, user, other  string // who sends the form, and another user who may open that area
			from, action, area string
			form               url.Values
			secret             *regexp.Regexp
			works              func(t *testing.T, secret string) // the secret shown is the real one
		}{
			{"new user's password", "admin", "admin-2", "/staff/admin/users/new", "/staff/admin/users", "/staff/admin/shown/",
				url.Values{"name": {"zhao"}, "role": {"officer"}, "unit": {"b"}}, passwordOnPage,
				func(t *testing.T, secret string) {
					if p := e.staffer(t).logIn("zhao", secret); p.status != http.StatusSeeOther {
						t.Fatalf("login with the shown password: %d", p.status)
					}
				}},
			{"password reset", "admin", "admin-2", "/staff/admin/users/officer-b/edit", "/staff/admin/users/officer-b/password", "/staff/admin/shown/",
				url.Values{}, passwordOnPage,
				func(t *testing.T, secret string) {
					if p := e.staffer(t).logIn("officer-b", secret); p.status != http.StatusSeeOther {
						t.Fatalf("login with the shown password: %d", p.status)
					}
				}},
			{"Open311 key", "admin", "admin-2", "/staff/admin/apikeys/new", "/staff/admin/apikeys", "/staff/admin/shown/",
				url.Values{"name": {"city-app"}, "rate_per_minute": {"60"}}, apiKeyOnPage,
				func(t *testing.T, secret string) {
					if k, err := org.NewService(db).AuthenticateAPIKey(ctx, secret); err != nil || k.Name != "city-app" {
						t.Fatalf("the shown key: %+v %v", k, err)
					}
				}},
			{"webhook signing secret", "admin", "admin-2", "/staff/admin/webhooks/new", "/staff/admin/webhooks", "/staff/admin/shown/",
				url.Values{"name": {"市政务平台"}, "url": {"https://partner.example/hook"}, "events": {"received"}, "active": {"1"}}, webhookSecretOnPage,
				func(t *testing.T, secret string) {
					if hooks, _ := db.Webhooks(ctx); len(hooks) != 1 || hooks[0].Secret != secret {
						t.Fatalf("the shown secret is not the webhook's: %+v", hooks)
					}
				}},
			{"API token", "officer-a", "leader", "/staff/account", "/staff/account/tokens", "/staff/account/shown/",
				url.Values{"label": {"周报脚本"}, "days": {"30"}}, newTokenOnPage,
				func(t *testing.T, secret string) {
					if st := e.apiStatus(secret); st != http.StatusOK {
						t.Fatalf("the shown token: %d", st)
					}
				}},
			{"contact revealed", "officer-a", "leader", "/staff/items/" + number, "/staff/items/" + number + "/reveal", "/staff/items/" + number + "/shown/",
				url.Values{}, contactOnPage,
				func(t *testing.T, secret string) {
					if secret != "13900001111" {
						t.Fatalf("shown %s", secret)
					}
					it := stored(t, e, number)
					evs, err := db.ItemEvents(ctx, it.ID)
					if err != nil {
						t.Fatal(err)
					}
					n := 0
					for _, ev := range evs {
						if ev.Type == archive.EventContactRevealed {
							n++
						}
					}
					if n != 1 {
						t.Fatalf("%d reveals recorded after the form, two loads of its page and others' tries, want 1", n)
					}
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				owner := e.loggedIn(t, tt.user)
				p := owner.submit(tt.from, tt.action, tt.form)
				if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, tt.area) {
					t.Fatalf("the form answers %d → %q, want 303 to %s…: %s", p.status, p.location, tt.area, p.body)
				}
				if tt.secret.MatchString(p.body) {
					t.Fatal("the redirect shows the secret")
				}
				var key *http.Cookie
				for _, c := range p.cookies {
					if c.Name == "minyi_shown" {
						key = c
					}
				}
				if key == nil || key.Path != p.location || !key.HttpOnly || key.SameSite != http.SameSiteStrictMode || key.MaxAge < 1 || key.MaxAge > 600 {
					t.Fatalf("the key's cookie: %+v", key)
				}
				waiting := shownRows(t, db)
				if len(waiting) != 1 {
					t.Fatalf("%d secrets waiting, want 1", len(waiting))
				}

				// Another user, even with the owner's cookie, and another
				// session of the owner without it, find nothing, and take
				// nothing away from the owner.
				page, _ := url.Parse(e.url + p.location)
				other := e.loggedIn(t, tt.other)
				other.client.Jar.SetCookies(page, []*http.Cookie{{Name: key.Name, Value: key.Value, Path: key.Path}})
				elsewhere := e.loggedIn(t, tt.user)
				for who, s := range map[string]*staffer{"another user": other, "another session": elsewhere} {
					if q := s.get(p.location); q.status != http.StatusNotFound || tt.secret.MatchString(q.body) {
						t.Fatalf("%s opens the page: %d", who, q.status)
					}
				}

				first := owner.get(p.location)
				m := tt.secret.FindStringSubmatch(first.body)
				if first.status != http.StatusOK || m == nil {
					t.Fatalf("the page: %d %s", first.status, first.body)
				}
				if strings.Contains(first.body, "shown%2f") {
					t.Error("the language switch comes back to the page shown once, which is gone by then")
				}
				if first.cache != "no-store" {
					t.Errorf("Cache-Control %q", first.cache)
				}
				secret := html.UnescapeString(m[1])
				for _, row := range waiting {
					if strings.Contains(row, secret) {
						t.Fatalf("the database held the secret in clear: %s", row)
					}
				}
				if strings.Contains(key.Value, secret) {
					t.Fatal("the cookie holds the secret")
				}

				again := owner.get(p.location)
				if again.status != http.StatusNotFound || tt.secret.MatchString(again.body) || !strings.Contains(again.body, "只显示一次") {
					t.Fatalf("the page again: %d %s", again.status, again.body)
				}
				if n := len(shownRows(t, db)); n != 0 {
					t.Fatalf("%d secrets still waiting after they were shown", n)
				}
				tt.works(t, secret)
			})
		}
	})
}

// shownRows reads the secrets waiting to be shown behind the store's back,
// each row as one string of all its columns.
func shownRows(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := testdb.Raw(t, db).Query("SELECT id, owner_id, kind, sealed, created_at, expires_at FROM shown_once")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, kind, sealed string
		var owner, created, expires int64
		if err := rows.Scan(&id, &owner, &kind, &sealed, &created, &expires); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join([]string{id, kind, sealed}, " "))
	}
	return out
}
