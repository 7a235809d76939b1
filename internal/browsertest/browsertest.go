// Package browsertest lets tests drive a real headless Chromium through the
// Chrome DevTools Protocol (github.com/chromedp/chromedp) and check pages with
// axe-core.
//
// New gives each test a tab with its own cookies and storage. By default the
// tab is in a Chromium of its own, which takes about two seconds to start on
// a two-core machine; a package with several browser tests shares one
// Chromium, with a private browser context per test, by declaring
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// Every action waits at most a timeout (10 s by default) and then fails the
// test, naming the selector it was waiting for, so a broken page never hangs
// the suite. A failed test leaves a screenshot in the artifacts directory.
//
// scripts/browser-deps installs Chromium and axe-core. When Chromium is
// missing the tests skip, unless MINYI_REQUIRE_BROWSER=1 makes them fail.
//
// Environment:
//   - MINYI_CHROMIUM: the browser binary (default /usr/bin/chromium).
//   - MINYI_AXE_JS: axe.min.js (default <repo>/tmp/npm/node_modules/axe-core/axe.min.js).
//   - MINYI_ARTIFACTS: where screenshots go (default <repo>/tmp/artifacts).
//   - MINYI_REQUIRE_BROWSER=1: fail instead of skip when Chromium or axe-core is missing.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds each action of a Browser unless the Timeout option changes it.
const DefaultTimeout = 10 * time.Second

// startTimeout bounds the launch of Chromium, which is slower than any action
// on a busy two-core CI machine.
const startTimeout = 30 * time.Second

// Browser is one tab, bound to the test that made it; it is not safe for
// concurrent use.
type Browser struct {
	t       testing.TB
	ctx     context.Context // the tab; actions derive their timeouts from it
	timeout time.Duration
	noJS    bool // scripts are off (NoScript)
	nav     navTracker
}

// An Option changes how New sets up a Browser.
type Option func(*settings)

type settings struct {
	width, height int64
	scale         float64
	mobile        bool
	noJS          bool
	timeout       time.Duration
}

// Desktop gives a 1280×900 desktop viewport; it is the default.
func Desktop() Option {
	return func(s *settings) {
		s.width, s.height, s.scale, s.mobile = 1280, 900, 1, false
	}
}

// Phone emulates a 390×844 phone (iPhone 12–15 class) with a mobile viewport and touch events.
func Phone() Option {
	return func(s *settings) {
		s.width, s.height, s.scale, s.mobile = 390, 844, 3, true
	}
}

// Size gives a desktop viewport of width×height CSS pixels, such as the
// 1366×768 of the staff's most common office screen.
func Size(width, height int64) Option {
	return func(s *settings) {
		s.width, s.height, s.scale, s.mobile = width, height, 1, false
	}
}

// NoScript turns JavaScript off in the tab, to prove a page works without it.
func NoScript() Option {
	return func(s *settings) { s.noJS = true }
}

// Timeout sets how long each action may wait before it fails the test.
func Timeout(d time.Duration) Option {
	return func(s *settings) { s.timeout = d }
}

// New opens a tab for t in a fresh browser profile and closes it when t ends.
//
// The tab is in a Chromium of its own, or, when the package's TestMain calls
// Main, in a private browser context of the shared one; either way it shares
// no cookies or storage with other tabs. New skips t when Chromium is
// missing, or fails it under MINYI_REQUIRE_BROWSER=1.
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	s := settings{timeout: DefaultTimeout}
	Desktop()(&s)
	for _, o := range opts {
		o(&s)
	}

	exe := chromiumPath()
	if _, err := exec.LookPath(exe); err != nil {
		missing(t, "Chromium not found at %s (%v): run ./scripts/browser-deps or set MINYI_CHROMIUM", exe, err)
	}

	share := sharing()
	var c *chromium
	var err error
	if share {
		c, err = sharedChromium(exe)
	} else if c, err = launch(exe); err == nil {
		t.Cleanup(c.stop)
	}
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}

	// Without Main, the first tab of our own Chromium will do; with it, a new
	// browser context keeps this test's cookies from the other tests'.
	ctx, closeTab := c.ctx, func() {}
	if share {
		ctx, closeTab = chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
		// As in launch: the first run ties the tab's life to ctx.
		timer := time.AfterFunc(startTimeout, closeTab)
		err := chromedp.Do(ctx)
		if !timer.Stop() {
			err = fmt.Errorf("no answer within %v", startTimeout)
		}
		if err != nil {
			closeTab()
			t.Fatalf("browsertest: opening a tab: %v\n%s", err, c.output)
		}
	}

	b := &Browser{t: t, ctx: ctx, timeout: s.timeout, noJS: s.noJS}
	// Registered after launch's cleanup, so it runs first, while the
	// browser still answers.
	t.Cleanup(func() {
		if t.Failed() {
			b.saveFailureScreenshot()
			if out := c.output.String(); out != "" {
				t.Logf("browsertest: last output of Chromium:\n%s", out)
			}
		}
		closeTab()
	})

	if err := b.nav.start(ctx, s.timeout); err != nil {
		t.Fatalf("browsertest: watching navigations: %v", err)
	}
	b.do("setting the viewport", chromedp.EmulateViewport(s.width, s.height, viewportOptions(s)...))
	if s.noJS {
		b.setScriptDisabled(true)
	}
	return b
}

