package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testkit"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

// The kit of the black-box tests of web: one environment (a running server
// over a real database, with a small bureau's units, users, tokens and
// passwords) shaped by options, and the browsers that use it: a staffer
// for the staff pages, a visitor for the citizen's pages. A new page's or
// register's tests start here.

var ctx = context.Background()

// env is a running server over a real database with a few users.
type env struct {
	t      *testing.T
	db     *store.DB
	url    string
	tokens map[string]string // user name → bearer token
	// passwords are the users' initial passwords, for logging in to pages.
	passwords map[string]string
	// svc is the archive service the server runs on: staff may work items
	// through it directly, and its clock (Now) is the server's.
	svc *archive.Service
	// logs is what the server logged, when the environment was made
	// withLogs; nil otherwise.
	logs *lockedBuffer
}

// envOptions are what options change in a new environment.
type envOptions struct {
	cfg        web.Config
	units      []org.Unit
	categories []archive.Category
	users      []org.User
	items      func(*archive.Service)
	logs       bool
}

// option shapes a new environment.
type option func(*envOptions)

// withConfig runs the server with cfg instead of the default (a 64 KiB
// body limit and db's dialect).
func withConfig(cfg web.Config) option { return func(o *envOptions) { o.cfg = cfg } }

// withUnits adds units after the bureau's.
func withUnits(units ...org.Unit) option {
	return func(o *envOptions) { o.units = append(o.units, units...) }
}

// withCategories adds categories after 户籍 (hukou).
func withCategories(cats ...archive.Category) option {
	return func(o *envOptions) { o.categories = append(o.categories, cats...) }
}

// withUsers adds users after the four every environment has; they get a
// password (for the login form), no API token.
func withUsers(users ...org.User) option {
	return func(o *envOptions) { o.users = append(o.users, users...) }
}

// withItems configures the archive service (notices, limits, its clock)
// before the server starts.
func withItems(configure func(*archive.Service)) option {
	return func(o *envOptions) { o.items = configure }
}

// withLogs keeps what the server logs, as JSON, in env.logs.
func withLogs() option { return func(o *envOptions) { o.logs = true } }

// withNotices has the archive write the citizens' SMS notices, so that
// tests can count them.
func withNotices() option {
	return withItems(func(svc *archive.Service) {
		setNotices(&svc.Notices, archive.NoticeSettings{Bureau: "测试公安局", TrackURL: "https://minyi.example/track"})
	})
}

// newEnv starts a server over db with a bureau (测试局) and stations a and b
// under it, the category 户籍 (hukou) of unit a, and the users admin,
// leader, officer-a and officer-b, each with a password and an API token;
// opts add to that.
func newEnv(t *testing.T, db *store.DB, opts ...option) *env {
	t.Helper()
	o := envOptions{cfg: web.Config{MaxBodyBytes: 64 << 10, Dialect: db.Dialect()}}
	for _, opt := range opts {
		opt(&o)
	}
	testkit.Bureau{Units: append(append([]org.Unit(nil), testkit.UnderBureau...), o.units...),
		Categories: append([]archive.Category{testkit.Hukou("a")}, o.categories...)}.Seed(t, db)
	e := &env{t: t, db: db, tokens: map[string]string{}, passwords: map[string]string{}}
	for _, u := range []org.User{{Name: "admin", Role: org.RoleAdmin}, {Name: "leader", Role: org.RoleLeader},
		{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}, {Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}} {
		pw, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &u)
		if err != nil {
			t.Fatal(err)
		}
		e.passwords[u.Name] = pw
		tok, _, err := org.NewService(db).IssueToken(ctx, org.Operator("test"), u.Name, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[u.Name] = tok
	}
	for name, pw := range (testkit.Bureau{Users: o.users}).Seed(t, db) {
		e.passwords[name] = pw
	}
	e.svc = archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	if o.items != nil {
		o.items(e.svc)
	}
	var logger *slog.Logger
	if o.logs {
		e.logs = &lockedBuffer{}
		logger = slog.New(slog.NewJSONHandler(e.logs, nil))
	}
	e.url = startServer(t, db, e.svc, o.cfg, logger)
	return e
}

