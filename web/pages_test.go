package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

func TestCitizenPagesAreLight(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	number, _ := v.writeIn(url.Values{"kind": {"suggestion"}, "text": {"建议在村口装路灯"}})
	asset := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	for _, path := range []string{"/", "/write", "/write?channel=online_desk", "/ask", "/privacy", "/track", "/track/" + number, "/desk", "/matters", "/service-points", "/login"} {
		t.Run(path, func(t *testing.T) {
			st, body := v.get(path)
			if st != http.StatusOK {
				t.Fatalf("%d %s", st, body)
			}
			total := len(body)
			for _, m := range asset.FindAllStringSubmatch(body, -1) {
				_, b := v.get(m[1])
				total += len(b)
				// The fonts a stylesheet names count too: the 2 KB that
				// draws the language switch's ᠮᠣᠩᠭᠣᠯ.
				for _, f := range cssAsset.FindAllStringSubmatch(b, -1) {
					_, fb := v.get(f[1])
					total += len(fb)
				}
			}
			t.Logf("%s: %d bytes with its styles, scripts and fonts", path, total)
			if total > 100<<10 {
				t.Errorf("%s weighs %d bytes before photos, over 100 KB", path, total)
			}
		})
	}
}

func TestPageFormsNeedTheAntiForgeryToken(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	before := e.count()
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"write in, no token", "/write", url.Values{"kind": {"help"}, "text": {"x"}, "csrf_token": {""}}},
		{"write in, wrong token", "/write", url.Values{"kind": {"help"}, "text": {"x"}, "csrf_token": {strings.Repeat("A", 43)}}},
		{"login, no token", "/login", url.Values{"name": {"admin"}, "password": {e.passwords["admin"]}, "csrf_token": {""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v.csrf() // the visitor has a real token; the form does not carry it
			if st, body := v.post(tt.path, tt.form); st != http.StatusForbidden {
				t.Errorf("%d %s", st, body)
			}
		})
	}
	if after := e.count(); after != before {
		t.Errorf("refused forms filed %d items", after-before)
	}
	// A form from another site is refused even with a token, by origin.
	req, _ := http.NewRequest("POST", e.url+"/write", strings.NewReader(url.Values{"kind": {"help"}, "text": {"x"}, "csrf_token": {v.csrf()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if st, _ := v.send(req); st != http.StatusForbidden {
		t.Errorf("cross-site post: %d", st)
	}
}

func TestScriptInCitizenTextStaysText(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	payload := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	number, _ := v.writeIn(url.Values{"kind": {"consultation"}, "channel": {"online_desk"}, "publish": {"1"},
		"text": {"问题" + payload}, "name": {"张" + payload[:8]}, "township": {payload[:20]}, "village": {payload[:20]}, "address": {payload[:20] + "3组12号"}})
	// Staff answer in public, with markup of their own, so it reaches the desk.
	for _, step := range []struct {
		user string
		act  map[string]any
	}{
		{"leader", map[string]any{"action": "dispatch", "unit": "a", "version": 1}},
		{"officer-a", map[string]any{"action": "sign", "version": 2}},
		{"officer-a", map[string]any{"action": "answer", "body": "答复" + payload, "version": 3}},
	} {
		if st, b := e.do("POST", "/api/v1/items/"+number+"/actions", step.user, step.act); st != 200 {
			act := step.act
			t.Fatalf("%v: %d %v", act, st, b)
		}
	}
	staff := e.loggedIn(t, "leader")
	pages := []struct {
		get  func(string) (int, string)
		path string
	}{
		{v.get, "/track/" + number},
		{e.visitor().get, "/desk"},
		{e.visitor().get, "/desk/" + number},
		{e.visitor().get, "/desk?q=" + url.QueryEscape("问题")},
		{func(path string) (int, string) { p := staff.get(path); return p.status, p.body }, "/staff?queue=all"},
	}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			st, body := p.get(p.path)
			if st != http.StatusOK {
				t.Fatalf("%d %s", st, body)
			}
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
				t.Errorf("markup from citizens or staff reached the page unescaped")
			}
			if !strings.Contains(body, "&lt;script&gt;alert") {
				t.Errorf("the text with markup is not shown at all")
			}
		})
	}
}

func TestStaffLoginLockout(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	for i := range 5 {
		if st, _ := v.post("/login", url.Values{"name": {"officer-a"}, "password": {"wrong"}}); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, st)
		}
	}
	st, body := v.post("/login", url.Values{"name": {"officer-a"}, "password": {e.passwords["officer-a"]}})
	if st != http.StatusTooManyRequests || !strings.Contains(body, "锁定") {
		t.Fatalf("the sixth attempt, with the right password: %d", st)
	}
	// Another account is not affected, and an unknown name reads the same as a wrong password.
	if st, _ := v.post("/login", url.Values{"name": {"nobody"}, "password": {"x"}}); st != http.StatusUnauthorized {
		t.Errorf("unknown name: %d", st)
	}
	e.loggedIn(t, "officer-b")
}

