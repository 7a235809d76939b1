package riverqueue_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/outbox"
	"minyi/riverqueue"
	"minyi/store"
)

var (
	ctx    = context.Background()
	leader = org.User{Name: "leader", Role: org.RoleLeader}
)

// recorder is an SMS gateway that remembers what it was sent and refuses
// the first refuse attempts, to exercise retries.
type recorder struct {
	mu     sync.Mutex
	sent   []outbox.Message
	refuse int
}

func (r *recorder) Send(_ context.Context, m outbox.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse > 0 {
		r.refuse--
		return errors.New("gateway busy")
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) messages() []outbox.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]outbox.Message(nil), r.sent...)
}

// receiver is a partner system: it checks every signature and keeps the
// payloads it accepted.
type receiver struct {
	mu       sync.Mutex
	secret   string
	payloads []string
	bad      int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := outbox.Verify(rc.secret, r.Header.Get(outbox.SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		rc.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	rc.payloads = append(rc.payloads, string(body))
}

func TestOutboxDeliversNoticesAndWebhooksOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		testkit.Bureau{Units: testkit.Stations[:1], Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
		rc := &receiver{secret: outbox.NewSecret()}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		hook := outbox.Webhook{Name: "province", URL: srv.URL, Secret: rc.secret, Events: []string{"*"}, Active: true, CreatedAt: time.Now()}
		if err := db.CreateWebhook(ctx, &hook); err != nil {
			t.Fatal(err)
		}

		sms := &recorder{refuse: 1}
		q, err := riverqueue.New(ctx, db, &outbox.Deliverer{Store: db, Sender: sms,
			Allow: outbox.AllowList{netip.MustParsePrefix("127.0.0.0/8")}}, riverqueue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.SetQueue(q)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(ctx)

		svc := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
		svc.Notices = &archive.NoticeSettings{Bureau: "测试公安局", TrackURL: "https://example.org/track"}
		var numbers []string
		for i := range 3 {
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineBox,
				Category: "hukou", Text: "落户要什么材料？" + strings.Repeat("问", i), Contact: archive.Contact{Phone: "1390000111" + string(rune('0'+i))}})
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, it.Number)
			steps := []archive.Command{
				{Action: archive.ActDispatch, Unit: "a"},
				{Action: archive.ActSign},
				{Action: archive.ActAnswer, Body: "请带户口本到大厅办理。"},
				{Action: archive.ActVisit, Satisfaction: archive.Satisfied},
				{Action: archive.ActClose},
			}
			for v, cmd := range steps {
				cmd.Version = v + 1
				if _, err := svc.Act(ctx, leader, it.Number, cmd, false); err != nil {
					t.Fatalf("%s: %v", cmd.Action, err)
				}
			}
		}

		// 3 items × (receipt, rate, closed) notices; 3 × 6 events to the webhook.
		waitFor(t, func() bool { return len(sms.messages()) == 9 && rc.count() == 18 })
		time.Sleep(300 * time.Millisecond) // nothing more may arrive
		msgs := sms.messages()
		if len(msgs) != 9 || rc.count() != 18 || rc.bad != 0 {
			t.Fatalf("%d messages, %d webhook calls (%d badly signed)", len(msgs), rc.count(), rc.bad)
		}
		keys := map[string]bool{}
		for _, m := range msgs {
			if keys[m.IdempotencyKey] {
				t.Errorf("message %s sent twice", m.IdempotencyKey)
			}
			keys[m.IdempotencyKey] = true
		}
		if !strings.Contains(msgs[0].Body+msgs[1].Body+msgs[2].Body, "查询码") {
			t.Errorf("no receipt among the first messages: %v", msgs[:3])
		}
		// Per item, the partner sees the events in the order they happened.
		for _, n := range numbers {
			var types []string
			for _, p := range rc.all() {
				if strings.Contains(p, `"item":"`+n+`"`) {
					types = append(types, between(p, `"type":"`, `"`))
				}
			}
			if got := strings.Join(types, ","); got != "received,dispatched,signed,answered,visited,closed" {
				t.Errorf("item %s: events arrived as %s", n, got)
			}
		}
		list, err := db.Notices(ctx, outbox.NoticeFilter{Status: archive.DeliverySent})
		if err != nil || len(list) != 9 {
			t.Fatalf("sent notices: %d, %v", len(list), err)
		}
		// The codes went out in the messages; once sent, the outbox keeps
		// them neither in what it shows nor in what it stores.
		var codes []string
		for _, m := range msgs {
			if c := regexp.MustCompile(`查询码([0-9A-Z]{8})`).FindStringSubmatch(m.Body); c != nil {
				codes = append(codes, c[1])
			}
		}
		if len(codes) != 3 {
			t.Fatalf("%d receipts with an access code were sent, want 3", len(codes))
		}
		for _, n := range list {
			for _, c := range codes {
				if strings.Contains(n.Display, c) || strings.Contains(n.Body, c) {
					t.Errorf("the access code %s stays in a sent notice: %q / %q", c, n.Display, n.Body)
				}
			}
		}
		deliveries, err := db.Deliveries(ctx, outbox.DeliveryFilter{Webhook: hook.ID, Status: archive.DeliverySent, Limit: 100})
		if err != nil || len(deliveries) != 18 {
			t.Fatalf("sent deliveries: %d, %v", len(deliveries), err)
		}
	})
}

func (rc *receiver) count() int { return len(rc.all()) }

func (rc *receiver) all() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.payloads...)
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for deliveries")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
