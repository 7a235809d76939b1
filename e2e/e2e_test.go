// Package e2e walks minyi's pages in real headless Chromium, as citizens,
// officers and leaders of the demo bureau would, against a real server on a
// real SQLite database copied from a fixture.
package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"minyi/archive"
	"minyi/demo"
	"minyi/internal/browsertest"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

// fixture is a data directory holding the demo bureau, built once per run:
// loading the demo takes seconds, copying its file milliseconds.
var fixture string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "minyi-e2e-fixture-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := buildFixture(dir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e fixture:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	fixture = dir
	defer os.RemoveAll(dir)
	browsertest.Main(m)
}

func buildFixture(dir string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := service(ctx, db)
	if err != nil {
		return err
	}
	_, err = demo.Load(ctx, demo.Env{Store: db, Policy: svc.Policy()})
	return err
}

func service(ctx context.Context, db *store.DB) (*archive.Service, error) {
	cal, err := archive.LoadCalendar(ctx, db)
	if err != nil {
		return nil, err
	}
	return archive.NewService(db, archive.Policy{Calendar: cal}), nil
}

// server starts minyi on a private copy of the demo database and returns
// its address; configure changes the web layer's settings.
func server(t *testing.T, configure ...func(*web.Config)) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(t, filepath.Join(fixture, e.Name()), filepath.Join(dir, e.Name()))
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc, err := service(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{AgencyName: "鄂托克旗公安局", Dialect: db.Dialect()}
	for _, c := range configure {
		c(&cfg)
	}
	srv, err := web.New(wire.Web(db, svc, wire.Options{}), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	bases.Store(t.Name(), ts.URL)
	dbs.Store(t.Name(), db)
	return ts.URL
}

// bases remembers each test's server so that tabs can be opened on it;
// dbs its database, for tests that record what the demo lacks.
var bases, dbs sync.Map

// dbOf returns the database of the test's server.
func dbOf(t *testing.T) *store.DB {
	v, ok := dbs.Load(t.Name())
	if !ok {
		t.Fatal("e2e: start the server first")
	}
	return v.(*store.DB)
}

// servicesOf returns the services over the test's demo database (server
// started it), for a test to record what its pages then show.
func servicesOf(t *testing.T) web.Services {
	t.Helper()
	db := dbOf(t)
	items, err := service(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return wire.Web(db, items, wire.Options{})
}

// userOf returns the user of the test's demo database named name.
func userOf(t *testing.T, name string) org.User {
	t.Helper()
	u, err := dbOf(t).UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func baseOf(t *testing.T) string {
	v, ok := bases.Load(t.Name())
	if !ok {
		t.Fatal("e2e: start the server before opening a tab")
	}
	return v.(string)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// login signs b in as a demo account.
func login(t *testing.T, b *browsertest.Browser, base, name string) {
	t.Helper()
	b.Go(base + "/login")
	b.Fill("#name", name)
	b.Fill("#password", demo.Password)
	b.SubmitForm("#password")
	if !b.Exists(".staffnav") {
		t.Fatalf("%s did not get in: %s", name, b.Text("main"))
	}
}

// newPhone opens a phone-sized tab. Chromium asks for English by default;
// the bureau's citizens read simplified Chinese, so the tab starts there
// (the language tests switch it themselves).
func newPhone(t *testing.T, opts ...browsertest.Option) *browsertest.Browser {
	t.Helper()
	return newTab(t, append([]browsertest.Option{browsertest.Phone()}, opts...)...)
}

// newDesk opens a desktop-sized tab, as staff use.
func newDesk(t *testing.T, opts ...browsertest.Option) *browsertest.Browser {
	t.Helper()
	return newTab(t, append([]browsertest.Option{browsertest.Desktop()}, opts...)...)
}

func newTab(t *testing.T, opts ...browsertest.Option) *browsertest.Browser {
	t.Helper()
	// Full-page screenshots of long pages take a while on a busy two-core machine.
	b := browsertest.New(t, append([]browsertest.Option{browsertest.Timeout(30 * time.Second)}, opts...)...)
	b.Go(baseOf(t) + "/prefs?lang=zh-Hans")
	return b
}
