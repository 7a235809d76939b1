package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// apiStatus is the status of a staff-only API request carrying token.
func (e *env) apiStatus(token string) int {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.url+"/api/v1/items", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// issue makes a fresh token for the user, valid for the default lifetime.
func (e *env) issue(name string) string {
	e.t.Helper()
	tok, _, err := org.NewService(e.db).IssueToken(ctx, org.Operator("test"), name, "test", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func TestStaffTokensEndWithWhatTheyStoodFor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.loggedIn(t, "admin")
		editUser := func(name string, form url.Values) {
			t.Helper()
			if p := admin.submit("/staff/admin/users/"+name+"/edit", "/staff/admin/users/"+name, form); p.status != http.StatusSeeOther {
				t.Fatalf("edit %s: %d %s", name, p.status, p.body)
			}
		}
		setDisabled := func(name, v string) {
			t.Helper()
			if p := admin.submit("/staff/admin/users/"+name+"/edit", "/staff/admin/users/"+name+"/status", url.Values{"disabled": {v}}); p.status != http.StatusSeeOther {
				t.Fatalf("status %s=%s: %d %s", name, v, p.status, p.body)
			}
		}

		t.Run("a fresh token works", func(t *testing.T) {
			if st := e.apiStatus(e.issue("officer-a")); st != http.StatusOK {
				t.Fatalf("%d", st)
			}
		})
		t.Run("an expired token is refused", func(t *testing.T) {
			tok, _, err := (&org.Service{Store: db, Now: func() time.Time { return time.Now().Add(-25 * time.Hour) }}).IssueToken(ctx, org.Operator("test"), "officer-a", "old", 24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("expired token: %d", st)
			}
		})
		t.Run("a revoked token is refused", func(t *testing.T) {
			tok, rec, err := org.NewService(db).IssueToken(ctx, org.Operator("test"), "officer-a", "to revoke", 0)
			if err != nil {
				t.Fatal(err)
			}
			other := e.issue("officer-a")
			if _, err := org.NewService(db).RevokeToken(ctx, mustUser(t, e, "officer-b"), mustUser(t, e, "officer-a"), rec.ID); err == nil {
				t.Fatal("another officer revoked the token")
			}
			if _, err := org.NewService(db).RevokeToken(ctx, mustUser(t, e, "officer-a"), mustUser(t, e, "officer-a"), rec.ID); err != nil {
				t.Fatal(err)
			}
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("revoked token: %d", st)
			}
			if st := e.apiStatus(other); st != http.StatusOK {
				t.Fatalf("revoking one token ended another: %d", st)
			}
		})
		t.Run("changing one's password revokes", func(t *testing.T) {
			tok := e.issue("officer-a")
			s := e.loggedIn(t, "officer-a")
			pw := "a new long password"
			if p := s.submit("/staff/account", "/staff/account/password", url.Values{"current": {e.passwords["officer-a"]}, "password": {pw}, "confirm": {pw}}); p.status != http.StatusSeeOther {
				t.Fatalf("change: %d %s", p.status, p.body)
			}
			e.passwords["officer-a"] = pw
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("token after the password change: %d", st)
			}
		})
		t.Run("an admin's password reset revokes", func(t *testing.T) {
			tok := e.issue("officer-b")
			if p := admin.submit("/staff/admin/users/officer-b/edit", "/staff/admin/users/officer-b/password", url.Values{}); p.status != http.StatusSeeOther {
				t.Fatalf("reset: %d", p.status)
			}
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("token after the reset: %d", st)
			}
		})
		t.Run("disable and enable does not bring a token back", func(t *testing.T) {
			tok := e.issue("leader")
			setDisabled("leader", "1")
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("token of a disabled user: %d", st)
			}
			setDisabled("leader", "0")
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("token after enabling again: %d", st)
			}
		})
		t.Run("a role change revokes", func(t *testing.T) {
			tok := e.issue("leader")
			editUser("leader", url.Values{"role": {"unit_head"}, "unit": {"a"}})
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("token after the role change: %d", st)
			}
		})
		t.Run("a unit change revokes; a new display name does not", func(t *testing.T) {
			tok := e.issue("leader") // now unit_head of a
			editUser("leader", url.Values{"role": {"unit_head"}, "unit": {"a"}, "display_name": {"孙八"}})
			if st := e.apiStatus(tok); st != http.StatusOK {
				t.Fatalf("token after a new display name: %d", st)
			}
			editUser("leader", url.Values{"role": {"unit_head"}, "unit": {"b"}})
			if st := e.apiStatus(tok); st != http.StatusUnauthorized {
				t.Fatalf("token after the unit change: %d", st)
			}
		})
		t.Run("a token is no login on pages", func(t *testing.T) {
			tok := e.issue("admin")
			for _, path := range []string{"/staff", "/staff/admin/users", "/staff/account"} {
				req, _ := http.NewRequest("GET", e.url+path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				p := e.staffer(t).do(req)
				if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
					t.Errorf("%s with a bearer token: %d %s", path, p.status, p.location)
				}
			}
			if st := e.apiStatus(tok); st != http.StatusOK {
				t.Fatalf("the token on the API: %d", st)
			}
		})
	})
}

