package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/outbox"
	"minyi/register"
	"minyi/report"
	"minyi/reporting"
	"minyi/store"
)

// issuedEnv is a bureau of stations a and b with the issuing service at a
// clock in September 2021 and a webhook told of issued reports.
type issuedEnv struct {
	db        *store.DB
	clock     *testkit.Clock
	items     *archive.Service
	issued    *report.Issuing
	campaigns *campaign.Service
}

func newIssuedEnv(t *testing.T, db *store.DB) issuedEnv {
	t.Helper()
	testkit.Bureau{Units: testkit.UnderBureau, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
	clock := testkit.NewClock(time.Date(2021, 9, 15, 10, 0, 0, 0, calendar.Zone))
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default(), BackdateDays: 30})
	items.Now = clock.Now
	w := wire.Web(db, items, wire.Options{Now: clock.Now})
	hook := &outbox.Webhook{Name: "partner", URL: "https://partner.example/hook", Secret: outbox.NewSecret(),
		Events: []string{string(outbox.EventReportIssued)}, Active: true, CreatedBy: "admin", CreatedAt: clock.Now()}
	if err := db.CreateWebhook(context.Background(), hook); err != nil {
		t.Fatal(err)
	}
	return issuedEnv{db: db, clock: clock, items: items, issued: w.Issued, campaigns: w.Campaigns}
}

// file files an item into unit received on day.
func (e issuedEnv) file(t *testing.T, unit, day string) {
	t.Helper()
	at, _ := time.ParseInLocation(time.DateOnly, day, calendar.Zone)
	at = at.Add(9 * time.Hour)
	leader := org.User{Name: "leader", Role: org.RoleLeader}
	if _, _, err := e.items.Submit(context.Background(), &leader, archive.Submission{Kind: archive.KindSuggestion, Channel: archive.ChannelPaperBox,
		Category: "hukou", Unit: unit, Text: "路灯坏了，请修一下", ReceivedAt: &at}); err != nil {
		t.Fatal(err)
	}
}

