package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/store"
	"minyi/web"
)

// behindProxy is the configuration of a server behind a proxy on the
// loopback interface, where the tests stand: X-Forwarded-For names the
// client, so each test can speak from several addresses.
func behindProxy(db *store.DB, l web.Limits, clock *testkit.Clock) web.Config {
	return web.Config{MaxBodyBytes: 64 << 10, Dialect: db.Dialect(), Limits: l,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
		Now:            clock.Now}
}

// from sends a request to base as the client at addr (X-Forwarded-For) and
// returns the status, the Retry-After header and the body.
func from(t *testing.T, base, addr, method, path string, body any, header ...string) (int, string, string) {
	t.Helper()
	var r io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case url.Values: // a page's form, with its anti-forgery token
		b.Set("csrf_token", formToken)
		r, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
		header = append(header, "Cookie", "minyi_csrf="+formToken)
	default:
		buf, _ := json.Marshal(b)
		r = strings.NewReader(string(buf))
	}
	req, _ := http.NewRequest(method, base+path, r)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept-Language", "zh-CN")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
}

var formToken = strings.Repeat("t", 43)

var opinion = map[string]any{"kind": "suggestion", "channel": "online_box", "text": "建议在村口装路灯"}

func TestAnonymousIntakeIsLimitedPerAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 20, 0, 0, time.UTC))
		e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{Intake: ratelimit.Rate{N: 60, Per: time.Hour}}, clock)))
		for i := range 60 {
			if st, _, body := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", opinion); st != http.StatusCreated {
				t.Fatalf("item %d: %d %s", i+1, st, body)
			}
		}
		st, retry, body := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", opinion)
		var got struct{ Code, Message string }
		json.Unmarshal([]byte(body), &got)
		if st != http.StatusTooManyRequests || retry != "2400" || got.Code != "too_many" || !strings.Contains(got.Message, " / ") {
			t.Fatalf("the 61st item within the hour: %d, Retry-After %q, %s", st, retry, body)
		}
		if n := e.count(); n != 60 {
			t.Fatalf("%d items filed, want 60: the refused one was written", n)
		}
		// The write-in page is the same door: a page, not JSON.
		st, retry, body = from(t, e.url, "192.0.2.1", "POST", "/write", url.Values{"kind": {"suggestion"}, "text": {"建议在村口装路灯"}},
			"Origin", e.url)
		if st != http.StatusTooManyRequests || retry != "2400" || !strings.Contains(body, "<html") || !strings.Contains(body, "2400") {
			t.Fatalf("the write-in page over the limit: %d %q %.300s", st, retry, body)
		}
		// Another address, and staff from the same one, are not held up.
		if st, _, body := from(t, e.url, "192.0.2.2", "POST", "/api/v1/items", opinion); st != http.StatusCreated {
			t.Fatalf("another address: %d %s", st, body)
		}
		if st, _, body := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", map[string]any{"kind": "suggestion", "channel": "phone", "text": "电话记录"},
			"Authorization", "Bearer "+e.tokens["officer-a"]); st != http.StatusCreated {
			t.Fatalf("staff: %d %s", st, body)
		}
		clock.Advance(40 * time.Minute) // the next hour
		if st, _, body := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", opinion); st != http.StatusCreated {
			t.Fatalf("in the next window: %d %s", st, body)
		}
	})
}

func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	limit := web.Limits{Intake: ratelimit.Rate{N: 1, Per: time.Hour}}
	direct := behindProxy(db, limit, clock)
	direct.TrustedProxies = nil
	e := newEnv(t, db, withConfig(direct))
	if st, _, _ := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", opinion); st != http.StatusCreated {
		t.Fatal(st)
	}
	// Without a trusted proxy the header is the client's own word: the
	// limit is the peer's, whatever it claims.
	if st, _, _ := from(t, e.url, "192.0.2.2", "POST", "/api/v1/items", opinion); st != http.StatusTooManyRequests {
		t.Fatalf("a forged X-Forwarded-For got round the limit: %d", st)
	}
	proxied := newEnv(t, testdb.Open(t, "sqlite"), withConfig(behindProxy(db, limit, clock)))
	for _, addr := range []string{"192.0.2.1", "192.0.2.2", "10.9.9.9, 192.0.2.3"} {
		if st, _, body := from(t, proxied.url, addr, "POST", "/api/v1/items", opinion); st != http.StatusCreated {
			t.Fatalf("client %s behind the proxy: %d %s", addr, st, body)
		}
	}
	// The right-most untrusted hop is the client: what it put in front of
	// its own address does not make it someone else.
	if st, _, _ := from(t, proxied.url, "198.51.100.1, 192.0.2.3", "POST", "/api/v1/items", opinion); st != http.StatusTooManyRequests {
		t.Fatalf("a client choosing the left of the header: %d", st)
	}
}

