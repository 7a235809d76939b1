package riverqueue_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/outbox"
	"minyi/report"
	"minyi/riverqueue"
	"minyi/store"
)

// TestScheduledReportsRunOnce runs the report schedule as two servers
// sharing one database would, on both databases: each queue has the
// periodic job, only one runs it, the reports due on 8 October 2021
// (August's and September's, of the bureau and stations a and b) are
// issued once, and a partner's webhook hears report_issued once for each.
func TestScheduledReportsRunOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		testkit.Bureau{Units: testkit.UnderBureau, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
		rc := &receiver{secret: outbox.NewSecret()}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		hook := outbox.Webhook{Name: "province", URL: srv.URL, Secret: rc.secret, Events: []string{string(outbox.EventReportIssued)}, Active: true, CreatedAt: time.Now()}
		if err := db.CreateWebhook(ctx, &hook); err != nil {
			t.Fatal(err)
		}
		items := archive.NewService(db, archive.Policy{Calendar: calendar.Default(), BackdateDays: 60})
		items.Now = func() time.Time { return time.Date(2021, 10, 8, 9, 0, 0, 0, calendar.Zone) }
		issued := wire.Web(db, items, wire.Options{}).Issued
		day := items.Now()
		// A month with nothing recorded has no report: one item in each.
		for _, on := range []time.Time{time.Date(2021, 8, 20, 9, 0, 0, 0, calendar.Zone), time.Date(2021, 9, 20, 9, 0, 0, 0, calendar.Zone)} {
			leader := org.User{Name: "leader", Role: org.RoleLeader}
			if _, _, err := items.Submit(ctx, &leader, archive.Submission{Kind: archive.KindSuggestion, Channel: archive.ChannelPaperBox,
				Category: "hukou", Unit: "a", Text: "路灯坏了，请修一下", ReceivedAt: &on}); err != nil {
				t.Fatal(err)
			}
		}
		var runs atomic.Int32
		for range 2 {
			q, err := riverqueue.New(ctx, db, &outbox.Deliverer{Store: db, Sender: &recorder{},
				Allow: outbox.AllowList{netip.MustParsePrefix("127.0.0.0/8")}}, riverqueue.Options{Periodic: []riverqueue.Periodic{{
				Name: "reports", Every: time.Hour, Run: func(ctx context.Context) error {
					runs.Add(1)
					_, err := issued.RunSchedule(ctx, day)
					return err
				}}}})
			if err != nil {
				t.Fatal(err)
			}
			db.SetQueue(q)
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(ctx)
		}
		deadline := time.Now().Add(40 * time.Second)
		for {
			rc.mu.Lock()
			n := len(rc.payloads)
			rc.mu.Unlock()
			if n >= 6 || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(time.Second) // time for a second run, were there one
		if n := runs.Load(); n != 1 {
			t.Errorf("the schedule ran %d times, want once", n)
		}
		page, err := db.IssuedReports(ctx, report.IssuedFilter{})
		if err != nil || *page.Total != 6 {
			t.Fatalf("issued %v, %v; want 6", page.Total, err)
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		seen := map[int64]bool{}
		for _, p := range rc.payloads {
			var body report.IssuedPayload
			if err := json.Unmarshal([]byte(p), &body); err != nil || body.Type != "report_issued" || body.Kind != report.IssuedMonthly || seen[body.Report] {
				t.Errorf("payload %s: %v", p, err)
			}
			seen[body.Report] = true
		}
		if len(seen) != 6 || rc.bad != 0 {
			t.Errorf("the partner heard of %d reports (%d bad signatures), want 6", len(seen), rc.bad)
		}
	})
}