// TestIssueReport issues reports by hand on both databases: who may issue
// which scope, the record as issued (figures, the log's position, its
// event with the document's digest, a webhook delivery), a re-issue kept
// beside the first, a form sent twice issuing once, the live figures set
// beside the issued ones after a late entry, who reads which, and the
// database refusing to change one.
func TestIssueReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newIssuedEnv(t, db)
		e.file(t, "a", "2021-09-10")
		sept := report.Spec{From: "2021-09-01", To: "2021-09-30"}
		leader := org.User{Name: "leader", Role: org.RoleLeader}
		headA := org.User{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"}
		for _, tt := range []struct {
			name string
			u    org.User
			unit string
			code string
		}{
			{"leader, the bureau", leader, "", ""},
			{"admin, a unit", org.User{Name: "admin", Role: org.RoleAdmin}, "b", ""},
			{"head of a, a", headA, "a", ""},
			{"head of a, the bureau", headA, "", minyi.EForbidden},
			{"head of a, b", headA, "b", minyi.EForbidden},
			{"officer of a, a", org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}, "a", minyi.EForbidden},
			{"partner", org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"}, "a", minyi.EForbidden},
			{"disabled leader", org.User{Name: "old", Role: org.RoleLeader, Disabled: true}, "", minyi.EForbidden},
		} {
			t.Run(tt.name, func(t *testing.T) {
				spec := sept
				spec.Unit = tt.unit
				_, err := e.issued.Issue(ctx, tt.u, spec, archive.Form{})
				if minyi.ErrorCode(err) != tt.code {
					t.Fatalf("issue: %v, want code %q", err, tt.code)
				}
			})
		}
		t.Run("bad input names the field", func(t *testing.T) {
			for _, tt := range []struct {
				spec  report.Spec
				field string
			}{{report.Spec{From: "2021-09-31", To: "2021-09-30"}, "from"}, {report.Spec{Unit: "nowhere"}, "unit"}, {report.Spec{Script: "latin"}, "script"}} {
				before, _ := db.IssuedReports(ctx, report.IssuedFilter{})
				_, err := e.issued.Issue(ctx, leader, tt.spec, archive.Form{})
				if f := testkit.Fields(err); len(f) == 0 || f[0] != tt.field {
					t.Errorf("%+v: %v, want a refusal naming %s", tt.spec, err, tt.field)
				}
				if after, _ := db.IssuedReports(ctx, report.IssuedFilter{}); *after.Total != *before.Total {
					t.Errorf("%+v: a refused issue stored a report", tt.spec)
				}
			}
		})

		head, err := db.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.issued.Issue(ctx, leader, sept, archive.Form{})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("the record as issued", func(t *testing.T) {
			got, err := e.issued.Get(ctx, leader, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if f, ok := got.Document.Figure("items.received"); !ok || f.Value != 1 {
				t.Errorf("items.received as issued: %+v", f)
			}
			if got.Kind != report.IssuedByHand || got.IssuedBy != "leader" || got.From != "2021-09-01" || got.To != "2021-09-30" || got.Unit != "" || got.UnitName != "测试局" {
				t.Errorf("issued %+v", got)
			}
			if got.LogSeq != head || got.LogHash == "" {
				t.Errorf("log position %d %q, want the head %d before the report's own event", got.LogSeq, got.LogHash, head)
			}
			if n, err := db.Verify(ctx); err != nil || n != head+1 {
				t.Errorf("verify after issuing: %d, %v", n, err)
			}
			doc, _ := json.Marshal(got.Document)
			if report.DigestOf(doc) != got.Digest {
				t.Error("the stored document's digest is not the one issued")
			}
			// One delivery per issue: the three of the table above, then r's.
			ds, err := db.Deliveries(ctx, outbox.DeliveryFilter{})
			if err != nil || len(ds) != 4 || ds[0].EventType != "report_issued" || ds[0].EventSeq != head+1 {
				t.Fatalf("deliveries: %d, %v", len(ds), err)
			}
			var p report.IssuedPayload
			if err := json.Unmarshal([]byte(ds[0].Payload), &p); err != nil || p.Report != r.ID || p.From != "2021-09-01" || p.Kind != report.IssuedByHand {
				t.Errorf("payload %s: %v", ds[0].Payload, err)
			}
			if changes, err := e.issued.Changes(ctx, got); err != nil || len(changes) != 0 {
				t.Errorf("changes right after issuing: %+v, %v", changes, err)
			}
		})

		t.Run("a form sent twice issues once", func(t *testing.T) {
			f := archive.Form{FormToken: strings.Repeat("x", 40)}
			first, err := e.issued.Issue(ctx, headA, report.Spec{From: "2021-09-01", To: "2021-09-30", Unit: "a"}, f)
			if err != nil {
				t.Fatal(err)
			}
			second, err := e.issued.Issue(ctx, headA, report.Spec{From: "2021-09-01", To: "2021-09-30", Unit: "a"}, f)
			if err != nil || second.ID != first.ID {
				t.Errorf("second sending: %d, %v; want %d", second.ID, err, first.ID)
			}
		})

		e.clock.Set(time.Date(2021, 10, 20, 10, 0, 0, 0, calendar.Zone))
		e.file(t, "a", "2021-09-28") // a late entry of September
		again, err := e.issued.Issue(ctx, leader, sept, archive.Form{})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("what changed since", func(t *testing.T) {
			changes, err := e.issued.Changes(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			var received *report.Change
			for i := range changes {
				if changes[i].Key == "items.received" {
					received = &changes[i]
				}
			}
			if received == nil || received.Issued != 1 || received.Live != 2 {
				t.Fatalf("changes %+v: want items.received 1 → 2", changes)
			}
			counts, err := e.issued.ChangeCounts(ctx, []report.Issued{r, again})
			if err != nil || counts[r.ID] != len(changes) || counts[again.ID] != 0 {
				t.Errorf("change counts %v, %v; want %d and 0", counts, err, len(changes))
			}
		})
		t.Run("a re-issue is kept beside the first", func(t *testing.T) {
			page, err := e.issued.List(ctx, leader, report.IssuedFilter{Bureau: true, From: "2021-09-01", To: "2021-09-30"})
			// The leader's of the table above, r and again.
			if err != nil || *page.Total != 3 || page.Items[0].ID != again.ID || page.Items[1].ID != r.ID {
				t.Fatalf("the bureau's September reports: %v, %v", page.Total, err)
			}
			for q, want := range map[string]int{"测试局": 3, "甲派出所": 2, "乙派出所": 1, "没有": 0} {
				if page, err := e.issued.List(ctx, leader, report.IssuedFilter{Filter: register.Filter{Query: q}}); err != nil || *page.Total != want {
					t.Errorf("q=%s: %v, %v; want %d", q, *page.Total, err, want)
				}
			}
			if f, _ := page.Items[0].Document.Figure("items.received"); f.Value != 2 {
				t.Errorf("the re-issue says %d received", f.Value)
			}
		})
		t.Run("who reads which", func(t *testing.T) {
			for _, tt := range []struct {
				name  string
				u     org.User
				total int
			}{{"leader", leader, 6}, {"head of a", headA, 2}, {"officer of b", org.User{Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}, 1}} {
				page, err := e.issued.List(ctx, tt.u, report.IssuedFilter{})
				if err != nil || *page.Total != tt.total || len(page.Items) != tt.total {
					t.Errorf("%s lists %v, %v; want %d", tt.name, *page.Total, err, tt.total)
				}
			}
			if _, err := e.issued.Get(ctx, headA, r.ID); minyi.ErrorCode(err) != minyi.EForbidden {
				t.Errorf("head of a reads the bureau's report: %v", err)
			}
			if _, err := e.issued.Get(ctx, leader, 9999); minyi.ErrorCode(err) != minyi.ENotFound {
				t.Errorf("no such report: %v", err)
			}
		})
		t.Run("unchangeable", func(t *testing.T) {
			for _, q := range []string{"UPDATE issued_reports SET title = 'x'", "DELETE FROM issued_reports"} {
				if _, err := db.Writer().ExecContext(ctx, q); err == nil {
					t.Errorf("%s: the database let it through", q)
				}
			}
		})
	})
}