// startServer starts a server over db with items and cfg, as serve would,
// and returns its address; it stops when the test ends.
func startServer(t *testing.T, db *store.DB, items *archive.Service, cfg web.Config, logger *slog.Logger) string {
	t.Helper()
	srv, err := web.New(services(db, items, cfg), cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// services are the services a test server runs over db, with the
// archive's items and the clock of cfg.
func services(db *store.DB, items *archive.Service, cfg web.Config) web.Services {
	return wire.Web(db, items, wire.Options{Now: cfg.Now})
}

// lockedBuffer is a log several request goroutines write at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// answer is a response as received.
type answer struct {
	status int
	header http.Header
	body   string
}

const jsonType, formType = "application/json", "application/x-www-form-urlencoded"

// send makes a request as user ("" for nobody) with a JSON or form body.
func (e *env) send(method, path, user, contentType, body string) answer {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.url+path, r)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// do sends a request as user ("" for a citizen) and decodes the JSON answer.
func (e *env) do(method, path, user string, body any) (int, map[string]any) {
	e.t.Helper()
	var text, contentType string
	switch b := body.(type) {
	case nil:
	case string:
		text = b
	case []byte:
		text = string(b)
	default:
		buf, _ := json.Marshal(b)
		text = string(buf)
	}
	if body != nil {
		contentType = jsonType
	}
	a := e.send(method, path, user, contentType, text)
	var out map[string]any
	json.Unmarshal([]byte(a.body), &out)
	if out == nil {
		out = map[string]any{"_raw": a.body}
	}
	return a.status, out
}

// raw sends a request without a body as user and returns the answer as
// text.
func (e *env) raw(method, path, user string) (int, string) {
	e.t.Helper()
	a := e.send(method, path, user, "", "")
	return a.status, a.body
}

// staffer is a member of staff at a browser: a cookie jar, and forms sent
// the way the page sends them, with the anti-forgery token read from the
// page's own hidden field. Every staff-page test signs in through it.
type staffer struct {
	t      *testing.T
	base   string // the site's address
	lang   string // Accept-Language
	client *http.Client
}

// newStaffer is a browser on the site at base, not signed in.
func newStaffer(t *testing.T, base string) *staffer {
	jar, _ := cookiejar.New(nil)
	return &staffer{t: t, base: base, lang: "zh-CN", client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (e *env) staffer(t *testing.T) *staffer { return newStaffer(t, e.url) }

// loggedIn is a staffer logged in as one of the environment's users.
func (e *env) loggedIn(t *testing.T, name string) *staffer {
	t.Helper()
	s := e.staffer(t)
	s.mustLogIn(name, e.passwords[name])
	return s
}

// page is an answer: status, where a redirect goes, and the body.
type page struct {
	status   int
	location string
	body     string
	cache    string // Cache-Control
	cookies  []*http.Cookie
}

func (s *staffer) do(req *http.Request) page {
	s.t.Helper()
	req.Header.Set("Accept-Language", s.lang)
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header.Get("Location"), string(b), resp.Header.Get("Cache-Control"), resp.Cookies()}
}

func (s *staffer) get(path string) page {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.base+path, nil)
	return s.do(req)
}

var csrfOnPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// open gets the page from and fails the test unless it shows.
func (s *staffer) open(from string) string {
	s.t.Helper()
	p := s.get(from)
	if p.status != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", from, p.status, p.body)
	}
	return p.body
}

// token opens from and returns the anti-forgery token of its form.
func (s *staffer) token(from string) string {
	s.t.Helper()
	return s.tokenIn(from, s.open(from))
}

// tokenIn returns the anti-forgery token of a form in body, the page from.
func (s *staffer) tokenIn(from, body string) string {
	s.t.Helper()
	m := csrfOnPage.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("%s: no anti-forgery token in a form: %s", from, body)
	}
	return html.UnescapeString(m[1])
}

// submit opens from, checks that it has a form posting to action, and
// posts form with the token from that page, unless form carries its own
// csrf_token (even an empty one).
func (s *staffer) submit(from, action string, form url.Values) page {
	s.t.Helper()
	s.fill(from, action, form)
	return s.post(action, form)
}

