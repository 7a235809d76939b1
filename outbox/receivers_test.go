package outbox_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"minyi/archive"
	"minyi/outbox"
)

// allow is an allow-list of the networks given.
func allow(networks ...string) outbox.AllowList {
	var out outbox.AllowList
	for _, n := range networks {
		out = append(out, netip.MustParsePrefix(n))
	}
	return out
}

func TestAllowListPermits(t *testing.T) {
	intranet := allow("10.20.0.0/16", "192.168.1.7/32", "fd12::/16")
	tests := []struct {
		ip               string
		byDefault, wIntr bool
	}{
		{"203.0.114.9", true, true},
		{"8.8.8.8", true, true},
		{"2400:3200::1", true, true},
		{"127.0.0.1", false, false},
		{"127.9.9.9", false, false},
		{"::1", false, false},
		{"::ffff:127.0.0.1", false, false},
		{"0.0.0.0", false, false},
		{"::", false, false},
		{"10.0.0.1", false, false},
		{"10.20.3.4", false, true},
		{"::ffff:10.20.3.4", false, true},
		{"172.16.0.1", false, false},
		{"192.168.1.7", false, true},
		{"192.168.1.8", false, false},
		{"169.254.169.254", false, false},
		{"fe80::1", false, false},
		{"fe80::1%eth0", false, false},
		{"fc00::1", false, false},
		{"fd12::1", false, true},
		{"100.64.0.1", false, false},
		{"100.127.255.255", false, false},
		{"224.0.0.1", false, false},
		{"ff02::1", false, false},
		{"255.255.255.255", false, false},
		{"198.18.0.1", false, false},
		{"64:ff9b::a00:1", false, false},
		{"2002:a00:1::", false, false},
		{"::7f00:1", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			ip := netip.MustParseAddr(tt.ip)
			if got := outbox.AllowList(nil).Permits(ip); got != tt.byDefault {
				t.Errorf("by default: %v, want %v", got, tt.byDefault)
			}
			if got := intranet.Permits(ip); got != tt.wIntr {
				t.Errorf("with %s: %v, want %v", intranet, got, tt.wIntr)
			}
		})
	}
}

