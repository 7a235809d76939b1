package web_test

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

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
