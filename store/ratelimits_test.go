package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/store"
)

func TestRateLimitsCountPerWindowAndPrune(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		w0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
		w1 := w0.Add(time.Hour)
		steps := []struct {
			key   string
			start time.Time
			want  int
		}{
			{"intake:a", w0, 1},
			{"intake:a", w0, 2},
			{"intake:b", w0, 1},
			{"intake:a", w0, 3},
			{"intake:a", w1, 1}, // a new window starts from one
			{"intake:a", w1, 2},
			{"intake:a", w0, 1}, // a server whose clock is behind starts the old window again
		}
		for i, s := range steps {
			n, err := db.HitRateLimit(ctx, s.key, s.start, s.start.Add(time.Hour))
			if err != nil || n != s.want {
				t.Fatalf("step %d: %d, %v; want %d", i, n, err, s.want)
			}
		}
		for _, c := range []struct {
			key   string
			start time.Time
			want  int
		}{{"intake:a", w0, 1}, {"intake:a", w1, 0}, {"intake:b", w0, 1}, {"intake:c", w0, 0}} {
			if n, err := db.RateLimitCount(ctx, c.key, c.start); err != nil || n != c.want {
				t.Errorf("count %s at %v: %d, %v; want %d", c.key, c.start, n, err, c.want)
			}
		}
		t.Run("concurrent hits are all counted", func(t *testing.T) {
			var wg sync.WaitGroup
			for range 20 {
				wg.Go(func() {
					if _, err := db.HitRateLimit(ctx, "sms:x", w1, w1.Add(time.Hour)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if n, _ := db.RateLimitCount(ctx, "sms:x", w1); n != 20 {
				t.Fatalf("%d hits counted, want 20", n)
			}
		})
		t.Run("prune", func(t *testing.T) {
			n, err := db.PruneRateLimits(ctx, w1.Add(time.Minute))
			if err != nil || n != 2 { // intake:a and intake:b expired at 10:00
				t.Fatalf("pruned %d, %v; want 2", n, err)
			}
			if n, _ := db.RateLimitCount(ctx, "sms:x", w1); n != 20 {
				t.Fatalf("pruning removed a live window: %d", n)
			}
		})
	})
}

// The abuse limits of an intake are counted in the item's own transaction:
// an item refused by its door's limit is not written, a receipt past the
// phone's limit is withheld while the item is filed, and a write that fails
// leaves no count behind.
func TestLimitsAreCountedWithTheItem(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		svc.Notices = &archive.NoticeSettings{Bureau: "测试公安局"}
		clock := now.Now
		svc.SMSRate, svc.Limits = ratelimit.Rate{N: 1, Per: time.Hour}, ratelimit.Limiter{Now: clock}
		door := ratelimit.Limiter{Now: clock}
		file := func(text, phone string) (archive.Item, error) {
			use, _ := door.Use("intake", ratelimit.Rate{N: 2, Per: time.Hour}, "192.0.2.1", true)
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOnlineBox,
				Text: text, Contact: archive.Contact{Phone: phone}, Counted: []ratelimit.Use{use}})
			return it, err
		}
		receipts := func(it archive.Item) int {
			ns, err := db.Notices(ctx, outbox.NoticeFilter{Item: it.Number})
			if err != nil {
				t.Fatal(err)
			}
			return len(ns)
		}
		first, err := file("第一件", "13900001111")
		if err != nil || first.SMSWithheld || receipts(first) != 1 {
			t.Fatalf("first: %v withheld=%v receipts=%d", err, first.SMSWithheld, receipts(first))
		}
		second, err := file("第二件", "13900001111")
		if err != nil || !second.SMSWithheld || receipts(second) != 0 {
			t.Fatalf("second to one phone: %v withheld=%v receipts=%d, want the item filed without its receipt", err, second.SMSWithheld, receipts(second))
		}
		_, err = file("第三件", "13900002222")
		var e *minyi.Error
		if !errors.As(err, &e) || e.Code != minyi.ETooMany || e.RetryAfter <= 0 {
			t.Fatalf("third from the address: %v, want too_many with Retry-After", err)
		}
		if n := countItems(t, db); n != 2 {
			t.Fatalf("%d items, want 2: the refused one was written", n)
		}
		// The refused item's count went with it: the address has used two,
		// and the other phone none.
		start, _ := ratelimit.Window(now.Now(), time.Hour)
		for _, c := range []struct {
			kind, subject string
			want          int
		}{{"intake", "192.0.2.1", 2}, {"sms", "13900001111", 2}, {"sms", "13900002222", 0}} {
			if n, err := db.RateLimitCount(ctx, ratelimit.Key(c.kind, c.subject), start); err != nil || n != c.want {
				t.Errorf("%s %s counted %d (%v), want %d", c.kind, c.subject, n, err, c.want)
			}
		}
	})
}