// Main runs the package's tests with one Chromium shared by every New,
// which saves the two seconds a launch takes on CI; call it from TestMain.
func Main(m *testing.M) {
	shared.Lock()
	shared.on = true
	shared.Unlock()
	defer func() {
		shared.Lock()
		defer shared.Unlock()
		if shared.c != nil {
			shared.c.stop()
		}
	}()
	// TestMain returning passes the result of m.Run to os.Exit.
	m.Run()
}

var shared struct {
	sync.Mutex
	on bool
	c  *chromium
}

func sharing() bool {
	shared.Lock()
	defer shared.Unlock()
	return shared.on
}

// sharedChromium returns the Chromium of Main, launching it on first use or
// again after a crash.
func sharedChromium(exe string) (*chromium, error) {
	shared.Lock()
	defer shared.Unlock()
	if shared.c == nil || shared.c.ctx.Err() != nil {
		c, err := launch(exe)
		if err != nil {
			return nil, err
		}
		shared.c = c
	}
	return shared.c, nil
}

// chromium is a running browser.
type chromium struct {
	ctx    context.Context // its first tab; other tabs derive from it
	stop   func()          // kills the browser and removes its profile
	output *tailBuffer     // the end of what it printed, for failures
}

func launch(exe string) (*chromium, error) {
	out := &tailBuffer{max: 16 << 10}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.CombinedOutput(out),
		// Tests run as root in containers, where the sandbox cannot work,
		// and on machines without a GPU.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// The machines have no internet. Chromium's own traffic (updates,
		// sync, QUIC probes, field trials) would only produce refused
		// connections, log noise and outbound attempts that get flagged.
		// Some of these are chromedp defaults; they are repeated so this
		// list stays true whatever chromedp changes.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying"),
		// What still calls Google (Debian's build signs in with its API keys
		// and updates its extensions) fails at once: no name resolves, so
		// no DNS query or connection leaves the machine. Test servers listen
		// on loopback addresses, which stay reachable.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
		// No user-data-dir flag on purpose: chromedp then makes a fresh
		// temporary profile per browser and removes it (and any stray
		// child process still using it) when the browser stops.
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() {
		cancel()
		cancelAlloc()
	}

	// The first run starts Chromium and ties its life to ctx, so it cannot
	// carry a deadline; a timer kills a launch that hangs instead.
	timer := time.AfterFunc(startTimeout, cancelAlloc)
	err := chromedp.Do(ctx)
	if !timer.Stop() {
		err = fmt.Errorf("no answer within %v", startTimeout)
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("starting %s: %v\n%s", exe, err, out)
	}
	return &chromium{ctx: ctx, stop: stop, output: out}, nil
}

func viewportOptions(s settings) []chromedp.EmulateViewportOption {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(s.scale)}
	if s.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return opts
}

// missing skips or, when MINYI_REQUIRE_BROWSER=1, fails t because a browser dependency is absent.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("MINYI_REQUIRE_BROWSER") == "1" {
		t.Fatalf("browsertest: "+format+" (MINYI_REQUIRE_BROWSER=1)", args...)
	}
	t.Skipf("browsertest: "+format, args...)
}

