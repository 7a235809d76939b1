package store_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func TestSessionStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Now()
		live, past := now.Add(time.Hour), now.Add(-time.Second)

		find := func(t *testing.T, token string) ([]byte, bool) {
			t.Helper()
			b, found, err := db.FindCtx(ctx, token)
			if err != nil {
				t.Fatalf("find %q: %v", token, err)
			}
			return b, found
		}
		commit := func(t *testing.T, token string, b []byte, expiry time.Time) {
			t.Helper()
			if err := db.CommitCtx(ctx, token, b, expiry); err != nil {
				t.Fatalf("commit %q: %v", token, err)
			}
		}

		t.Run("commit then find", func(t *testing.T) {
			data := []byte{0, 1, 2, 0xff, 'x'} // binary, not text
			commit(t, "tok-find", data, live)
			if b, found := find(t, "tok-find"); !found || !bytes.Equal(b, data) {
				t.Fatalf("found=%v data=%v, want %v", found, b, data)
			}
		})
		t.Run("unknown token", func(t *testing.T) {
			if b, found := find(t, "no-such-token"); found || b != nil {
				t.Fatalf("found=%v data=%v", found, b)
			}
		})
		t.Run("expired not found", func(t *testing.T) {
			commit(t, "tok-expired", []byte("old"), past)
			if _, found := find(t, "tok-expired"); found {
				t.Fatal("expired session found")
			}
			all, err := db.AllCtx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := all["tok-expired"]; ok {
				t.Fatal("expired session listed by AllCtx")
			}
		})
		t.Run("commit twice overwrites", func(t *testing.T) {
			commit(t, "tok-upsert", []byte("first"), past)
			commit(t, "tok-upsert", []byte("second"), live)
			if b, found := find(t, "tok-upsert"); !found || string(b) != "second" {
				t.Fatalf("found=%v data=%q", found, b)
			}
			// Overwriting with an expiry in the past ends the session.
			commit(t, "tok-upsert", []byte("third"), past)
			if _, found := find(t, "tok-upsert"); found {
				t.Fatal("session found after committing a past expiry")
			}
		})
		t.Run("empty data", func(t *testing.T) {
			commit(t, "tok-nil", nil, live)
			if b, found := find(t, "tok-nil"); !found || len(b) != 0 {
				t.Fatalf("found=%v data=%v", found, b)
			}
		})
		t.Run("delete", func(t *testing.T) {
			commit(t, "tok-delete", []byte("x"), live)
			if err := db.DeleteCtx(ctx, "tok-delete"); err != nil {
				t.Fatal(err)
			}
			if _, found := find(t, "tok-delete"); found {
				t.Fatal("deleted session found")
			}
			if err := db.DeleteCtx(ctx, "tok-delete"); err != nil {
				t.Fatalf("deleting an unknown token: %v", err)
			}
		})
		t.Run("non-ctx methods", func(t *testing.T) {
			if err := db.Commit("tok-plain", []byte("p"), live); err != nil {
				t.Fatal(err)
			}
			if b, found, err := db.Find("tok-plain"); err != nil || !found || string(b) != "p" {
				t.Fatalf("find: %q %v %v", b, found, err)
			}
			if err := db.Delete("tok-plain"); err != nil {
				t.Fatal(err)
			}
			if _, found, err := db.Find("tok-plain"); err != nil || found {
				t.Fatalf("after delete: %v %v", found, err)
			}
		})
		t.Run("expiry stored as microseconds", func(t *testing.T) {
			// The rest of the store keeps times as Unix microseconds; sessions must too.
			at := time.Date(2030, 1, 2, 3, 4, 5, 678901000, time.UTC)
			commit(t, "tok-micros", []byte("m"), at)
			var got int64
			if err := raw(t, db).QueryRow("SELECT expiry FROM sessions WHERE token = 'tok-micros'").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != at.UnixMicro() {
				t.Fatalf("stored expiry %d, want %d", got, at.UnixMicro())
			}
		})
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Now()
		sessions := []struct {
			token  string
			expiry time.Time
		}{
			{"old-1", now.Add(-48 * time.Hour)},
			{"old-2", now.Add(-time.Second)},
			{"live-1", now.Add(time.Minute)},
			{"live-2", now.Add(24 * time.Hour)},
		}
		for _, s := range sessions {
			if err := db.CommitCtx(ctx, s.token, []byte(s.token), s.expiry); err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.DeleteExpiredSessions(ctx)
		if err != nil || n != 2 {
			t.Fatalf("deleted %d, %v; want 2", n, err)
		}
		var left int
		if err := raw(t, db).QueryRow("SELECT COUNT(*) FROM sessions").Scan(&left); err != nil || left != 2 {
			t.Fatalf("%d rows left (%v), want 2", left, err)
		}
		all, err := db.AllCtx(ctx)
		if err != nil || len(all) != 2 || string(all["live-1"]) != "live-1" || string(all["live-2"]) != "live-2" {
			t.Fatalf("AllCtx after cleanup: %q, %v", all, err)
		}
		if n, err := db.DeleteExpiredSessions(ctx); err != nil || n != 0 {
			t.Fatalf("second cleanup deleted %d, %v", n, err)
		}
	})
}

