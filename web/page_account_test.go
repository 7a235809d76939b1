package web_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

func TestChangeOwnPassword(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	s := e.loggedIn(t, "officer-a")
	old := e.passwords["officer-a"]
	tests := []struct {
		name                       string
		current, password, confirm string
		want                       int
		text                       string // on the page, at the field
	}{
		{"wrong current password", "wrong password", "a new long password", "a new long password", 400, "当前密码不正确"},
		{"too short", old, "short", "short", 400, "至少需要10个字符"},
		{"ten characters", old, "Officer-A1", "Officer-A1", 303, ""},
		{"confirmation differs", "", "another long one", "another long ONE", 400, "两次输入的新密码不一致"},
		{"the user name exactly", "", "officer-a", "officer-a", 400, "至少需要10个字符"},
	}
	current := old
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.current == "" {
				tt.current = current
			}
			before, _ := e.db.UserByName(ctx, "officer-a")
			p := s.submit("/staff/account", "/staff/account/password", url.Values{"current": {tt.current}, "password": {tt.password}, "confirm": {tt.confirm}})
			if p.status != tt.want {
				t.Fatalf("%d %s", p.status, p.body)
			}
			after, _ := e.db.UserByName(ctx, "officer-a")
			if tt.want != http.StatusSeeOther {
				if m := fieldError.FindStringSubmatch(p.body); m == nil || !strings.Contains(m[1], tt.text) {
					t.Fatalf("field error %v, want %q", m, tt.text)
				}
				if after.PasswordHash != before.PasswordHash {
					t.Fatal("a refused change changed the password")
				}
				return
			}
			current = tt.password
			if flash := s.get(p.location).body; !strings.Contains(flash, "密码已修改") {
				t.Fatal("no message after the change")
			}
		})
	}
	if p := e.staffer(t).logIn("officer-a", old); p.status != http.StatusUnauthorized {
		t.Fatalf("the old password still works: %d", p.status)
	}
	if p := e.staffer(t).logIn("officer-a", current); p.status != http.StatusSeeOther {
		t.Fatalf("the new password does not work: %d", p.status)
	}
	// The wrong current password above counted toward the lockout, and the
	// successful login cleared it.
	if n, _ := e.db.RecentLoginFailures(ctx, "officer-a", "", time.Now().Add(-time.Hour), time.Now()); n.Name != 0 {
		t.Fatalf("%d failures left after a good login", n)
	}
}

func TestWrongCurrentPasswordsLockTheAccount(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	s := e.loggedIn(t, "officer-a")
	for i := range 5 {
		if p := s.submit("/staff/account", "/staff/account/password", url.Values{"current": {"guess"}, "password": {"a new long password"}, "confirm": {"a new long password"}}); p.status != http.StatusBadRequest {
			t.Fatalf("guess %d: %d", i, p.status)
		}
	}
	p := s.submit("/staff/account", "/staff/account/password", url.Values{"current": {e.passwords["officer-a"]}, "password": {"a new long password"}, "confirm": {"a new long password"}})
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("after five guesses: %d", p.status)
	}
	if p := e.staffer(t).logIn("officer-a", e.passwords["officer-a"]); p.status != http.StatusTooManyRequests {
		t.Fatalf("login after five guesses: %d", p.status)
	}
}

var secretOnPage = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)

// enrol sets up a second factor for a logged-in staffer through the account
// page and returns its secret.
func enrol(t *testing.T, s *staffer) string {
	t.Helper()
	if p := s.submit("/staff/account", "/staff/account/totp/start", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", p.status, p.body)
	}
	p := s.get("/staff/account")
	m := secretOnPage.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no secret on the page: %s", p.body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if !strings.Contains(p.body, "otpauth://totp/") {
		t.Fatal("no otpauth link on the page")
	}
	qr := s.get("/staff/account/totp/qr.svg")
	if qr.status != http.StatusOK || !strings.HasPrefix(qr.body, "<svg") {
		t.Fatalf("QR code: %d %.40s", qr.status, qr.body)
	}
	// A wrong code does not turn it on.
	if p := s.submit("/staff/account", "/staff/account/totp/confirm", url.Values{"code": {wrongCode(t, secret)}}); p.status != http.StatusBadRequest {
		t.Fatalf("confirm with a wrong code: %d", p.status)
	}
	if p := s.get("/staff/account"); strings.Contains(p.body, `id="totp-on"`) {
		t.Fatal("on after a wrong code")
	}
	if p := s.submit("/staff/account", "/staff/account/totp/confirm", url.Values{"code": {codeAt(t, secret, 0)}}); p.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", p.status, p.body)
	}
	if p := s.get("/staff/account"); !strings.Contains(p.body, `id="totp-on"`) {
		t.Fatal("not on after the right code")
	}
	return secret
}

