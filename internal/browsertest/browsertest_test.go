package browsertest

import (
	"bytes"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMain shares one Chromium between the tests, as packages with many
// browser tests should; TestOwnBrowser covers New without it.
func TestMain(m *testing.M) { Main(m) }

// htmlPage serves body as a complete, accessible-by-default HTML document.
func htmlPage(title, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title></head>
<body><main>%s</main></body></html>`, title, body)
	}
}

// serve starts an httptest server with one handler per path, closed when t ends.
func serve(t *testing.T, routes map[string]http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for pattern, h := range routes {
		mux.HandleFunc(pattern, h)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// formServer serves a complaint form whose POST echoes the fields and sets a cookie.
func formServer(t *testing.T) *httptest.Server {
	return serve(t, map[string]http.HandlerFunc{
		"GET /": htmlPage("投诉", `<h1>投诉</h1>
<form method="post" action="/submit">
  <label for="title">标题</label> <input id="title" name="title" value="旧的">
  <label for="kind">类别</label>
  <select id="kind" name="kind"><option value="noise">噪音</option><option value="road">道路</option></select>
  <button type="submit">提交</button>
</form>`),
		"POST /submit": func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "receipt", Value: "42", Path: "/", HttpOnly: true})
			body := fmt.Sprintf(`<h1>已收到</h1><p id="result">%s|%s</p>`,
				html.EscapeString(r.PostFormValue("title")), html.EscapeString(r.PostFormValue("kind")))
			htmlPage("已收到", body)(w, r)
		},
	})
}

// TestLaunchFlags checks the flags that keep Chromium working as root, without
// a GPU, and quiet and offline on machines without internet.
func TestLaunchFlags(t *testing.T) {
	b := New(t)
	pid := b.process().Pid
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Skipf("cannot read the command line of Chromium: %v", err)
	}
	args := strings.Split(string(raw), "\x00")
	for _, flag := range []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
	} {
		if !slices.Contains(args, flag) {
			t.Errorf("Chromium runs without %s; its arguments: %q", flag, args)
		}
	}
	i := slices.IndexFunc(args, func(a string) bool { return strings.HasPrefix(a, "--user-data-dir=") })
	if i < 0 {
		t.Fatalf("Chromium runs without --user-data-dir; its arguments: %q", args)
	}
	if dir := strings.TrimPrefix(args[i], "--user-data-dir="); !strings.HasPrefix(dir, os.TempDir()) {
		t.Errorf("profile %s is not a temporary directory", dir)
	}
}

// TestOwnBrowser checks New without Main: a Chromium per test, stopped with the test.
func TestOwnBrowser(t *testing.T) {
	shared.Lock()
	shared.on = false
	shared.Unlock()
	defer func() {
		shared.Lock()
		shared.on = true
		shared.Unlock()
	}()

	srv := formServer(t)
	var pid int
	t.Run("own", func(t *testing.T) {
		b := New(t)
		pid = b.process().Pid
		b.Go(srv.URL)
		b.Click("button")
		if got := b.Text("#result"); got != "旧的|noise" {
			t.Errorf("result = %q", got)
		}
	})
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
		t.Errorf("Chromium (pid %d) still runs after its test ended", pid)
	}
}

func TestFormRoundTrip(t *testing.T) {
	srv := formServer(t)
	tests := []struct {
		name   string
		opts   []Option
		submit func(b *Browser)
	}{
		{"click", nil, func(b *Browser) { b.Click("button[type=submit]") }},
		{"SubmitForm", nil, func(b *Browser) { b.SubmitForm("#title") }},
		{"phone without JavaScript", []Option{Phone(), NoScript()}, func(b *Browser) { b.Click("button") }},
		{"SubmitForm without JavaScript", []Option{NoScript()}, func(b *Browser) { b.SubmitForm("form") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(t, tt.opts...)
			b.Go(srv.URL)
			b.Fill("#title", "先写错的") // typed over: a second Fill must replace it
			b.Fill("#title", "楼下噪音 <夜间>")
			b.Select("#kind", "road")
			tt.submit(b)
			if got, want := b.Text("#result"), "楼下噪音 <夜间>|road"; got != want {
				t.Errorf("result = %q, want %q", got, want)
			}
			if got := b.URL(); got != srv.URL+"/submit" {
				t.Errorf("URL = %s, want %s/submit", got, srv.URL)
			}
		})
	}
}

func TestCookies(t *testing.T) {
	srv := formServer(t)
	b := New(t)
	b.Go(srv.URL)
	b.Click("button")
	cookies := b.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "receipt" || cookies[0].Value != "42" || !cookies[0].HttpOnly {
		t.Fatalf("cookies after submitting = %v, want the HttpOnly receipt=42", cookies)
	}
	if other := New(t).Cookies(); len(other) != 0 {
		t.Errorf("a second browser sees cookies %v; browsers must not share them", other)
	}
	b.ClearCookies()
	if cookies := b.Cookies(); len(cookies) != 0 {
		t.Errorf("cookies after ClearCookies = %v", cookies)
	}
}

func TestAxe(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		body string
		want string // the serious axe rule the page breaks, or "" for none
	}{
		{"clean", nil, `<h1>你好</h1><img src="/x.png" alt="徽标"><label>姓名 <input name="n"></label>`, ""},
		{"image without alt", nil, `<h1>你好</h1><img src="/x.png">`, "image-alt"},
		{"input without label", nil, `<h1>你好</h1><form><input name="n"></form>`, "label"},
		{"input without label, no JavaScript", []Option{NoScript()}, `<h1>你好</h1><form><input name="n"></form>`, "label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, map[string]http.HandlerFunc{"GET /": htmlPage("axe", tt.body)})
			b := New(t, tt.opts...)
			b.Go(srv.URL)

			var serious []string
			for _, v := range b.Axe() {
				if v.Impact == "serious" || v.Impact == "critical" {
					serious = append(serious, v.ID)
					if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Help == "" {
						t.Errorf("violation lacks detail: %+v", v)
					}
				}
			}
			if tt.want == "" && len(serious) > 0 || tt.want != "" && !slices.Contains(serious, tt.want) {
				t.Errorf("serious violations = %v, want %q", serious, tt.want)
			}

			// AssertNoSeriousAxe must fail exactly when there is one.
			rec := &recorder{TB: t}
			b.AssertNoSeriousAxe(rec)
			if failed := len(rec.errors) > 0; failed != (tt.want != "") {
				t.Errorf("AssertNoSeriousAxe reported %q", rec.errors)
			}
			if tt.want != "" && !strings.Contains(strings.Join(rec.errors, "\n"), tt.want) {
				t.Errorf("AssertNoSeriousAxe does not name %s: %q", tt.want, rec.errors)
			}
		})
	}
}

func TestViewport(t *testing.T) {
	srv := serve(t, map[string]http.HandlerFunc{"GET /": htmlPage("viewport", `<p>x</p>`)})
	tests := []struct {
		name      string
		opt       Option
		width     int
		touchable bool
	}{
		{"phone", Phone(), 390, true},
		{"desktop", Desktop(), 1280, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(t, tt.opt)
			b.Go(srv.URL)
			var got struct {
				Width int  `json:"width"`
				Touch bool `json:"touch"`
			}
			b.Eval(`({width: window.innerWidth, touch: navigator.maxTouchPoints > 0})`, &got)
			if got.Width != tt.width || got.Touch != tt.touchable {
				t.Errorf("innerWidth, touch = %d, %v; want %d, %v", got.Width, got.Touch, tt.width, tt.touchable)
			}
		})
	}
}

func TestNoScript(t *testing.T) {
	srv := serve(t, map[string]http.HandlerFunc{"GET /": htmlPage("js",
		`<p id="s">静态</p><script>document.getElementById('s').textContent = '脚本'</script>`)})
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"scripts on", nil, "脚本"},
		{"scripts off", []Option{NoScript()}, "静态"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(t, tt.opts...)
			b.Go(srv.URL)
			if got := b.Text("#s"); got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestScreenshot(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("MINYI_ARTIFACTS", filepath.Join(dir, "new"))
	tall := strings.Repeat("<p>一行</p>", 200)
	srv := serve(t, map[string]http.HandlerFunc{"GET /": htmlPage("tall", tall)})
	b := New(t)
	b.Go(srv.URL)
	path := b.Screenshot("home page")
	if want := filepath.Join(dir, "new", "TestScreenshot-home_page.png"); path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	// Full page: as wide as the viewport, and taller than its 900 pixels.
	if size := img.Bounds().Size(); size.X != 1280 || size.Y <= 900 {
		t.Errorf("screenshot is %v, want 1280 wide and taller than 900", size)
	}
}

func TestQueries(t *testing.T) {
	srv := serve(t, map[string]http.HandlerFunc{"GET /": htmlPage("q", `<p id="here">在此</p>
<button type="button" onclick="document.getElementById('here').textContent = '点过'">点</button>`)})
	b := New(t)
	b.Go(srv.URL)
	start := time.Now()
	if !b.Exists("#here") || b.Exists("#absent") {
		t.Error("Exists does not tell #here from #absent")
	}
	// A click that loads no page must not wait for one either.
	b.Click("button")
	if got := b.Text("#here"); got != "点过" {
		t.Errorf("text after the click = %q", got)
	}
	if d := time.Since(start); d >= DefaultTimeout/2 {
		t.Errorf("Exists and Click took %v; they must not wait for a timeout", d)
	}
	if h := b.HTML(); !strings.Contains(h, `<p id="here">点过</p>`) || !strings.HasPrefix(h, "<html") {
		t.Errorf("HTML() = %q", h)
	}
}

// TestFailsInsteadOfHanging proves that a missing element, or a missing
// browser, ends the test with a message instead of a hang or a silent pass.
func TestFailsInsteadOfHanging(t *testing.T) {
	t.Run("missing element", func(t *testing.T) {
		srv := serve(t, map[string]http.HandlerFunc{"GET /": htmlPage("empty", `<p>无</p>`)})
		b := New(t, Timeout(DefaultTimeout+time.Second))
		if b.timeout != DefaultTimeout+time.Second {
			t.Errorf("Timeout option gave %v", b.timeout)
		}
		b.Go(srv.URL)
		// Only the failing action runs short and reports to the recorder,
		// so a slow machine cannot fail the setup.
		rec := &recorder{TB: t}
		b.t, b.timeout = rec, 300*time.Millisecond
		rec.do(func() { b.Click("#nowhere") })
		b.t = t
		if !strings.Contains(rec.fatal, "#nowhere") || !strings.Contains(rec.fatal, "gave up after 300ms") {
			t.Errorf("Click of a missing element failed with %q", rec.fatal)
		}
	})

	tests := []struct {
		require     string
		skip, fatal bool
	}{
		{"", true, false},
		{"1", false, true},
	}
	for _, tt := range tests {
		t.Run("missing browser, MINYI_REQUIRE_BROWSER="+tt.require, func(t *testing.T) {
			t.Setenv("MINYI_CHROMIUM", filepath.Join(t.TempDir(), "no-chromium"))
			t.Setenv("MINYI_REQUIRE_BROWSER", tt.require)
			rec := &recorder{TB: t}
			rec.do(func() { New(rec) })
			if (rec.skip != "") != tt.skip || (rec.fatal != "") != tt.fatal || !strings.Contains(rec.skip+rec.fatal, "Chromium not found") {
				t.Errorf("skipped with %q, failed with %q; want skip %v, failure %v", rec.skip, rec.fatal, tt.skip, tt.fatal)
			}
		})
	}
}

// recorder is a testing.TB that records failures and skips instead of
// reporting them, so tests can check that the harness does fail.
type recorder struct {
	testing.TB
	errors      []string
	fatal, skip string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// do runs f on its own goroutine, which Fatalf and Skipf end as they would a test.
func (r *recorder) do(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}