// TestSessionCommitsConcurrently commits from many goroutines at once, which
// on SQLite exercises the group commit.
func TestSessionCommitsConcurrently(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		const n = 64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- db.CommitCtx(ctx, fmt.Sprintf("tok-%d", i), []byte{byte(i)}, time.Now().Add(time.Hour))
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.AllCtx(ctx)
		if err != nil || len(all) != n {
			t.Fatalf("%d sessions, %v; want %d", len(all), err, n)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Now()
		window := now.Add(-15 * time.Minute)
		for _, f := range []struct {
			name, remote string
			ago          time.Duration
		}{
			{"alice", "192.0.2.1", 20 * time.Minute}, // outside the window
			{"alice", "192.0.2.1", 15 * time.Minute}, // exactly at its start: counts
			{"alice", "192.0.2.1", 10 * time.Minute},
			{"alice", "192.0.2.1", time.Minute},
			{"bob", "192.0.2.1", time.Minute},
			{"Alice", "192.0.2.1", time.Minute}, // names are compared exactly
			{"alice", "198.51.100.7", time.Minute},
		} {
			if err := db.RecordLoginFailure(ctx, f.name, f.remote, now.Add(-f.ago)); err != nil {
				t.Fatal(err)
			}
		}
		counts := func(t *testing.T, name, remote string, since time.Time) org.LoginFailures {
			t.Helper()
			f, err := db.RecentLoginFailures(ctx, name, remote, since, since)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		count := func(t *testing.T, name string, since time.Time) int {
			t.Helper()
			return counts(t, name, "192.0.2.1", since).NameFromAddress
		}
		t.Run("by name, by name and address, by address", func(t *testing.T) {
			for _, c := range []struct {
				name, remote string
				since        time.Time
				want         org.LoginFailures
			}{
				{"alice", "192.0.2.1", window, org.LoginFailures{Name: 4, NameFromAddress: 3, Address: 5}},
				{"alice", "198.51.100.7", window, org.LoginFailures{Name: 4, NameFromAddress: 1, Address: 1}},
				{"carol", "198.51.100.7", window, org.LoginFailures{Address: 1}},
				{"carol", "203.0.113.9", window, org.LoginFailures{}},
			} {
				if got := counts(t, c.name, c.remote, c.since); got != c.want {
					t.Errorf("%s from %s: %+v, want %+v", c.name, c.remote, got, c.want)
				}
			}
		})
		tests := []struct {
			name  string
			user  string
			since time.Time
			want  int
		}{
			{"within window", "alice", window, 3},
			{"wider window", "alice", now.Add(-time.Hour), 4},
			{"narrow window", "alice", now.Add(-5 * time.Minute), 1},
			{"future since", "alice", now.Add(time.Minute), 0},
			{"other user", "bob", window, 1},
			{"case differs", "Alice", window, 1},
			{"no failures", "carol", window, 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := count(t, tc.user, tc.since); got != tc.want {
					t.Fatalf("%d failures, want %d", got, tc.want)
				}
			})
		}
		t.Run("clear", func(t *testing.T) {
			if err := db.ClearLoginFailures(ctx, "alice", "192.0.2.1"); err != nil {
				t.Fatal(err)
			}
			if got := counts(t, "alice", "192.0.2.1", window); got.NameFromAddress != 0 || got.Name != 1 {
				t.Fatalf("clearing one address's failures: %+v", got)
			}
			if err := db.ClearLoginFailures(ctx, "alice", ""); err != nil {
				t.Fatal(err)
			}
			if got := count(t, "alice", now.Add(-time.Hour)); got != 0 {
				t.Fatalf("alice has %d failures after clear", got)
			}
			if got := count(t, "bob", window); got != 1 {
				t.Fatalf("clearing alice changed bob: %d", got)
			}
			if err := db.ClearLoginFailures(ctx, "nobody", ""); err != nil {
				t.Fatalf("clearing a name without failures: %v", err)
			}
		})
		t.Run("prune", func(t *testing.T) {
			if err := db.RecordLoginFailure(ctx, "dave", "", now.Add(-2*time.Hour)); err != nil {
				t.Fatal(err)
			}
			n, err := db.PruneLoginFailures(ctx, now.Add(-time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("pruned %d, %v; want 1", n, err)
			}
			if got := count(t, "bob", window); got != 1 {
				t.Fatalf("pruning removed a recent failure: bob has %d", got)
			}
		})
	})
}