var newTokenOnPage = regexp.MustCompile(`<code id="new-token">(mny_[A-Za-z0-9_-]+)</code>`)

func TestStaffManageTheirTokensOnPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s := e.loggedIn(t, "officer-a")
		p := s.shown(s.submit("/staff/account", "/staff/account/tokens", url.Values{"label": {"周报脚本"}, "days": {"30"}}))
		m := newTokenOnPage.FindStringSubmatch(p.body)
		if p.status != http.StatusOK || m == nil {
			t.Fatalf("create: %d %s", p.status, p.body)
		}
		tok := m[1]
		if st := e.apiStatus(tok); st != http.StatusOK {
			t.Fatalf("the token shown: %d", st)
		}
		_, rec, err := org.NewService(db).Authenticate(ctx, tok)
		if err != nil || rec.Label != "周报脚本" || rec.ExpiresAt.Sub(rec.CreatedAt) != 30*24*time.Hour {
			t.Fatalf("stored %+v %v", rec, err)
		}
		p = s.get("/staff/account")
		if strings.Contains(p.body, tok) || !strings.Contains(p.body, "周报脚本") || !strings.Contains(p.body, `id="token-`+itoa(rec.ID)+`"`) {
			t.Fatalf("the account page must list the token, never the secret again: %s", p.body)
		}
		if p := s.submit("/staff/account", "/staff/account/tokens", url.Values{"days": {"9999"}}); p.status != http.StatusBadRequest {
			t.Fatalf("a lifetime over the maximum: %d", p.status)
		}

		other := e.issue("officer-b")
		_, otherRec, _ := org.NewService(db).Authenticate(ctx, other)
		if p := s.post("/staff/account/tokens/"+itoa(otherRec.ID)+"/revoke", url.Values{"csrf_token": {s.token("/staff/account")}}); p.status != http.StatusNotFound {
			t.Fatalf("revoking another user's token from one's account: %d", p.status)
		}
		if st := e.apiStatus(other); st != http.StatusOK {
			t.Fatalf("another user's token was revoked: %d", st)
		}
		if p := s.submit("/staff/account", "/staff/account/tokens/"+itoa(rec.ID)+"/revoke", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d %s", p.status, p.body)
		}
		if st := e.apiStatus(tok); st != http.StatusUnauthorized {
			t.Fatalf("the revoked token: %d", st)
		}

		t.Run("an admin lists and revokes a user's tokens", func(t *testing.T) {
			admin := e.loggedIn(t, "admin")
			edit := "/staff/admin/users/officer-b/edit"
			p := admin.get(edit)
			if !strings.Contains(p.body, `id="token-`+itoa(otherRec.ID)+`"`) || strings.Contains(p.body, other) {
				t.Fatalf("the user's page must list the token, not the secret: %s", p.body)
			}
			if p := admin.post("/staff/admin/users/officer-a/tokens/"+itoa(otherRec.ID)+"/revoke", url.Values{"csrf_token": {admin.token(edit)}}); p.status != http.StatusNotFound {
				t.Fatalf("a token under another user's address: %d", p.status)
			}
			if p := admin.submit(edit, "/staff/admin/users/officer-b/tokens/"+itoa(otherRec.ID)+"/revoke", url.Values{}); p.status != http.StatusSeeOther {
				t.Fatalf("revoke: %d %s", p.status, p.body)
			}
			if st := e.apiStatus(other); st != http.StatusUnauthorized {
				t.Fatalf("the revoked token: %d", st)
			}
			officer := e.loggedIn(t, "officer-b")
			if p := officer.post("/staff/admin/users/officer-a/tokens/1/revoke", url.Values{"csrf_token": {officer.token("/staff/account")}}); p.status != http.StatusForbidden {
				t.Fatalf("an officer on the admin's revoke: %d", p.status)
			}
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSettingUpTOTPWithoutTheServersKeySaysSo(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	db.SetSecretKey(nil)
	e := newEnv(t, db)
	s := e.loggedIn(t, "officer-a")
	p := s.submit("/staff/account", "/staff/account/totp/start", url.Values{})
	if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, "MINYI_SECRET_KEY") || strings.Contains(p.body, "totp-secret") {
		t.Fatalf("%d %s", p.status, p.body)
	}
}