func chromiumPath() string {
	if p := os.Getenv("MINYI_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Go loads url and waits for its load event.
func (b *Browser) Go(url string) {
	b.t.Helper()
	b.do("loading "+url, chromedp.Navigate(url))
}

// Reload reloads the page as the browser's reload button does (a page that
// answered a form is sent the form again) and waits for the load.
func (b *Browser) Reload() {
	b.t.Helper()
	b.do("reloading", chromedp.Reload())
}

// Click clicks the first visible element matching the CSS selector and, if
// that starts a page load (a link or a submit button), waits for it.
func (b *Browser) Click(selector string) {
	b.t.Helper()
	b.navigating("clicking "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// Fill replaces the value of the input or textarea matching selector by typing value.
func (b *Browser) Fill(selector, value string) {
	b.t.Helper()
	// Emptied by script (chromedp.Clear resets only the value attribute,
	// which no longer shows once a field was typed in), then typed with
	// real key events, so input listeners and maxlength behave as they
	// would for a person.
	const clear = `function() {
		if (!('value' in this)) throw new Error('<' + this.tagName.toLowerCase() + '> has no value to fill');
		this.value = '';
	}`
	b.do("filling "+selector,
		callOn(selector, clear),
		chromedp.SendKeys(chromedp.CSS(selector), value, chromedp.NodeVisible))
}

// Upload chooses the files at paths in the file input matching selector,
// as a person does in the file dialog.
func (b *Browser) Upload(selector string, paths ...string) {
	b.t.Helper()
	b.do("choosing files for "+selector, chromedp.SetUploadFiles(chromedp.CSS(selector), paths))
}

// Select chooses the option with the given value in the select element matching selector.
func (b *Browser) Select(selector, value string) {
	b.t.Helper()
	// Choosing from a native drop-down with the mouse cannot be scripted in
	// headless mode, so set the value as the browser would and fire the
	// same events.
	const js = `function(v) {
		if (this.tagName !== 'SELECT') throw new Error('not a <select> but <' + this.tagName.toLowerCase() + '>');
		if (![...this.options].some(o => o.value === v)) throw new Error('no <option value="' + v + '">');
		this.value = v;
		this.dispatchEvent(new Event('input', {bubbles: true}));
		this.dispatchEvent(new Event('change', {bubbles: true}));
	}`
	b.do("selecting "+value+" in "+selector, callOn(selector, js, value))
}

// SubmitForm submits the form matching selector (or the form of the element
// it matches) as its submit button would, and waits for the resulting load.
func (b *Browser) SubmitForm(selector string) {
	b.t.Helper()
	// requestSubmit, unlike submit, runs constraint validation and fires
	// the submit event, as a press of the submit button does.
	const js = `function() {
		const f = this.tagName === 'FORM' ? this : this.form || this.closest('form');
		if (!f) throw new Error('no form');
		f.requestSubmit();
	}`
	b.navigating("submitting "+selector, callOn(selector, js))
}

// Text returns the rendered text (innerText) of the first element matching selector.
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	return run(b, "reading the text of "+selector, chromedp.Text(chromedp.CSS(selector)))
}

// HTML returns the serialized DOM of the current page. It is read by
// script, not through a DOM node id: chromedp's ids go stale when the
// document is replaced just after a load ("No node with given id found").
func (b *Browser) HTML() string {
	b.t.Helper()
	var html string
	b.Eval(`document.documentElement.outerHTML`, &html)
	return html
}

// Exists reports whether an element matches selector now, without waiting.
func (b *Browser) Exists(selector string) bool {
	b.t.Helper()
	nodes := run(b, "looking for "+selector, chromedp.Nodes(chromedp.CSS(selector), chromedp.AtLeast(0)))
	return len(nodes) > 0
}

// URL returns the address of the current page.
func (b *Browser) URL() string {
	b.t.Helper()
	return run(b, "reading the URL", chromedp.Location())
}

// Eval evaluates a JavaScript expression, awaiting a promise, and decodes its
// JSON value into out unless out is nil.
func (b *Browser) Eval(js string, out any) {
	b.t.Helper()
	raw := run(b, "evaluating "+js, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if out == nil {
		return
	}
	if err := json.Unmarshal(raw, out); err != nil {
		b.t.Fatalf("browsertest: evaluating %s: decoding %s: %v", js, raw, err)
	}
}

// Screenshot saves a full-page PNG named after the test and name into the
// artifacts directory and returns its path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	return b.save(name, run(b, "taking screenshot "+name, chromedp.FullScreenshot(100)))
}

// ScreenshotSideways is Screenshot for a page whose body scrolls sideways,
// as the Mongolian pages' columns do: their whole width at the screen's
// height, put together from one capture of the screen per scroll position.
// A full-page capture would grow the screen to the page and re-flow the
// columns to the new height, showing a layout no reader sees.
func (b *Browser) ScreenshotSideways(name string) string {
	b.t.Helper()
	var width, screen float64
	b.Eval(`document.body.scrollWidth`, &width)
	b.Eval(`document.body.clientWidth`, &screen)
	var out *image.RGBA
	for x := 0.0; ; x += screen {
		var at float64
		b.Eval(fmt.Sprintf(`document.body.scrollLeft = %v, document.body.scrollLeft`, x), &at)
		shot, err := png.Decode(bytes.NewReader(run(b, "taking screenshot "+name, chromedp.CaptureScreenshot())))
		if err != nil {
			b.t.Fatalf("browsertest: screenshot %s: %v", name, err)
		}
		scale := float64(shot.Bounds().Dx()) / screen
		if out == nil {
			out = image.NewRGBA(image.Rect(0, 0, int(width*scale), shot.Bounds().Dy()))
		}
		left := int(at * scale)
		draw.Draw(out, image.Rect(left, 0, left+shot.Bounds().Dx(), shot.Bounds().Dy()), shot, shot.Bounds().Min, draw.Src)
		if at+screen >= width {
			break
		}
	}
	b.Eval(`document.body.scrollLeft = 0`, new(float64))
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		b.t.Fatalf("browsertest: screenshot %s: %v", name, err)
	}
	return b.save(name, buf.Bytes())
}

// save writes a screenshot into the artifacts directory under the test's
// name and name, and returns its path.
func (b *Browser) save(name string, png []byte) string {
	b.t.Helper()
	dir := ArtifactsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatalf("browsertest: %v", err)
	}
	path := filepath.Join(dir, fileName(b.t.Name()+"-"+name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("browsertest: %v", err)
	}
	return path
}

// ScreenshotAs saves a full-page PNG as <artifacts>/<name>.png and returns
// its path: unlike Screenshot, the name is not prefixed with the test's, so
// a set of pictures meant to be looked at side by side (every page in every
// language) keeps short, stable names.
func (b *Browser) ScreenshotAs(name string) string {
	b.t.Helper()
	png := run(b, "taking screenshot "+name, chromedp.FullScreenshot(100))
	dir := ArtifactsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatalf("browsertest: %v", err)
	}
	path := filepath.Join(dir, fileName(name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("browsertest: %v", err)
	}
	return path
}

// saveFailureScreenshot keeps a picture of the page a failed test left
// behind; it is best effort, since the browser may be what failed.
func (b *Browser) saveFailureScreenshot() {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	path := filepath.Join(ArtifactsDir(), fileName(b.t.Name()+"-failed")+".png")
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil && os.WriteFile(path, png, 0o644) == nil {
		b.t.Logf("browsertest: screenshot of the failed page: %s", path)
	}
}

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	ID      string          `json:"id"`      // the axe rule, e.g. "image-alt"
	Impact  string          `json:"impact"`  // minor, moderate, serious or critical
	Help    string          `json:"help"`    // what the rule asks for
	HelpURL string          `json:"helpUrl"` // axe's explanation of the rule
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	Target  []string `json:"target"`  // CSS selectors leading to the element
	HTML    string   `json:"html"`    // the element's opening markup
	Summary string   `json:"summary"` // what to fix
}

// String formats v on a few lines for test output.
func (v Violation) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "[%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "\n    at %s: %s", strings.Join(n.Target, " "), n.HTML)
	}
	return sb.String()
}