// TestSessionManager drives scs through real HTTP requests: the first request
// logs in and gets a cookie, the second carries it and reads the value back
// from the database.
func TestSessionManager(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for _, hashed := range []bool{false, true} {
			t.Run(fmt.Sprintf("hash token %v", hashed), func(t *testing.T) {
				sm := scs.New()
				sm.Store = db
				sm.Lifetime = time.Hour
				sm.HashTokenInStore = hashed
				sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
					t.Errorf("scs: %v", err)
					http.Error(w, "session error", http.StatusInternalServerError)
				}
				mux := http.NewServeMux()
				mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
					if err := sm.RenewToken(r.Context()); err != nil {
						http.Error(w, err.Error(), http.StatusInternalServerError)
						return
					}
					sm.Put(r.Context(), "user", "张三")
					io.WriteString(w, "ok")
				})
				mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
					io.WriteString(w, sm.GetString(r.Context(), "user"))
				})
				mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
					if err := sm.Destroy(r.Context()); err != nil {
						http.Error(w, err.Error(), http.StatusInternalServerError)
					}
				})
				srv := httptest.NewServer(sm.LoadAndSave(mux))
				defer srv.Close()
				jar, err := cookiejar.New(nil)
				if err != nil {
					t.Fatal(err)
				}
				client := &http.Client{Jar: jar}
				do := func(method, path string) string {
					t.Helper()
					req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, nil)
					if err != nil {
						t.Fatal(err)
					}
					resp, err := client.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					body, err := io.ReadAll(resp.Body)
					if err != nil || resp.StatusCode != http.StatusOK {
						t.Fatalf("%s %s: %d %q %v", method, path, resp.StatusCode, body, err)
					}
					return string(body)
				}

				do("POST", "/login")
				cookies := jar.Cookies(mustParse(t, srv.URL))
				if len(cookies) != 1 || cookies[0].Name != "session" {
					t.Fatalf("cookies after login: %v", cookies)
				}
				token := cookies[0].Value
				all, err := db.AllCtx(t.Context())
				if err != nil || len(all) != 1 {
					t.Fatalf("stored sessions: %d, %v", len(all), err)
				}
				for stored := range all {
					if (stored == token) == hashed {
						t.Fatalf("stored token %q, cookie %q, hashed=%v", stored, token, hashed)
					}
				}

				if got := do("GET", "/me"); got != "张三" {
					t.Fatalf("second request sees user %q", got)
				}

				do("POST", "/logout")
				if all, err := db.AllCtx(t.Context()); err != nil || len(all) != 0 {
					t.Fatalf("sessions after logout: %d, %v", len(all), err)
				}
				if got := do("GET", "/me"); got != "" {
					t.Fatalf("after logout the user is %q", got)
				}
			})
		}
	})
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
