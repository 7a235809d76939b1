package web_test

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// A full disk (SQLite at its page limit: SQLITE_FULL, as when the disk is
// full) refuses writes with 507 and Retry-After at every door, /healthz
// says degraded, the log says so once a minute rather than once a request,
// and everything recovers once space is freed.
func TestFullDiskAnswers507AndHealthSaysDegraded(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	e := newO311Env(t, db)
	before := e.count()
	if err := db.CapPages(ctx, 1); err != nil { // SQLite keeps the size already used
		t.Fatal(err)
	}
	item := func(n int) string {
		return `{"kind":"help","channel":"online_box","text":"` + strings.Repeat("满", n) + `"}`
	}
	text := item(3000)
	var a answer
	for range 100 {
		if a = e.send("POST", "/api/v1/items", "", jsonType, text); a.status != 201 {
			break
		}
	}
	if a.status != 507 || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, `"code":"storage_full"`) || !strings.Contains(a.body, "storage is full") {
		t.Fatalf("a write to a full database: %d Retry-After %q %s", a.status, a.header.Get("Retry-After"), a.body)
	}
	// Fill what room is left in the pages with ever smaller writes.
	for n := 300; n > 0; n /= 10 {
		for range 1000 {
			if a = e.send("POST", "/api/v1/items", "", jsonType, item(n)); a.status != 201 {
				break
			}
		}
	}
	for i := range 1000 {
		if a = e.send("POST", "/api/v1/units", "admin", jsonType, fmt.Sprintf(`{"code":"u%d","name":"单位%d","kind":"office","parent_code":"bureau"}`, i, i)); a.status != 201 {
			break
		}
	}
	if a.status != 507 {
		t.Fatalf("filling the database: %d %s", a.status, a.body)
	}
	written := e.count() - before
	if h := e.send("GET", "/healthz", "", "", ""); h.status != 503 || !strings.Contains(h.body, `"status":"degraded"`) {
		t.Fatalf("healthz while writes fail: %d %s", h.status, h.body)
	}
	for _, tc := range []struct{ name, method, path, contentType, body, want string }{
		{"API", "POST", "/api/v1/items", jsonType, text, `"code":"storage_full"`},
		{"Open311", "POST", "/open311/v2/requests.json", formType, e.goodRequest().Encode(), `"code":507`},
		{"admin API", "POST", "/api/v1/units", jsonType, `{"code":"c","name":"丙派出所","kind":"station","parent_code":"bureau"}`, `"code":"storage_full"`},
	} {
		user := ""
		if tc.name == "admin API" {
			user = "admin"
		}
		if a := e.send(tc.method, tc.path, user, tc.contentType, tc.body); a.status != 507 || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, tc.want) {
			t.Errorf("%s: %d Retry-After %q %s, want 507", tc.name, a.status, a.header.Get("Retry-After"), a.body)
		}
	}
	if n := strings.Count(e.logs.String(), "database refuses requests"); n != 1 {
		t.Errorf("the full disk was logged %d times, want once a minute:\n%s", n, e.logs.String())
	}
	if strings.Contains(e.logs.String(), "request failed") {
		t.Errorf("a refused write was logged as a failure of its own:\n%s", e.logs.String())
	}
	if got := e.count() - before; got != written {
		t.Errorf("refused writes stored %d items", got-written)
	}

	if err := db.CapPages(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if a := e.send("POST", "/api/v1/items", "", jsonType, text); a.status != 201 {
		t.Fatalf("after space was freed: %d %s", a.status, a.body)
	}
	if h := e.send("GET", "/healthz", "", "", ""); h.status != 200 || !strings.Contains(h.body, `"status":"ok"`) {
		t.Fatalf("healthz after recovery: %d %s", h.status, h.body)
	}
}

// proxy forwards TCP connections to a server and can drop them all, as a
// database server that went away does.
type proxy struct {
	t      *testing.T
	addr   string // where clients connect
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
	wg     sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target, addr: "127.0.0.1:0"}
	p.start()
	p.addr = p.ln.Addr().String()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// stop closes the listener and every connection through it.
func (p *proxy) stop() {
	p.mu.Lock()
	if p.ln != nil {
		p.ln.Close()
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.ln, p.conns = nil, nil
	p.mu.Unlock()
	p.wg.Wait()
}

// A PostgreSQL server that goes away (its connections dropped, new ones
// refused) is 503 with Retry-After at every door and in /healthz, never
// 500; once it is back, the pool reconnects and requests succeed.
func TestLostDatabaseAnswers503(t *testing.T) {
	u, err := url.Parse(testdb.URL(t, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.addr
	db, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := newO311Env(t, db)
	id := e.file(t, nil)
	if a := e.send("GET", "/api/v1/items", "leader", "", ""); a.status != 200 {
		t.Fatalf("before: %d %s", a.status, a.body)
	}

	p.stop()
	for _, tc := range []struct{ name, method, path, user, contentType, body, want string }{
		{"API read", "GET", "/api/v1/items", "leader", "", "", `"code":"unavailable"`},
		{"API write", "POST", "/api/v1/items", "", jsonType, `{"kind":"help","channel":"online_box","text":"还在吗"}`, `"code":"unavailable"`},
		{"API item", "GET", "/api/v1/items/" + id + "?access_code=ABCDEFGH", "", "", "", `"code":"unavailable"`},
		{"Open311", "GET", "/open311/v2/requests/" + id + ".json", "", "", "", `"code":503`},
		{"page", "GET", "/desk/" + id, "", "", "", "<html"},
		{"health", "GET", "/healthz", "", "", "", `"status":"database unavailable"`},
	} {
		a := e.send(tc.method, tc.path, tc.user, tc.contentType, tc.body)
		if a.status != 503 || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, tc.want) {
			t.Errorf("%s: %d Retry-After %q %s, want 503 with Retry-After", tc.name, a.status, a.header.Get("Retry-After"), a.body)
		}
	}
	if strings.Contains(e.logs.String(), "request failed") {
		t.Errorf("the lost database was logged once a request:\n%s", e.logs.String())
	}

	p.start()
	if a := e.send("GET", "/api/v1/items", "leader", "", ""); a.status != 200 {
		t.Fatalf("after the database came back: %d %s", a.status, a.body)
	}
	// The last write failed: health stays degraded until one succeeds.
	if a := e.send("GET", "/healthz", "", "", ""); a.status != 503 || !strings.Contains(a.body, `"status":"degraded"`) {
		t.Fatalf("healthz before a write succeeded again: %d %s", a.status, a.body)
	}
	if a := e.send("POST", "/api/v1/items", "", jsonType, `{"kind":"help","channel":"online_box","text":"回来了"}`); a.status != 201 {
		t.Fatalf("a write after the database came back: %d %s", a.status, a.body)
	}
	if a := e.send("GET", "/healthz", "", "", ""); a.status != 200 {
		t.Fatalf("healthz after the database came back: %d %s", a.status, a.body)
	}
}
