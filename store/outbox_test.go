package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/outbox"
	"minyi/store"
)

// noQueue takes jobs and works none, like a server that died before
// delivering: the rows stay pending and queued.
type noQueue struct{ jobs int }

func (q *noQueue) InsertTx(_ context.Context, _ *sql.Tx, jobs []store.Job) error {
	q.jobs += len(jobs)
	return nil
}

func TestAbandonedDeliveriesAreFailedAndStopHoldingBackTheirItem(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db) // items of 2021: their outbox rows are still new
		hook := outbox.Webhook{Name: "province", URL: "https://example.org/hook", Events: []string{"*"}, Active: true}
		if _, err := (&outbox.Service{Store: db, Now: now.Now}).AddWebhook(ctx, org.Operator("test"), &hook); err != nil {
			t.Fatal(err)
		}
		q := &noQueue{}
		db.SetQueue(q)
		svc.Notices = &archive.NoticeSettings{Bureau: "测试公安局"}
		it := submit(t, svc, "户口迁移要什么材料？") // a receipt notice and a webhook delivery
		if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "a", Version: 1}, false); err != nil {
			t.Fatal(err)
		}
		if q.jobs != 3 {
			t.Fatalf("%d jobs queued, want 3 (notice, two deliveries)", q.jobs)
		}
		ds, err := db.Deliveries(ctx, outbox.DeliveryFilter{Webhook: hook.ID})
		if err != nil || len(ds) != 2 {
			t.Fatalf("deliveries %v %v", ds, err)
		}
		later := ds[0]                                // newest first: the dispatch, behind the receipt
		since := time.Now().Add(-outbox.AbandonAfter) // rows carry the time they were written
		if wait, err := db.EarlierUnfinished(ctx, later, since); err != nil || !wait {
			t.Fatalf("the dispatch must wait for the pending receipt: %v %v", wait, err)
		}

		if n, err := db.FailAbandoned(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("fresh rows marked abandoned: %d %v", n, err)
		}
		n, err := db.FailAbandoned(ctx, time.Now().Add(time.Hour))
		if err != nil || n != 3 {
			t.Fatalf("marked %d abandoned rows, want 3: %v", n, err)
		}
		failed, err := db.Notices(ctx, outbox.NoticeFilter{Status: archive.DeliveryFailed})
		if err != nil || len(failed) != 1 || failed[0].LastError == "" {
			t.Fatalf("failed notices %+v %v", failed, err)
		}
		if wait, err := db.EarlierUnfinished(ctx, later, since); err != nil || wait {
			t.Fatalf("a failed delivery must not hold back later ones: %v %v", wait, err)
		}
	})
}

// A receipt's access code is sent once: when the notice is sent or has
// failed for good, the stored text keeps everything but the code; a
// notice still to be sent keeps it.
func TestSentAndFailedNoticesForgetTheAccessCode(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		db.SetQueue(&noQueue{})
		svc.Notices = &archive.NoticeSettings{Bureau: "测试公安局"}
		receipt := func() archive.Notice {
			t.Helper()
			it := submit(t, svc, "户口迁移要什么材料？")
			ns, err := db.Notices(ctx, outbox.NoticeFilter{Item: it.Number})
			if err != nil || len(ns) != 1 {
				t.Fatalf("notices %+v %v", ns, err)
			}
			n, err := db.Notice(ctx, ns[0].ID)
			if err != nil || n.Body == n.Display || !strings.Contains(n.Display, "查询码********") {
				t.Fatalf("a new receipt must hold the code to send: %+v %v", n, err)
			}
			return n
		}
		code := func(n archive.Notice) string {
			_, after, _ := strings.Cut(n.Body, "查询码")
			return after[:8]
		}
		now := time.Now()
		sent, failed, retry, abandoned := receipt(), receipt(), receipt(), receipt()
		for _, tt := range []struct {
			name   string
			n      archive.Notice
			record func() error
			blank  bool
		}{
			{"sent", sent, func() error { return db.RecordNotice(ctx, sent.ID, &now, "", false) }, true},
			{"failed for good", failed, func() error { return db.RecordNotice(ctx, failed.ID, nil, "网关拒绝", true) }, true},
			{"failed, to be retried", retry, func() error { return db.RecordNotice(ctx, retry.ID, nil, "网关超时", false) }, false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.record(); err != nil {
					t.Fatal(err)
				}
				n, err := db.Notice(ctx, tt.n.ID)
				if err != nil {
					t.Fatal(err)
				}
				if has := strings.Contains(n.Body, code(tt.n)); has == tt.blank {
					t.Fatalf("body %q holds the code: %v", n.Body, has)
				}
				if tt.blank && n.Body != tt.n.Display {
					t.Fatalf("the rest of the text changed: %q, want %q", n.Body, tt.n.Display)
				}
			})
		}
		t.Run("abandoned", func(t *testing.T) {
			if _, err := db.FailAbandoned(ctx, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			n, err := db.Notice(ctx, abandoned.ID)
			if err != nil || n.Status != archive.DeliveryFailed || strings.Contains(n.Body, code(abandoned)) {
				t.Fatalf("an abandoned receipt keeps its code: %+v %v", n, err)
			}
		})
	})
}

// echoGateway refuses every message with an error that repeats it, as
// some gateways do.
type echoGateway struct{}

func (echoGateway) Send(_ context.Context, m outbox.Message) error {
	return fmt.Errorf("gateway: bad request {\"to\":%q,\"text\":%q}", m.To, m.Body)
}

// A gateway's error that echoes the message does not bring the access code
// or the phone number into the log of attempts that staff read.
func TestGatewayErrorsKeepNoCodeOrPhone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		db.SetQueue(&noQueue{})
		svc.Notices = &archive.NoticeSettings{Bureau: "测试公安局"}
		it, code, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOnlineBox,
			Text: "户口迁移要什么材料？", Contact: archive.Contact{Phone: "13900005678"}})
		if err != nil {
			t.Fatal(err)
		}
		ns, err := db.Notices(ctx, outbox.NoticeFilter{Item: it.Number})
		if err != nil || len(ns) != 1 {
			t.Fatalf("notices %v %v", ns, err)
		}
		d := &outbox.Deliverer{Store: db, Sender: echoGateway{}}
		for _, final := range []bool{false, true} {
			if err := d.DeliverNotice(ctx, ns[0].ID, final); err == nil {
				t.Fatal("the gateway refused, the delivery says sent")
			}
			n, err := db.Notice(ctx, ns[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(n.LastError, "gateway: bad request") {
				t.Fatalf("the error is lost: %q", n.LastError)
			}
			if strings.Contains(n.LastError, code) || strings.Contains(n.LastError, "13900005678") {
				t.Errorf("final=%v: the log of attempts holds the code or the phone: %q", final, n.LastError)
			}
		}
	})
}