// axeRun runs the WCAG 2 A and AA rules and keeps only what Violation needs,
// so the answer stays small.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)),
		html: n.html, summary: n.failureSummary || '',
	})),
})))`

// Axe checks the current page with axe-core's WCAG 2 A and AA rules and
// returns the violations.
func (b *Browser) Axe() []Violation {
	b.t.Helper()
	path := axePath()
	src, err := os.ReadFile(path)
	if err != nil {
		missing(b.t, "axe-core not found (%v): run ./scripts/browser-deps or set MINYI_AXE_JS", err)
	}
	// Injected through DevTools rather than a <script> tag, so pages with a
	// strict Content-Security-Policy can be checked too.
	if b.noJS {
		// axe-core works through timers and promises, which do not run
		// while scripts are off. Turning them on does not run the page's
		// scripts retroactively, so the checked DOM stays the no-JS one.
		b.setScriptDisabled(false)
	}
	if !run(b, "looking for axe-core", chromedp.Evaluate[bool]("typeof axe === 'object'")) {
		b.do("injecting axe-core", chromedp.Evaluate[chromedp.Void](string(src)))
	}
	violations := run(b, "running axe-core", chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if b.noJS {
		b.setScriptDisabled(true)
	}
	return violations
}

// AssertNoSeriousAxe fails t for each serious or critical axe violation on
// the current page; t is usually the test (or subtest) that made b.
func (b *Browser) AssertNoSeriousAxe(t testing.TB) {
	t.Helper()
	// Said on t, not on the test that made b: failing a parent from a
	// subtest reads as "panic(nil) or runtime.Goexit", not as the cause.
	if _, err := os.Stat(axePath()); err != nil {
		missing(t, "axe-core not found (%v): run ./scripts/browser-deps or set MINYI_AXE_JS", err)
	}
	for _, v := range b.Axe() {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("accessibility of %s: %s", b.URL(), v)
		}
	}
}

func axePath() string {
	if p := os.Getenv("MINYI_AXE_JS"); p != "" {
		return p
	}
	return filepath.Join(repoRoot(), "tmp", "npm", "node_modules", "axe-core", "axe.min.js")
}

// Cookies returns every cookie the browser holds.
func (b *Browser) Cookies() []*http.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	// Asked of the browser, not the tab, so the answer covers every site
	// the tab visited, scoped to its browser context (empty without Main).
	res, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: b.browserContext()})
	if err != nil {
		b.fail("reading cookies", err)
	}
	cookies := make([]*http.Cookie, 0, len(res.Cookies))
	for _, c := range res.Cookies {
		hc := &http.Cookie{
			Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			HttpOnly: c.HTTPOnly, Secure: c.Secure,
		}
		if !c.Session {
			hc.Expires = time.Unix(int64(c.Expires), 0)
		}
		switch c.SameSite {
		case network.CookieSameSiteStrict:
			hc.SameSite = http.SameSiteStrictMode
		case network.CookieSameSiteLax:
			hc.SameSite = http.SameSiteLaxMode
		case network.CookieSameSiteNone:
			hc.SameSite = http.SameSiteNoneMode
		}
		cookies = append(cookies, hc)
	}
	return cookies
}

// ClearCookies deletes every cookie the browser holds.
func (b *Browser) ClearCookies() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	if _, err := chromedp.CallBrowser(ctx, storage.ClearCookies, storage.ClearCookiesParams{BrowserContextID: b.browserContext()}); err != nil {
		b.fail("clearing cookies", err)
	}
}

func (b *Browser) setScriptDisabled(disabled bool) {
	b.t.Helper()
	b.do("switching JavaScript", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
		return err
	}))
}

// Media has the tab's style sheets see the page as media (e.g. "print",
// to check what a printout shows); "" ends the emulation.
func (b *Browser) Media(media string) {
	b.t.Helper()
	b.do("emulating media "+media, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
}

// browserContext is the cookie jar of b's tab; empty means the browser's default one.
func (b *Browser) browserContext() cdp.BrowserContextID {
	return chromedp.FromContext(b.ctx).BrowserContextID
}

// process is the Chromium process behind b.
func (b *Browser) process() *os.Process {
	return chromedp.FromContext(b.ctx).Browser.Process()
}

// do runs actions under the timeout and fails the test with what it was doing.
func (b *Browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(what, err)
	}
}

// run is do for an action with a result; Go has no generic methods.
func run[T any](b *Browser, what string, action chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.fail(what, err)
	}
	return v
}

func (b *Browser) fail(what string, err error) {
	b.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		b.t.Fatalf("browsertest: %s: gave up after %v", what, b.timeout)
	}
	b.t.Fatalf("browsertest: %s: %v", what, err)
}

// navigating runs action and, if it made the page start loading another
// document, waits until that load ends.
func (b *Browser) navigating(what string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	before := b.nav.requests()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	err := chromedp.Do(ctx, action,
		// The renderer reports a requested navigation on the same DevTools
		// channel, before it answers this evaluation; after the answer we
		// know whether the action started a load.
		chromedp.Evaluate[chromedp.Void]("0", chromedp.EvalIgnoreExceptions))
	// A load that starts at once can take the page away under the action
	// or the evaluation ("Inspected target navigated or closed"): the
	// action did what it should, so wait for the load like any other.
	if err != nil && !(b.nav.requests() != before && strings.Contains(err.Error(), "navigated or closed")) {
		b.fail(what, err)
	}
	if b.nav.requests() == before {
		return
	}
	if err := b.nav.waitIdle(ctx); err != nil {
		b.fail(what+": waiting for the next page", err)
	}
}

// callOn calls the JavaScript function js with this bound to the first element matching selector.
func callOn(selector, js string, args ...any) chromedp.Action[chromedp.Void] {
	return chromedp.QueryAfter(chromedp.CSS(selector), func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
		node, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{NodeID: nodes[0].NodeID})
		if err != nil {
			return chromedp.Void{}, err
		}
		bind := func(p *runtime.CallFunctionOnParams) { p.ObjectID = node.Object.ObjectID }
		return chromedp.CallFunctionOn[chromedp.Void](js, bind, args...)(ctx, t)
	})
}

// fileName turns a test name into a safe file name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// ArtifactsDir is where screenshots go: $MINYI_ARTIFACTS, else <repo>/tmp/artifacts.
func ArtifactsDir() string {
	if d := os.Getenv("MINYI_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(), "tmp", "artifacts")
}

// repoRoot finds the module root above the working directory, which for
// go test is the package directory.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

// navTracker follows the loads of the tab's main frame, so actions that may
// or may not navigate can wait for exactly the loads they caused.
type navTracker struct {
	mu        sync.Mutex
	frame     cdp.FrameID
	requested int           // navigations the page asked for
	loading   bool          // a document is loading in the main frame
	changed   chan struct{} // closed and replaced on every change
}

// start begins to follow the tab of ctx, which also bounds the listening.
func (n *navTracker) start(ctx context.Context, timeout time.Duration) error {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tree, err := chromedp.Call(tctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return err
	}
	n.frame = tree.FrameTree.Frame.ID
	n.changed = make(chan struct{})
	// Listen, unlike Events, sees events in order and before the replies
	// that follow them, which navigating relies on.
	return chromedp.Listen(ctx, n.event)
}

func (n *navTracker) event(ev any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch ev := ev.(type) {
	case *page.EventFrameRequestedNavigation:
		// A link to a new tab or a download leaves this document loaded.
		if ev.FrameID != n.frame || ev.Disposition != page.ClientNavigationDispositionCurrentTab {
			return
		}
		n.requested++
		n.loading = true
	case *page.EventFrameStartedLoading:
		if ev.FrameID != n.frame {
			return
		}
		n.loading = true
	case *page.EventFrameStoppedLoading:
		if ev.FrameID != n.frame {
			return
		}
		n.loading = false
	default:
		return
	}
	close(n.changed)
	n.changed = make(chan struct{})
}

func (n *navTracker) requests() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.requested
}

// waitIdle waits until the main frame has stopped loading.
func (n *navTracker) waitIdle(ctx context.Context) error {
	for {
		n.mu.Lock()
		loading, changed := n.loading, n.changed
		n.mu.Unlock()
		if !loading {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// tailBuffer keeps the last max bytes written to it, for Chromium's output.
type tailBuffer struct {
	mu   sync.Mutex
	max  int
	buf  []byte
	line []byte // an unfinished line
}

func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.line = append(w.line, p...)
	for {
		i := bytes.IndexByte(w.line, '\n')
		if i < 0 {
			break
		}
		w.keep(w.line[:i+1])
		w.line = w.line[i+1:]
	}
	if len(w.line) > w.max {
		w.keep(w.line)
		w.line = nil
	}
	return len(p), nil
}

// keep appends a line, less the D-Bus complaints that Chromium prints on
// every machine without a system bus, such as containers and CI.
func (w *tailBuffer) keep(line []byte) {
	if bytes.Contains(line, []byte("dbus/")) {
		return
	}
	w.buf = append(w.buf, line...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = w.buf[over:]
	}
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(bytes.TrimSpace(append(w.buf[:len(w.buf):len(w.buf)], w.line...)))
}