func TestReceiptSMSIsLimitedPerPhone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{}, clock)), withItems(func(svc *archive.Service) {
			svc.Notices = &archive.NoticeSettings{Bureau: "测试局", TrackURL: "http://x/track"}
			svc.SMSRate, svc.Limits = ratelimit.Rate{N: 3, Per: time.Hour}, ratelimit.Limiter{Counter: db, Now: clock.Now}
		}))
		withPhone := func(phone string) map[string]any {
			return map[string]any{"kind": "suggestion", "channel": "online_box", "text": "建议在村口装路灯", "contact": map[string]any{"phone": phone}}
		}
		for i := range 4 {
			st, _, body := from(t, e.url, "192.0.2."+strconv.Itoa(i+1), "POST", "/api/v1/items", withPhone("13800138000"))
			var got struct{ Number, ReceiptSMS, Warning string }
			json.Unmarshal([]byte(body), &got)
			got.ReceiptSMS = jsonField(body, "receipt_sms")
			withheld := i == 3
			if st != http.StatusCreated || got.Number == "" || (got.ReceiptSMS == "withheld") != withheld || (got.Warning != "") != withheld {
				t.Fatalf("item %d with the same phone: %d %s", i+1, st, body)
			}
		}
		// The receipt the write-in form leads to says so too.
		v := e.visitor()
		_, answer := v.post("/write", v.writeForm(url.Values{"kind": {"suggestion"}, "text": {"建议在村口装路灯"}, "phone": {"13800138000"}}))
		receipt, _, _ := strings.Cut(strings.TrimPrefix(answer, "Location: "), "\n")
		_, body := v.get(receipt)
		if !strings.Contains(body, "本次没有发送短信") || strings.Contains(body, "我们也会用短信") {
			t.Errorf("the receipt page does not say that no SMS was sent: %.2000s", body)
		}
		if st, _, _ := from(t, e.url, "192.0.2.9", "POST", "/api/v1/items", withPhone("13900139000")); st != http.StatusCreated {
			t.Fatal(st)
		}
		receipts := map[string]int{}
		ns, err := db.Notices(ctx, outbox.NoticeFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.Kind == archive.NoticeReceipt {
				receipts[n.Phone]++
			}
		}
		if receipts["13800138000"] != 3 || receipts["13900139000"] != 1 {
			t.Fatalf("receipts queued: %v; want 3 to the flooded number, 1 to the other", receipts)
		}
		clock.Advance(time.Hour)
		if st, _, body := from(t, e.url, "192.0.2.1", "POST", "/api/v1/items", withPhone("13800138000")); st != http.StatusCreated || jsonField(body, "receipt_sms") != "" {
			t.Fatalf("an hour later: %d %s", st, body)
		}
	})
}

// One landline written three ways is one number: each spelling does not
// get receipts of its own.
func TestReceiptSMSLimitCountsALandlineOnce(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{}, clock)), withItems(func(svc *archive.Service) {
		svc.Notices = &archive.NoticeSettings{Bureau: "测试局", TrackURL: "http://x/track"}
		svc.SMSRate, svc.Limits = ratelimit.Rate{N: 2, Per: time.Hour}, ratelimit.Limiter{Counter: db, Now: clock.Now}
	}))
	for i, c := range []struct {
		phone    string
		withheld bool
	}{{"0477-8512345", false}, {"04778512345", false}, {"047-78512345", true}} {
		st, _, body := from(t, e.url, "192.0.2."+strconv.Itoa(i+1), "POST", "/api/v1/items", map[string]any{"kind": "suggestion",
			"channel": "online_box", "text": "建议在村口装路灯", "contact": map[string]any{"phone": c.phone}})
		if st != http.StatusCreated || (jsonField(body, "receipt_sms") == "withheld") != c.withheld {
			t.Fatalf("%s: %d %s; want the receipt withheld: %v", c.phone, st, body, c.withheld)
		}
	}
}