func TestStaffPagesNeedLogin(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	s := e.staffer(t)
	if p := s.get("/staff"); p.status != http.StatusSeeOther || p.location != "/login?next=%2Fstaff" {
		t.Fatalf("anonymous inbox: %d → %q", p.status, p.location)
	}
	s.mustLogIn("officer-a", e.passwords["officer-a"])
	if p := s.get("/staff"); p.status != http.StatusOK || !strings.Contains(p.body, "待办工作") {
		t.Fatalf("inbox after login: %d", p.status)
	}
	// Logging out ends the session for good.
	if p := s.submit("/staff", "/logout", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", p.status)
	}
	if p := s.get("/staff"); p.status != http.StatusSeeOther {
		t.Fatalf("inbox after logout: %d", p.status)
	}
}

func TestStaffSessionsExpire(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db, withConfig(web.Config{Dialect: db.Dialect(), SessionIdle: time.Second, SessionMax: time.Hour}))
	s := e.loggedIn(t, "officer-a")
	if p := s.get("/staff"); p.status != http.StatusOK {
		t.Fatalf("inbox right after login: %d", p.status)
	}
	time.Sleep(1500 * time.Millisecond)
	if p := s.get("/staff"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("inbox after the idle timeout: %d", p.status)
	}
}

// TestStaffSessionsLastWhileUsed: a session in use outlives its idle
// timeout, although not every request writes it (see sessionStore).
func TestStaffSessionsLastWhileUsed(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db, withConfig(web.Config{Dialect: db.Dialect(), SessionIdle: time.Second, SessionMax: time.Hour}))
	s := e.loggedIn(t, "officer-a")
	for i := range 10 { // 2.5 s in all
		time.Sleep(250 * time.Millisecond)
		if p := s.get("/staff"); p.status != http.StatusOK {
			t.Fatalf("request %d, %v after login: %d → %q", i+1, time.Duration(i+1)*250*time.Millisecond, p.status, p.location)
		}
	}
	time.Sleep(1200 * time.Millisecond)
	if p := s.get("/staff"); p.status != http.StatusSeeOther {
		t.Fatalf("after the idle timeout: %d", p.status)
	}
}

// TestNotificationPollDoesNotKeepSessionsAlive: the header's poll of the
// unread count (app.js, every minute while the tab is visible) is answered
// while the session lives but is not the user's activity, so a session
// polled but otherwise idle past its timeout is ended, on both databases.
func TestNotificationPollDoesNotKeepSessionsAlive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withConfig(web.Config{Dialect: db.Dialect(), SessionIdle: time.Second, SessionMax: time.Hour}))
		s := e.loggedIn(t, "officer-a")
		if p := s.get("/staff"); p.status != http.StatusOK {
			t.Fatalf("inbox right after login: %d", p.status)
		}
		start := time.Now()
		for i := range 3 { // 0.75 s in all, within the idle timeout of the inbox's view
			time.Sleep(250 * time.Millisecond)
			p := s.get("/staff/notifications/count")
			if time.Since(start) < 900*time.Millisecond && (p.status != http.StatusOK || !strings.Contains(p.body, `"unread":`)) {
				t.Fatalf("poll %d: %d %q", i+1, p.status, p.body)
			}
		}
		time.Sleep(600 * time.Millisecond) // 1.35 s after the last page, 0.6 s after the last poll
		if p := s.get("/staff"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
			t.Fatalf("the polls kept the session alive past its idle timeout: %d", p.status)
		}
	})
}

func TestPasswordResetEndsSessions(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newEnv(t, db)
	s := e.loggedIn(t, "officer-a")
	if p := s.get("/staff"); p.status != http.StatusOK {
		t.Fatalf("inbox: %d", p.status)
	}
	u, err := db.UserByName(ctx, "officer-a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.NewService(db).ResetPassword(ctx, org.Operator("test"), u); err != nil {
		t.Fatal(err)
	}
	if p := s.get("/staff"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("a session opened with the old password still works: %d", p.status)
	}
}

func TestLockoutHoldsUnderABurst(t *testing.T) {
	e := newEnv(t, testdb.Open(t, "sqlite"))
	v := e.visitor()
	v.csrf()
	statuses := make(chan int, 20)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, _ := v.post("/login", url.Values{"name": {"admin"}, "password": {"guess"}})
			statuses <- st
		}()
	}
	wg.Wait()
	close(statuses)
	checked := 0
	for st := range statuses {
		if st == http.StatusUnauthorized {
			checked++
		} else if st != http.StatusTooManyRequests {
			t.Errorf("status %d", st)
		}
	}
	if checked != 5 {
		t.Errorf("%d of 20 simultaneous guesses were checked, want 5", checked)
	}
}
