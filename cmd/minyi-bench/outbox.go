package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/outbox"
	"minyi/riverqueue"
	"minyi/store"
)

// outboxBench offers items with a phone number at a steady rate (each
// causes one receipt notice) and measures how long after its commit each
// notice reaches the sender, through River on the same database.
func outboxBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("outbox", flag.ExitOnError)
	rate := fs.Int("rate", 1000, "notices offered per second")
	duration := fs.Duration("duration", 10*time.Second, "how long to offer them")
	rf := addRunFlags(fs)
	fs.Parse(args)
	stop, err := rf.profile()
	if err != nil {
		return err
	}
	defer stop()

	var p50s, p99s, kept []float64
	for run := 1; run <= *rf.runs; run++ {
		url, cleanup, err := target(*rf.dir, *rf.database, run)
		if err != nil {
			return err
		}
		res, err := outboxRun(ctx, url, *rate, *duration)
		cleanup()
		if err != nil {
			return err
		}
		fmt.Printf("run %d: offered %d/s, committed %.0f/s, delivered %.0f/s (%d of %d); commit → sender p50 %s, p99 %s\n",
			run, *rate, res.committed, res.delivered, res.count, res.offered, ms(res.p50), ms(res.p99))
		p50s, p99s = append(p50s, float64(res.p50)), append(p99s, float64(res.p99))
		kept = append(kept, res.delivered/float64(*rate))
	}
	fmt.Printf("median of %d runs at %d notices/s: delivered/offered %.2f, commit → sender p50 %s, p99 %s\n",
		*rf.runs, *rate, median(kept), ms(time.Duration(median(p50s))), ms(time.Duration(median(p99s))))
	return nil
}

type outboxResult struct {
	offered, count       int
	committed, delivered float64 // per second
	p50, p99             time.Duration
}

// clock is an SMS sender that notes when each notice reached it.
type clock struct {
	mu   sync.Mutex
	seen map[string]time.Time // item number → first call
}

func (c *clock) Send(_ context.Context, m outbox.Message) error {
	now := time.Now()
	// The key is minyi-notice-<number>-<kind>-<seq>; numbers are YYYY-NNNNNN.
	number := strings.TrimPrefix(m.IdempotencyKey, "minyi-notice-")[:11]
	c.mu.Lock()
	if _, ok := c.seen[number]; !ok {
		c.seen[number] = now
	}
	c.mu.Unlock()
	return nil
}

func outboxRun(ctx context.Context, url string, rate int, d time.Duration) (outboxResult, error) {
	var res outboxResult
	db, err := store.Open(ctx, url)
	if err != nil {
		return res, err
	}
	defer db.Close()
	sender := &clock{seen: map[string]time.Time{}}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := riverqueue.New(ctx, db, &outbox.Deliverer{Store: db, Sender: sender, Log: quiet}, riverqueue.Options{Log: quiet})
	if err != nil {
		return res, err
	}
	db.SetQueue(q)
	if err := q.Start(ctx); err != nil {
		return res, err
	}
	defer q.Stop(context.Background())
	svc := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	svc.Notices = &archive.NoticeSettings{Bureau: "基准测试公安局", TrackURL: "https://example.org/track"}

	// Offer one item every 1/rate seconds, whatever the previous ones are
	// doing: a steady load, not a closed loop that slows down with us.
	total := int(float64(rate) * d.Seconds())
	res.offered = total
	committed := make(map[string]time.Time, total)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failures int
	slots := make(chan struct{}, 512) // bounds the items in flight
	start := time.Now()
	for i := range total {
		if wait := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); wait > 0 {
			time.Sleep(wait)
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineBox,
				Text: "身份证补办需要多久？", Contact: archive.Contact{Phone: fmt.Sprintf("139%08d", i)}})
			now := time.Now()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures++
				return
			}
			committed[it.Number] = now
		}()
	}
	wg.Wait()
	res.committed = float64(len(committed)) / time.Since(start).Seconds()
	if failures > 0 {
		return res, fmt.Errorf("%d submissions failed", failures)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		sender.mu.Lock()
		n := len(sender.seen)
		sender.mu.Unlock()
		if n >= total || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	sender.mu.Lock()
	defer sender.mu.Unlock()
	var lat latencies
	var last time.Time
	for number, at := range sender.seen {
		if at.After(last) {
			last = at
		}
		// A notice can reach the sender a hair before Submit's caller is
		// told of the commit: count that as no delay.
		lat = append(lat, max(at.Sub(committed[number]), 0))
	}
	res.count = len(lat)
	res.delivered = float64(len(lat)) / last.Sub(start).Seconds()
	res.p50, res.p99 = lat.quantile(0.5), lat.quantile(0.99)
	return res, nil
}