// codeAt is the code of secret steps×30 s from now.
func codeAt(t *testing.T, secret string, steps int) string {
	t.Helper()
	c, err := org.TOTPCode(secret, time.Now().Add(time.Duration(steps)*org.TOTPPeriod*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a code valid at no step near now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	near := map[string]bool{}
	for i := -2; i <= 2; i++ {
		near[codeAt(t, secret, i)] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444", "555555"} {
		if !near[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

func TestSecondFactorLogin(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	s := e.loggedIn(t, "officer-a")
	secret := enrol(t, s)
	if p := s.submit("/staff", "/logout", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", p.status)
	}

	// The password alone now leads to the code page, not in.
	p := s.logIn("officer-a", e.passwords["officer-a"])
	if p.status != http.StatusSeeOther || p.location != "/login/totp" {
		t.Fatalf("password: %d %s", p.status, p.location)
	}
	if p := s.get("/staff"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("inbox before the code: %d %s", p.status, p.location)
	}
	p = s.submit("/login/totp", "/login/totp", url.Values{"code": {wrongCode(t, secret)}})
	if p.status != http.StatusUnauthorized || !strings.Contains(p.body, "动态验证码不正确") {
		t.Fatalf("wrong code: %d", p.status)
	}
	if p := s.get("/staff"); p.status != http.StatusSeeOther {
		t.Fatalf("inbox after a wrong code: %d", p.status)
	}
	// The code used to confirm the set-up was for this step; the next one is
	// accepted too (a phone slightly ahead), once.
	next := codeAt(t, secret, 1)
	p = s.submit("/login/totp", "/login/totp", url.Values{"code": {next[:3] + " " + next[3:]}})
	if p.status != http.StatusSeeOther || p.location != "/staff" {
		t.Fatalf("right code: %d %s %s", p.status, p.location, p.body)
	}
	if p := s.get("/staff"); p.status != http.StatusOK {
		t.Fatalf("inbox after the code: %d", p.status)
	}
	if n, _ := e.db.RecentLoginFailures(ctx, "officer-a", "", time.Now().Add(-time.Hour), time.Now()); n.Name != 0 {
		t.Fatalf("%d failures left after a good login", n)
	}

	t.Run("a code logs in once", func(t *testing.T) {
		other := e.staffer(t)
		other.logIn("officer-a", e.passwords["officer-a"])
		if p := other.submit("/login/totp", "/login/totp", url.Values{"code": {next}}); p.status != http.StatusUnauthorized {
			t.Fatalf("replayed code: %d", p.status)
		}
	})

	t.Run("the code page needs the password first", func(t *testing.T) {
		stranger := e.staffer(t)
		if p := stranger.get("/login/totp"); p.status != http.StatusSeeOther || p.location != "/login" {
			t.Fatalf("%d %s", p.status, p.location)
		}
		stranger.get("/login")
		p := stranger.post("/login/totp", url.Values{"code": {codeAt(t, secret, 0)}, "csrf_token": {html.UnescapeString(csrfOnPage.FindStringSubmatch(stranger.get("/login").body)[1])}})
		if p.status != http.StatusSeeOther || p.location != "/login" {
			t.Fatalf("code without password: %d %s", p.status, p.location)
		}
	})

	t.Run("wrong codes lock the account", func(t *testing.T) {
		e.db.ClearLoginFailures(ctx, "officer-a", "")
		guesser := e.staffer(t)
		guesser.logIn("officer-a", e.passwords["officer-a"])
		for i := range 5 {
			if p := guesser.submit("/login/totp", "/login/totp", url.Values{"code": {wrongCode(t, secret)}}); p.status != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i, p.status)
			}
		}
		if p := guesser.post("/login/totp", url.Values{"code": {codeAt(t, secret, 0)}, "csrf_token": {html.UnescapeString(csrfOnPage.FindStringSubmatch(guesser.get("/login/totp").body)[1])}}); p.status != http.StatusTooManyRequests {
			t.Fatalf("right code after five guesses: %d", p.status)
		}
		if p := e.staffer(t).logIn("officer-a", e.passwords["officer-a"]); p.status != http.StatusTooManyRequests {
			t.Fatalf("password after five guesses: %d", p.status)
		}
		e.db.ClearLoginFailures(ctx, "officer-a", "")
	})

	t.Run("turning it off needs a code", func(t *testing.T) {
		if p := s.submit("/staff/account", "/staff/account/totp/disable", url.Values{"code": {wrongCode(t, secret)}}); p.status != http.StatusBadRequest {
			t.Fatalf("wrong code: %d", p.status)
		}
		if p := s.submit("/staff/account", "/staff/account/totp/disable", url.Values{"code": {codeAt(t, secret, -1)}}); p.status != http.StatusSeeOther {
			// -1 is older than the step used to log in: refused.
			if p.status != http.StatusBadRequest {
				t.Fatalf("old code: %d", p.status)
			}
		} else {
			t.Fatal("a code older than the last used one was accepted")
		}
		if p := s.submit("/staff/account", "/staff/account/totp/disable", url.Values{"code": {next}}); p.status == http.StatusSeeOther {
			t.Fatal("the code already used to log in was accepted again")
		}
		// Forget the steps used, rather than wait half a minute for a new one.
		u, _ := e.db.UserByName(ctx, "officer-a")
		if err := e.db.SetUserTOTP(ctx, u.ID, secret); err != nil {
			t.Fatal(err)
		}
		if p := s.submit("/staff/account", "/staff/account/totp/disable", url.Values{"code": {codeAt(t, secret, 0)}}); p.status != http.StatusSeeOther {
			t.Fatalf("right code: %d %s", p.status, p.body)
		}
		if p := e.staffer(t).logIn("officer-a", e.passwords["officer-a"]); p.status != http.StatusSeeOther || p.location != "/staff" {
			t.Fatalf("login without a second factor: %d %s", p.status, p.location)
		}
	})
}

func TestAdminsMustHaveASecondFactor(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db, withConfig(web.Config{Dialect: db.Dialect(), RequireAdminTOTP: true}))
	admin := e.loggedIn(t, "admin")
	for _, path := range []string{"/staff", "/staff/admin", "/staff/admin/users", "/qr"} {
		if p := admin.get(path); p.status != http.StatusSeeOther || p.location != "/staff/account" {
			t.Fatalf("%s without a second factor: %d %s", path, p.status, p.location)
		}
	}
	if p := admin.get("/staff/account"); p.status != http.StatusOK || !strings.Contains(p.body, "管理员账号必须开启动态验证码") {
		t.Fatalf("account page: %d", p.status)
	}
	// Other roles are not held up.
	if p := e.loggedIn(t, "officer-a").get("/staff"); p.status != http.StatusOK {
		t.Fatalf("officer: %d", p.status)
	}
	secret := enrol(t, admin)
	if p := admin.get("/staff/admin"); p.status != http.StatusOK {
		t.Fatalf("admin pages after setting up: %d", p.status)
	}
	// The secret set up is no longer in the session: confirming again
	// starts over and changes nothing.
	token := html.UnescapeString(csrfOnPage.FindStringSubmatch(admin.get("/staff/account").body)[1])
	if p := admin.post("/staff/account/totp/confirm", url.Values{"code": {codeAt(t, secret, 1)}, "csrf_token": {token}}); p.status != http.StatusSeeOther {
		t.Fatalf("confirmed twice: %d", p.status)
	}
	u, _ := e.db.UserByName(ctx, "admin")
	if got, _, _ := e.db.UserTOTP(ctx, u.ID); got != secret {
		t.Fatal("confirming again changed the secret")
	}
	// Administrators cannot turn it off; the account page offers no form.
	if p := admin.get("/staff/account"); strings.Contains(p.body, `action="/staff/account/totp/disable"`) {
		t.Fatal("the page offers to turn the second factor off")
	}
	if p := admin.post("/staff/account/totp/disable", url.Values{"code": {codeAt(t, secret, 1)}, "csrf_token": {token}}); p.status != http.StatusForbidden {
		t.Fatalf("turning it off: %d", p.status)
	}

	t.Run("an admin can clear another user's factor", func(t *testing.T) {
		officer := e.loggedIn(t, "officer-a")
		enrol(t, officer)
		if p := admin.submit("/staff/admin/users/officer-a/edit", "/staff/admin/users/officer-a/totp", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("%d %s", p.status, p.body)
		}
		if p := e.staffer(t).logIn("officer-a", e.passwords["officer-a"]); p.location != "/staff" {
			t.Fatalf("login still asks for a code: %s", p.location)
		}
	})
}

// A second factor being set up waits in the user's session, a database
// row: sealed with the server's key there, as the confirmed one is.
func TestSecondFactorBeingSetUpIsSealedInTheSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s := e.loggedIn(t, "officer-a")
		if p := s.submit("/staff/account", "/staff/account/totp/start", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("start: %d %s", p.status, p.body)
		}
		m := secretOnPage.FindStringSubmatch(s.get("/staff/account").body)
		if m == nil {
			t.Fatal("no secret on the page")
		}
		secret := strings.ReplaceAll(m[1], " ", "")
		rows, err := testdb.Raw(t, db).Query("SELECT data FROM sessions")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				t.Fatal(err)
			}
			n++
			if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte("otpauth://")) {
				t.Errorf("a session row holds the secret being set up in clear")
			}
		}
		if n == 0 {
			t.Fatal("no session stored")
		}
		// It still works: the code from the secret on the page confirms it.
		if p := s.submit("/staff/account", "/staff/account/totp/confirm", url.Values{"code": {codeAt(t, secret, 0)}}); p.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", p.status, p.body)
		}
		if p := s.get("/staff/account"); !strings.Contains(p.body, `id="totp-on"`) {
			t.Fatal("the second factor is not on after confirming")
		}
	})
}