// TestScheduledReports runs the schedule on both databases: after
// September 2021 the monthly reports come on 8 October, the first working
// day after the National Day holiday, one for the bureau and one per unit,
// and August, in which nothing was recorded, has none; running again, or
// from a second process, issues nothing more; a
// campaign's end report comes the first working day after its end.
func TestScheduledReports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newIssuedEnv(t, db)
		e.file(t, "a", "2021-09-10")
		if got := report.FirstWorkingDayAfter(calendar.Default(), "2021-09-30"); got != "2021-10-08" {
			t.Fatalf("first working day after September 2021: %s", got)
		}
		septOf := func(rs []report.Issued) []report.Issued {
			var out []report.Issued
			for _, r := range rs {
				if r.From == "2021-09-01" {
					out = append(out, r)
				}
			}
			return out
		}
		at := func(day string) time.Time {
			d, _ := time.ParseInLocation(time.DateOnly, day, calendar.Zone)
			return d.Add(8 * time.Hour)
		}
		got, err := e.issued.RunSchedule(ctx, at("2021-10-07"))
		if err != nil || len(septOf(got)) != 0 {
			t.Fatalf("on 7 October (a holiday): %d of September issued, %v", len(septOf(got)), err)
		}
		if len(got) != 0 {
			t.Errorf("on 7 October: %d issued, want none: nothing was recorded in August", len(got))
		}
		got, err = e.issued.RunSchedule(ctx, at("2021-10-08"))
		if err != nil {
			t.Fatal(err)
		}
		units := map[string]bool{}
		for _, r := range got {
			if r.From != "2021-09-01" || r.To != "2021-09-30" || r.Kind != report.IssuedMonthly || r.IssuedBy != report.Scheduler {
				t.Errorf("scheduled %+v", r)
			}
			units[r.Unit] = true
		}
		if len(got) != 3 || !units[""] || !units["a"] || !units["b"] {
			t.Fatalf("on 8 October: %d issued for %v; want the bureau, a and b", len(got), units)
		}
		if f, _ := got[0].Document.Figure("items.received"); got[0].Unit == "" && f.Value != 1 {
			t.Errorf("the bureau's September report counts %d received", f.Value)
		}
		for _, run := range []string{"again", "from another process"} {
			other := e.issued
			if run == "from another process" {
				w := wire.Web(db, e.items, wire.Options{})
				other = w.Issued
			}
			if got, err := other.RunSchedule(ctx, at("2021-10-09")); err != nil || len(got) != 0 {
				t.Errorf("run %s: %d issued, %v", run, len(got), err)
			}
		}
		t.Run("at once", func(t *testing.T) {
			// Two runs at once meet on the key: one issues, the other skips.
			e.clock.Set(time.Date(2021, 11, 1, 9, 0, 0, 0, calendar.Zone))
			e.file(t, "b", "2021-10-12")
			done := make(chan []report.Issued, 2)
			for range 2 {
				go func() {
					got, err := e.issued.RunSchedule(ctx, at("2021-11-01"))
					if err != nil {
						t.Error(err)
					}
					done <- got
				}()
			}
			n := len(<-done) + len(<-done)
			if n != 3 {
				t.Errorf("two runs at once issued %d of October's reports, want 3", n)
			}
		})
		page, err := db.IssuedReports(ctx, report.IssuedFilter{Kind: report.IssuedMonthly})
		if err != nil || *page.Total != 6 {
			t.Errorf("monthly reports: %v, %v; want 6 (September's and October's, none of August's)", page.Total, err)
		}
		t.Run("a campaign's end", func(t *testing.T) {
			// 我为群众办实事 ends on Tuesday 2 November: its reports come on
			// the 3rd, one for the bureau and each unit, once.
			c, err := e.campaigns.Create(ctx, org.User{Name: "leader", Role: org.RoleLeader},
				campaign.Campaign{Name: "我为群众办实事", From: "2021-03-01", To: "2021-11-02"})
			if err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				day  string
				want int
			}{{"2021-11-02", 0}, {"2021-11-03", 3}, {"2021-11-04", 0}} {
				got, err := e.issued.RunSchedule(ctx, at(tt.day))
				if err != nil || len(got) != tt.want {
					t.Fatalf("%s: %d issued, %v; want %d", tt.day, len(got), err, tt.want)
				}
				for _, r := range got {
					if r.Kind != report.IssuedCampaignEnd || r.Campaign != c.ID || r.From != "2021-03-01" || r.To != "2021-11-02" || r.CampaignName != c.Name {
						t.Errorf("%s: %+v", tt.day, r.Title)
					}
				}
			}
		})
	})
}

// TestScheduledReportsOverdueIsNoRecord: an item of September still open
// and past due in December is no record of October or November, whose
// reports the schedule must not issue (a month with nothing recorded
// issues none), on both databases.
func TestScheduledReportsOverdueIsNoRecord(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newIssuedEnv(t, db)
		e.file(t, "a", "2021-09-10")
		dec1 := time.Date(2021, 12, 1, 9, 0, 0, 0, calendar.Zone)
		e.clock.Set(dec1)
		if overdue, err := db.OverdueByUnit(ctx, reporting.Filter{Now: dec1}); err != nil || overdue["a"] != 1 {
			t.Fatalf("September's item is not overdue on 1 December: %v, %v", overdue, err)
		}
		got, err := e.issued.RunSchedule(ctx, dec1)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			t.Errorf("issued %s %s–%s of unit %q: nothing was recorded in it", r.Kind, r.From, r.To, r.Unit)
		}
	})
}
