package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/outbox"
)

func TestSignAndVerify(t *testing.T) {
	secret, body := outbox.NewSecret(), []byte(`{"item":"2021-000001","type":"closed"}`)
	at := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
	header := outbox.Sign(secret, at, body)
	tests := []struct {
		name   string
		secret string
		header string
		body   []byte
		now    time.Time
		ok     bool
	}{
		{"genuine", secret, header, body, at.Add(time.Minute), true},
		{"other secret", outbox.NewSecret(), header, body, at, false},
		{"body changed", secret, header, []byte(`{"item":"2021-000002","type":"closed"}`), at, false},
		{"replayed later", secret, header, body, at.Add(10 * time.Minute), false},
		{"time changed", secret, strings.Replace(header, "t=", "t=1", 1), body, at, false},
		{"no signature", secret, "t=1614589200", body, at, false},
		{"garbage", secret, "sha256=abc", body, at, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := outbox.Verify(tt.secret, tt.header, tt.body, tt.now, 5*time.Minute)
			if (err == nil) != tt.ok {
				t.Errorf("Verify = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestWebhookValidate(t *testing.T) {
	good := outbox.Webhook{Name: "省平台", URL: "https://example.gov.cn/hook", Events: []string{"received", "closed"}}
	tests := []struct {
		name  string
		edit  func(*outbox.Webhook)
		field string
	}{
		{"good", func(*outbox.Webhook) {}, ""},
		{"all events", func(w *outbox.Webhook) { w.Events = []string{outbox.AllEvents} }, ""},
		{"no name", func(w *outbox.Webhook) { w.Name = " " }, "name"},
		{"relative url", func(w *outbox.Webhook) { w.URL = "/hook" }, "url"},
		{"ftp url", func(w *outbox.Webhook) { w.URL = "ftp://example.org/x" }, "url"},
		{"no events", func(w *outbox.Webhook) { w.Events = nil }, "events"},
		{"internal note is never sent", func(w *outbox.Webhook) { w.Events = []string{"noted"} }, "events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := good
			tt.edit(&w)
			err := w.Validate(nil)
			var e *minyi.Error
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.field != "" && (!errors.As(err, &e) || e.Fields[0].Field != tt.field):
				t.Fatalf("got %v, want a problem with %s", err, tt.field)
			}
		})
	}
	all := outbox.Webhook{Events: []string{outbox.AllEvents}}
	if !all.Wants(archive.EventClosed) || all.Wants(archive.EventNoted) || all.Wants(archive.EventContactRevealed) {
		t.Error("a webhook on every event must still never receive internal notes or contact look-ups")
	}
}

func TestPayloadHoldsNothingPersonal(t *testing.T) {
	it := archive.Item{Number: "2021-000001", Status: archive.StatusAnswered, UnitCode: "a", Channel: archive.ChannelOnlineBox,
		Text: "我家住在某村某号", Contact: archive.Contact{Name: "王某", Phone: "13900001111", IDNumber: "150000199001011234"}}
	for _, e := range []archive.Event{
		{Seq: 1, Type: archive.EventAnswered, Public: true, Body: "请到大厅办理"},
		{Seq: 2, Type: archive.EventReplied, Public: false, Body: "内部：此人多次来访"},
	} {
		p := outbox.PayloadFor(it, e).Marshal()
		for _, secret := range []string{"王某", "13900001111", "150000199001011234", "某村某号", "内部"} {
			if strings.Contains(p, secret) {
				t.Errorf("payload of %s carries %q: %s", e.Type, secret, p)
			}
		}
	}
}

func TestGatewaySender(t *testing.T) {
	var got struct {
		key  string
		body map[string]string
	}
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.key = r.Header.Get("Idempotency-Key")
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &got.body)
		w.WriteHeader(status)
	}))
	defer srv.Close()
	s, err := outbox.NewGatewaySender(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	m := outbox.Message{To: "13900001111", Body: `您的留言"已受理"`, IdempotencyKey: "k1"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got.key != "k1" || got.body["to"] != m.To || got.body["text"] != m.Body || got.body["id"] != "k1" {
		t.Errorf("gateway received %+v", got)
	}
	status = http.StatusTooManyRequests
	if err := s.Send(context.Background(), m); err == nil {
		t.Error("a 429 from the gateway must be an error, so the notice is retried")
	}
	if _, err := outbox.NewGatewaySender(srv.URL, "{{.Nope"); err == nil {
		t.Error("a broken template must be refused at start")
	}
}