func jsonField(body, name string) string {
	var m map[string]any
	json.Unmarshal([]byte(body), &m)
	s, _ := m[name].(string)
	return s
}

func TestCodeGuessesAreLimitedPerNumberAndAddress(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{CodeGuess: ratelimit.Rate{N: 5, Per: time.Hour}}, clock)))
	file := func() (string, string) {
		t.Helper()
		st, _, body := from(t, e.url, "192.0.2.100", "POST", "/api/v1/items", opinion)
		if st != http.StatusCreated {
			t.Fatal(st, body)
		}
		return jsonField(body, "number"), jsonField(body, "access_code")
	}
	view := func(addr, number, code string) (int, string) {
		t.Helper()
		st, retry, _ := from(t, e.url, addr, "GET", "/api/v1/items/"+number+"?access_code="+code, nil)
		return st, retry
	}
	n1, c1 := file()
	n2, c2 := file()
	for i := range 5 {
		if st, _ := view("192.0.2.1", n1, "WRONGCDE"); st != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i+1, st)
		}
	}
	for _, c := range []struct {
		name, addr, number, code string
		want                     int
	}{
		{"the right code after the guesses", "192.0.2.1", n1, c1, http.StatusTooManyRequests},
		{"the guessed number from elsewhere", "192.0.2.2", n1, c1, http.StatusTooManyRequests},
		{"another number from the guessing address", "192.0.2.1", n2, c2, http.StatusTooManyRequests},
		{"another number from elsewhere", "192.0.2.2", n2, c2, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, retry := view(c.addr, c.number, c.code)
			if st != c.want || (st == http.StatusTooManyRequests && retry != "3600") {
				t.Fatalf("%d, Retry-After %q; want %d", st, retry, c.want)
			}
		})
	}
	// The tracking page is the same door, answered with a page.
	st, retry, body := from(t, e.url, "192.0.2.1", "POST", "/track", url.Values{"number": {n1}, "code": {c1}}, "Origin", e.url)
	if st != http.StatusTooManyRequests || retry == "" || !strings.Contains(body, "<html") {
		t.Fatalf("the tracking form: %d %q %.300s", st, retry, body)
	}
	clock.Advance(time.Hour)
	if st, _ := view("192.0.2.1", n1, c1); st != http.StatusOK {
		t.Fatalf("the right code once the window has passed: %d", st)
	}
}

// The receipt page takes its access code from a cookie, which a client can
// set to any guess: its guesses count, and once a number has had its wrong
// codes the page refuses the right one too.
func TestReceiptPageGuessesAreLimited(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{CodeGuess: ratelimit.Rate{N: 5, Per: time.Hour}}, clock)))
	st, _, body := from(t, e.url, "192.0.2.100", "POST", "/api/v1/items", opinion)
	if st != http.StatusCreated {
		t.Fatal(st, body)
	}
	number, code := jsonField(body, "number"), jsonField(body, "access_code")
	receipt := func(addr, code string) (int, string) {
		t.Helper()
		st, retry, _ := from(t, e.url, addr, "GET", "/track/"+number+"/receipt", nil, "Cookie", "minyi_receipt=1; minyi_access="+code)
		return st, retry
	}
	if st, _ := receipt("192.0.2.100", code); st != http.StatusOK {
		t.Fatalf("the receipt with its code: %d", st)
	}
	for i := range 5 {
		if st, _ := receipt("192.0.2."+strconv.Itoa(i+1), "WRONGCD"+strconv.Itoa(i+2)); st != http.StatusSeeOther {
			t.Fatalf("guess %d: %d", i+1, st)
		}
	}
	if st, retry := receipt("192.0.2.100", code); st != http.StatusTooManyRequests || retry != "3600" {
		t.Fatalf("the right code after 5 wrong ones at the number: %d, Retry-After %q", st, retry)
	}
}