func TestWebhookURLsInsideAreRefused(t *testing.T) {
	good := outbox.Webhook{Name: "省平台", Events: []string{"*"}}
	loop := allow("127.0.0.0/8", "::1/128")
	tests := []struct {
		url   string
		allow outbox.AllowList
		ok    bool
	}{
		{"https://partner.example/hook", nil, true},
		{"https://203.0.114.9/hook", nil, true},
		{"http://169.254.169.254/latest/meta-data/", nil, false},
		{"http://169.254.169.254/latest/meta-data/", loop, false},
		{"http://127.0.0.1:6379/", nil, false},
		{"http://127.0.0.1:6379/", loop, true},
		{"http://localhost:8080/", nil, false},
		{"http://localhost.:8080/", nil, false},
		{"http://api.localhost/", nil, false},
		{"http://localhost:8080/", loop, true},
		{"http://[::1]/", nil, false},
		{"http://[fe80::1%25eth0]/", nil, false},
		{"http://10.1.2.3/", nil, false},
		{"http://192.168.0.1/", nil, false},
		{"http://100.64.1.1/", nil, false},
		{"http://[::ffff:10.0.0.1]/", nil, false},
		{"http://0.0.0.0/", nil, false},
		// Names are left to the connection: DNS may say anything later.
		{"http://intranet.example/", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			w := good
			w.URL = tt.url
			err := w.Validate(tt.allow)
			if (err == nil) != tt.ok || (err != nil && !strings.Contains(err.Error(), "url")) {
				t.Errorf("Validate = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// oneDelivery is a Store holding one webhook delivery, recording outcomes.
type oneDelivery struct {
	del      outbox.Delivery
	hook     outbox.Webhook
	status   int
	errText  string
	sent     bool
	recorded int
}

func (s *oneDelivery) Notice(context.Context, int64) (archive.Notice, error) {
	return archive.Notice{}, nil
}

func (s *oneDelivery) RecordNotice(context.Context, int64, *time.Time, string, bool) error {
	return nil
}

func (s *oneDelivery) Delivery(context.Context, int64) (outbox.Delivery, outbox.Webhook, error) {
	return s.del, s.hook, nil
}

func (s *oneDelivery) EarlierUnfinished(context.Context, outbox.Delivery, time.Time) (bool, error) {
	return false, nil
}

func (s *oneDelivery) RecordDelivery(_ context.Context, _ int64, status int, sentAt *time.Time, errText string, _ bool) error {
	s.status, s.errText, s.sent = status, errText, sentAt != nil
	s.recorded++
	return nil
}

// deliverTo runs one delivery to hookURL with allow and returns what the
// delivery log recorded and what the server log says.
func deliverTo(t *testing.T, hookURL string, allow outbox.AllowList) (*oneDelivery, string) {
	t.Helper()
	st := &oneDelivery{
		del:  outbox.Delivery{ID: 7, EventType: "received", Payload: `{"item":"2026-000001"}`, Status: archive.DeliveryPending},
		hook: outbox.Webhook{ID: 1, Name: "省平台", URL: hookURL, Secret: outbox.NewSecret()},
	}
	var logs bytes.Buffer
	d := &outbox.Deliverer{Store: st, Allow: allow, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	err := d.DeliverWebhook(context.Background(), 7, false)
	if st.recorded != 1 {
		t.Fatalf("%d outcomes recorded", st.recorded)
	}
	if (err == nil) != st.sent {
		t.Fatalf("DeliverWebhook = %v but sent = %v", err, st.sent)
	}
	return st, logs.String()
}

func TestWebhookDeliveryStaysOutside(t *testing.T) {
	var hits, redirected atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { redirected.Add(1) }))
	defer target.Close()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, target.URL+"/internal", http.StatusFound)
		}
	}))
	defer receiver.Close()
	loopback := allow("127.0.0.0/8")
	u, _ := url.Parse(receiver.URL)

	t.Run("loopback refused at connect without the allow-list", func(t *testing.T) {
		before := hits.Load()
		st, logs := deliverTo(t, receiver.URL+"/hook", nil)
		if st.sent || hits.Load() != before {
			t.Fatalf("delivered to %s without --webhook-allow", receiver.URL)
		}
		if st.errText != outbox.ErrUndeliverable.Error() || st.status != 0 {
			t.Errorf("delivery log: %d %q, want the generic %q", st.status, st.errText, outbox.ErrUndeliverable)
		}
		if !strings.Contains(logs, "webhook-allow") {
			t.Errorf("the server log does not say why: %s", logs)
		}
	})
	t.Run("delivered with the allow-list", func(t *testing.T) {
		before := hits.Load()
		st, _ := deliverTo(t, receiver.URL+"/hook", loopback)
		if !st.sent || st.status != 200 || hits.Load() != before+1 {
			t.Fatalf("not delivered: %+v", st)
		}
	})
	t.Run("a DNS name resolving to loopback is refused at connect", func(t *testing.T) {
		before := hits.Load()
		hookURL := "http://localhost:" + u.Port() + "/hook" // resolved by the system (/etc/hosts)
		st, logs := deliverTo(t, hookURL, nil)
		if st.sent || hits.Load() != before || st.errText != outbox.ErrUndeliverable.Error() {
			t.Fatalf("delivered or told apart: %+v", st)
		}
		if !strings.Contains(logs, "webhook-allow") {
			t.Errorf("not refused at connect: %s", logs)
		}
		// The name does lead to the receiver: allowed, it is delivered.
		if st, logs := deliverTo(t, hookURL, loopback); !st.sent || hits.Load() != before+1 {
			t.Errorf("localhost with loopback allowed: %+v %s", st, logs)
		}
	})
	t.Run("redirects are not followed", func(t *testing.T) {
		st, _ := deliverTo(t, receiver.URL+"/moved", loopback)
		if st.sent || st.status != http.StatusFound || redirected.Load() != 0 {
			t.Fatalf("redirect: %+v, target reached %d times", st, redirected.Load())
		}
		if st.errText != "webhook answered 302 Found" {
			t.Errorf("delivery log: %q", st.errText)
		}
	})
	t.Run("a refused connection reads like any other network failure", func(t *testing.T) {
		closed := httptest.NewServer(http.NotFoundHandler())
		addr := closed.URL
		closed.Close()
		st, logs := deliverTo(t, addr+"/hook", loopback)
		if st.sent || st.errText != outbox.ErrUndeliverable.Error() || st.status != 0 {
			t.Fatalf("delivery log: %+v", st)
		}
		if strings.Contains(st.errText, "refused") || !strings.Contains(logs, "refused") {
			t.Errorf("the cause belongs in the server log only: log %q, delivery %q", logs, st.errText)
		}
	})
}