// submitFiles is submit for forms with file inputs: files, by name, go in
// the form's "photos" field.
func (s *staffer) submitFiles(from, action string, form url.Values, files map[string][]byte) page {
	s.t.Helper()
	s.fill(from, action, form)
	return s.postFiles(action, form, files)
}

// postFiles sends a form with files without looking at a page first.
func (s *staffer) postFiles(action string, form url.Values, files map[string][]byte) page {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("photos", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+action, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(req)
}

// fill checks that from has a form posting to action and, unless form has
// its own, sets the form's anti-forgery token from that page.
func (s *staffer) fill(from, action string, form url.Values) {
	s.t.Helper()
	body := s.open(from)
	if !strings.Contains(body, `action="`+action+`"`) {
		s.t.Fatalf("%s has no form posting to %s", from, action)
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", s.tokenIn(from, body))
	}
	if m := formTokenOnPage.FindStringSubmatch(body); m != nil && form.Get("form_token") == "" {
		form.Set("form_token", m[1])
	}
}

// post sends a form without looking at a page first.
func (s *staffer) post(action string, form url.Values) page {
	s.t.Helper()
	req, _ := http.NewRequest("POST", s.base+action, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

// shown follows a form's answer to the page that shows what it made once
// (a password, key, secret, token or contact) and returns that page; the
// answer must be a 303 there.
func (s *staffer) shown(p page) page {
	s.t.Helper()
	if p.status != http.StatusSeeOther || !strings.Contains(p.location, "/shown/") {
		s.t.Fatalf("the form answers %d → %q, not a redirect to the page shown once: %s", p.status, p.location, p.body)
	}
	return s.get(p.location)
}

// logIn goes through the login form and returns where it sent the browser.
func (s *staffer) logIn(name, password string) page {
	s.t.Helper()
	return s.submit("/login", "/login", url.Values{"name": {name}, "password": {password}})
}

// mustLogIn logs in and fails the test unless the staff start page follows.
func (s *staffer) mustLogIn(name, password string) {
	s.t.Helper()
	if p := s.logIn(name, password); p.status != http.StatusSeeOther || p.location != "/staff" {
		s.t.Fatalf("login as %s: %d %s %s", name, p.status, p.location, p.body)
	}
}

// visitor is a citizen at a browser without a browser: a cookie jar and
// forms posted the way a page would post them, anti-forgery token included.
// Staff pages are visited by a staffer.
type visitor struct {
	e      *env
	client *http.Client
}

func (e *env) visitor() *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{e: e, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get fetches a page in simplified Chinese and returns its status and body.
func (v *visitor) get(path string) (int, string) {
	v.e.t.Helper()
	req, _ := http.NewRequest("GET", v.e.url+path, nil)
	req.Header.Set("Accept-Language", "zh-CN")
	return v.send(req)
}

// post submits a form. The anti-forgery token is taken from the cookie the
// site set, as the hidden field of a rendered form would carry it, unless
// the form already has one (or deliberately an empty one).
func (v *visitor) post(path string, form url.Values) (int, string) {
	v.e.t.Helper()
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", v.csrf())
	}
	req, _ := http.NewRequest("POST", v.e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "zh-CN")
	return v.send(req)
}

func (v *visitor) send(req *http.Request) (int, string) {
	v.e.t.Helper()
	resp, err := v.client.Do(req)
	if err != nil {
		v.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); loc != "" {
		return resp.StatusCode, "Location: " + loc + "\n" + string(b)
	}
	return resp.StatusCode, string(b)
}

// csrf returns the visitor's anti-forgery token, visiting the home page
// first if the site has not issued one yet.
func (v *visitor) csrf() string {
	v.e.t.Helper()
	u, _ := url.Parse(v.e.url)
	for _, c := range v.client.Jar.Cookies(u) {
		if c.Name == "minyi_csrf" {
			return c.Value
		}
	}
	v.get("/login")
	for _, c := range v.client.Jar.Cookies(u) {
		if c.Name == "minyi_csrf" {
			return c.Value
		}
	}
	v.e.t.Fatal("the site issued no anti-forgery cookie")
	return ""
}

var numberInPage = regexp.MustCompile(`id="number">(\d{4}-\d{6})<`)
var codeInPage = regexp.MustCompile(`id="access-code">([A-Z0-9]{8})<`)

var formTokenOnPage = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// writeForm is form as the write-in page would send it: with the form
// token of a freshly opened form.
func (v *visitor) writeForm(form url.Values) url.Values {
	v.e.t.Helper()
	_, body := v.get("/write")
	m := formTokenOnPage.FindStringSubmatch(body)
	if m == nil {
		v.e.t.Fatalf("the write-in form has no form token: %s", body)
	}
	form.Set("form_token", m[1])
	return form
}

// writeIn files an item through the citizen's form and returns its number
// and access code as the receipt it leads to showed them.
func (v *visitor) writeIn(form url.Values) (string, string) {
	v.e.t.Helper()
	st, body := v.post("/write", v.writeForm(form))
	if st != http.StatusSeeOther {
		v.e.t.Fatalf("write in: %d %s", st, body)
	}
	return v.receipt(body)
}

// receipt follows the answer to the write-in form to the receipt and
// returns the number and access code it shows.
func (v *visitor) receipt(answer string) (string, string) {
	v.e.t.Helper()
	loc, _, _ := strings.Cut(strings.TrimPrefix(answer, "Location: "), "\n")
	if !strings.HasSuffix(loc, "/receipt") {
		v.e.t.Fatalf("the write-in form does not lead to a receipt: %s", answer)
	}
	st, body := v.get(loc)
	n, c := numberInPage.FindStringSubmatch(body), codeInPage.FindStringSubmatch(body)
	if st != http.StatusOK || n == nil || c == nil {
		v.e.t.Fatalf("no number or code on the receipt: %d %s", st, body)
	}
	return n[1], c[1]
}

// mustUser returns the stored user name, failing the test if there is none.
func mustUser(t *testing.T, e *env, name string) org.User {
	t.Helper()
	u, err := e.db.UserByName(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// route is a page's method and path.
type route = struct{ method, path string }

// mustRefuse checks, in a subtest each, that every route answers 403 to
// each of whos, signed in: GETs plainly, POSTs with form and the staffer's
// anti-forgery token, so that the refusal is the role's and not the
// token's. check, when not nil, looks further at each refusal.
func (e *env) mustRefuse(t *testing.T, whos []string, routes []route, form url.Values, check func(t *testing.T, p page)) {
	t.Helper()
	for _, who := range whos {
		s := e.loggedIn(t, who)
		token := csrfOnPage.FindStringSubmatch(s.get("/staff").body)
		if token == nil {
			t.Fatal("no token on the inbox")
		}
		for _, rt := range routes {
			t.Run(who+" "+rt.method+" "+rt.path, func(t *testing.T) {
				var p page
				if rt.method == "GET" {
					p = s.get(rt.path)
				} else {
					f := url.Values{"csrf_token": {html.UnescapeString(token[1])}}
					for k, v := range form {
						f[k] = v
					}
					p = s.post(rt.path, f)
				}
				if p.status != http.StatusForbidden {
					t.Fatalf("%d %s", p.status, p.location)
				}
				if check != nil {
					check(t, p)
				}
			})
		}
	}
}

// formPost is a form and where it posts.
type formPost = struct {
	path string
	form url.Values
}

// mustRefuseForged checks, in subtests, that each form answers 403 when s
// sends it with an empty anti-forgery token or a made-up one, whatever
// real token s holds.
func (s *staffer) mustRefuseForged(t *testing.T, forms []formPost) {
	t.Helper()
	for _, tt := range forms {
		for _, token := range []string{"", strings.Repeat("A", 43)} {
			t.Run(tt.path+" token "+token, func(t *testing.T) {
				f := url.Values{"csrf_token": {token}}
				for k, v := range tt.form {
					f[k] = v
				}
				if p := s.post(tt.path, f); p.status != http.StatusForbidden {
					t.Fatalf("%d", p.status)
				}
			})
		}
	}
}