func TestLoginFailuresFromOneAddressDoNotLockTheAccountElsewhere(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	clock := testkit.NewClock(time.Now())
	e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{LoginFailures: ratelimit.Rate{N: 8, Per: 15 * time.Minute}}, clock)))
	login := func(addr, name, password string) int {
		t.Helper()
		st, _, _ := from(t, e.url, addr, "POST", "/login", url.Values{"name": {name}, "password": {password}},
			"Origin", e.url)
		return st
	}
	for i := range 5 {
		if st := login("192.0.2.66", "officer-a", "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, st)
		}
	}
	if st := login("192.0.2.66", "officer-a", e.passwords["officer-a"]); st != http.StatusTooManyRequests {
		t.Fatalf("the guessing address, right password: %d", st)
	}
	if st := login("198.51.100.7", "officer-a", e.passwords["officer-a"]); st != http.StatusSeeOther {
		t.Fatalf("the officer from another address is locked out: %d", st)
	}
	// The guessing address may fail 8 times in all, whatever the names.
	for i, name := range []string{"leader", "admin", "nobody"} {
		if st := login("192.0.2.66", name, "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("other name %d: %d", i+1, st)
		}
	}
	st, retry, _ := from(t, e.url, "192.0.2.66", "POST", "/login", url.Values{"name": {"officer-b"}, "password": {e.passwords["officer-b"]}},
		"Origin", e.url)
	if st != http.StatusTooManyRequests || retry != "900" {
		t.Fatalf("after 8 failures from one address: %d, Retry-After %q", st, retry)
	}
}

// An IPv6 client holds a whole /64: failing from a fresh address of it
// each time neither gets round the lock of a name for that address nor the
// cap on the address's failures.
func TestLoginFailuresCountAnIPv6SubnetAsOneAddress(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	clock := testkit.NewClock(time.Now())
	e := newEnv(t, db, withConfig(behindProxy(db, web.Limits{LoginFailures: ratelimit.Rate{N: 8, Per: 15 * time.Minute}}, clock)))
	login := func(addr, name, password string) (int, string) {
		t.Helper()
		st, retry, _ := from(t, e.url, addr, "POST", "/login", url.Values{"name": {name}, "password": {password}},
			"Origin", e.url)
		return st, retry
	}
	for i := 1; i <= 5; i++ {
		if st, _ := login("2001:db8:1:2::"+strconv.Itoa(i), "officer-a", "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, st)
		}
	}
	if st, _ := login("2001:db8:1:2:ffff::6", "officer-a", e.passwords["officer-a"]); st != http.StatusTooManyRequests {
		t.Fatalf("a sixth address of the guessing /64, right password: %d, want 429", st)
	}
	if st, _ := login("2001:db8:1:3::1", "officer-a", e.passwords["officer-a"]); st != http.StatusSeeOther {
		t.Fatalf("the officer from another /64 is locked out: %d", st)
	}
	for i, name := range []string{"leader", "admin", "nobody"} {
		if st, _ := login("2001:db8:1:2::"+strconv.Itoa(10+i), name, "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("other name %d: %d", i+1, st)
		}
	}
	if st, retry := login("2001:db8:1:2::99", "officer-b", e.passwords["officer-b"]); st != http.StatusTooManyRequests || retry != "900" {
		t.Fatalf("after 8 failures from one /64: %d, Retry-After %q", st, retry)
	}
}

func TestLimitsHoldAcrossServersOnOneDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := testkit.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		cfg := behindProxy(db, web.Limits{Intake: ratelimit.Rate{N: 3, Per: time.Hour}, CodeGuess: ratelimit.Rate{N: 2, Per: time.Hour}}, clock)
		a := newEnv(t, db, withConfig(cfg))
		b := startServer(t, db, archive.NewService(db, archive.Policy{Calendar: calendar.Default()}), cfg, nil)
		var wg sync.WaitGroup
		statuses := make(chan int, 6)
		for i := range 6 {
			wg.Go(func() {
				base := a.url
				if i%2 == 1 {
					base = b
				}
				st, _, _ := from(t, base, "192.0.2.1", "POST", "/api/v1/items", opinion)
				statuses <- st
			})
		}
		wg.Wait()
		close(statuses)
		created := 0
		for st := range statuses {
			if st == http.StatusCreated {
				created++
			} else if st != http.StatusTooManyRequests {
				t.Errorf("status %d", st)
			}
		}
		if created != 3 {
			t.Fatalf("%d items filed through two servers, want 3", created)
		}
		from(t, a.url, "192.0.2.2", "GET", "/api/v1/items/2026-000001?access_code=WRONGCDE", nil)
		from(t, b, "192.0.2.2", "GET", "/api/v1/items/2026-000001?access_code=WRONGCDE", nil)
		if st, _, _ := from(t, a.url, "192.0.2.3", "GET", "/api/v1/items/2026-000001?access_code=WRONGCDE", nil); st != http.StatusTooManyRequests {
			t.Fatalf("guesses at one number through two servers: %d", st)
		}
	})
}
