package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/outbox"
	"minyi/store"
)

// flaky is an outside receiver (the SMS gateway or a partner's webhook)
// that refuses everything while down and counts what it accepted, by the
// key that identifies a message.
type flaky struct {
	down     atomic.Bool
	keyOf    func(r *http.Request, body []byte) string
	verify   func(r *http.Request, body []byte) error
	mu       sync.Mutex
	accepted map[string]int
	refused  int
	bad      []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.verify != nil {
		if err := f.verify(r, body); err != nil {
			f.bad = append(f.bad, err.Error())
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
	}
	if f.down.Load() {
		f.refused++
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	f.accepted[f.keyOf(r, body)]++
}

func (f *flaky) counts() (accepted map[string]int, refused int, bad []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	accepted = map[string]int{}
	for k, v := range f.accepted {
		accepted[k] = v
	}
	return accepted, f.refused, append([]string(nil), f.bad...)
}

// loopback lets webhooks reach the test receivers (httptest listens on
// 127.0.0.1), as serve --webhook-allow does.
var loopback = outbox.AllowList{netip.MustParsePrefix("127.0.0.0/8")}

// TestOutboxSurvivesKill commits items whose notices and webhook calls
// cannot be delivered (the receivers are down), kills the server with
// SIGKILL, brings the receivers up and restarts it: every notice and every
// webhook call then arrives exactly once.
func TestOutboxSurvivesKill(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			// A delivery River was working at the kill waits for its rescue
			// delay (tens of seconds): run the databases side by side.
			t.Parallel()
			ctx := context.Background()
			dbArgs := dbFlag(t, d)

			sms := &flaky{accepted: map[string]int{}, keyOf: func(r *http.Request, _ []byte) string { return r.Header.Get("Idempotency-Key") }}
			partner := &flaky{accepted: map[string]int{}, keyOf: func(_ *http.Request, body []byte) string {
				var p outbox.Payload
				json.Unmarshal(body, &p)
				return fmt.Sprintf("%s/%d", p.Item, p.EventSeq)
			}}
			sms.down.Store(true)
			partner.down.Store(true)
			gw, hook := httptest.NewServer(sms), httptest.NewServer(partner)
			defer gw.Close()
			defer hook.Close()

			db, err := store.Open(ctx, dbArgs[1])
			if err != nil {
				t.Fatal(err)
			}
			w := outbox.Webhook{Name: "province", URL: hook.URL, Events: []string{string(archive.EventReceived)}, Active: true}
			secret, err := (&outbox.Service{Store: db, Allow: loopback}).AddWebhook(ctx, org.Operator("test"), &w)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			partner.verify = func(r *http.Request, body []byte) error {
				return outbox.Verify(secret, r.Header.Get(outbox.SignatureHeader), body, time.Now(), time.Minute)
			}

			// The receivers listen on the loopback interface, which
			// webhooks may reach only when the operator allows it.
			args := append([]string{"--sms-gateway", gw.URL, "--webhook-allow", "127.0.0.1/32"}, dbArgs...)
			srv := startServer(t, args...)
			client := &http.Client{Timeout: 10 * time.Second}
			const items = 20
			for i := range items {
				st, body, err := post(client, srv.base+"/api/v1/items", "", map[string]any{"kind": "consultation",
					"channel": "online_box", "text": fmt.Sprintf("第%d件：身份证补办要多久？", i),
					"contact": map[string]any{"phone": fmt.Sprintf("139%08d", i)}})
				if err != nil || st != 201 {
					t.Fatalf("submit: %d %v %v", st, body, err)
				}
			}
			// Let a first attempt or two fail, then kill the server while
			// every delivery is committed and none has arrived.
			waitUntil(t, 20*time.Second, func() bool {
				_, r1, _ := sms.counts()
				_, r2, _ := partner.counts()
				return r1 >= items && r2 >= items
			})
			srv.kill(t)

			sms.down.Store(false)
			partner.down.Store(false)
			startServer(t, args...)
			waitUntil(t, 100*time.Second, func() bool {
				a1, _, _ := sms.counts()
				a2, _, _ := partner.counts()
				return len(a1) == items && len(a2) == items
			})
			time.Sleep(2 * time.Second) // nothing may arrive twice, even late
			for name, f := range map[string]*flaky{"sms": sms, "webhook": partner} {
				accepted, refused, bad := f.counts()
				if len(bad) > 0 {
					t.Errorf("%s: badly signed deliveries: %v", name, bad)
				}
				for key, n := range accepted {
					if n != 1 {
						t.Errorf("%s: %s delivered %d times", name, key, n)
					}
				}
				t.Logf("%s: %d delivered once each after %d refused attempts and a kill -9", name, len(accepted), refused)
			}
		})
	}
}

func waitUntil(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %s", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