// TestFailureLogHidesKeys: a webhook call or an SMS that fails below HTTP
// is logged (the webhook's, in the server log) or recorded (the SMS's, with
// the notice) with its address masked: no robot key, access_token,
// DingTalk signature, password or gateway key in it.
func TestFailureLogHidesKeys(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	addr := closed.URL
	closed.Close()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	dingSecret := "SEC0123456789abcdef0123456789abcdef"
	sign := outbox.DingTalkSign(dingSecret, now.UnixMilli())
	tests := []struct {
		name    string
		hook    outbox.Webhook
		secrets []string
	}{
		{"wecom key", outbox.Webhook{Format: outbox.FormatWeCom, URL: addr + "/cgi-bin/webhook/send?key=693a91f6-7e2d-4bc4-97a0-0ec2c1fa5aaa"},
			[]string{"693a91f6-7e2d-4bc4-97a0"}},
		{"dingtalk token and signature", outbox.Webhook{Format: outbox.FormatDingTalk, Secret: dingSecret,
			URL: addr + "/robot/send?access_token=9f8e7d6c5b4a39281706f5e4d3c2b1a0"},
			[]string{"9f8e7d6c5b4a39281706f5e4d3c2", sign[:len(sign)-6], url.QueryEscape(sign)[:len(sign)-6], dingSecret}},
		{"password", outbox.Webhook{URL: strings.Replace(addr, "://", "://partner:s3cr3t-pass@", 1) + "/hook"}, []string{"s3cr3t-pass"}},
		{"a name alone", outbox.Webhook{URL: strings.Replace(addr, "://", "://glpat-0123456789abcdef@", 1) + "/hook"}, []string{"glpat-0123"}},
		{"an address that does not parse", outbox.Webhook{Format: outbox.FormatWeCom, URL: addr + "/%zz?key=693a91f6-7e2d-4bc4"},
			[]string{"693a91f6-7e2d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.hook.ID, tt.hook.Name = 1, "值班群"
			st := &oneDelivery{del: outbox.Delivery{ID: 7, EventType: "received", Payload: `{"item":"2026-000001"}`, Status: archive.DeliveryPending},
				hook: tt.hook}
			var logs bytes.Buffer
			d := &outbox.Deliverer{Store: st, Allow: allow("127.0.0.0/8"), Now: func() time.Time { return now },
				Log: slog.New(slog.NewTextHandler(&logs, nil))}
			if err := d.DeliverWebhook(context.Background(), 7, false); err == nil || st.sent {
				t.Fatalf("delivered to a closed port: %v", err)
			}
			if !strings.Contains(logs.String(), "webhook delivery failed") || !strings.Contains(logs.String(), outbox.URLMask) {
				t.Fatalf("the failure is not logged with its address masked: %s", logs.String())
			}
			for _, s := range append(tt.secrets, tt.hook.URL) {
				if strings.Contains(logs.String(), s) || strings.Contains(st.errText, s) {
					t.Errorf("%q in the log: %s (delivery log %q)", s, logs.String(), st.errText)
				}
			}
		})
	}
	t.Run("sms gateway", func(t *testing.T) {
		s, err := outbox.NewGatewaySender(addr+"/sms/send?apikey=k-0123456789abcdef&user=minyi", "")
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), outbox.Message{To: "13900001111", Body: "已受理", IdempotencyKey: "k1"})
		if err == nil || strings.Contains(err.Error(), "0123456789ab") || !strings.Contains(err.Error(), "apikey="+outbox.URLMask+"cdef") {
			t.Errorf("the gateway's error shows its key or no address: %v", err)
		}
	})
}
