package store_test

import (
	"sync"
	"testing"
	"time"

	"minyi/internal/testdb"
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
