package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
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
		if _, err := outbox.AddWebhook(ctx, db, &hook, "test", *now); err != nil {
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
