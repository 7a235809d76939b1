package store_test

import (
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

// dashboardArchive files six items in known states, on the fixture's units
// a and b, and leaves the clock on 1 May 2021, when every open one is
// overdue. Received in March 2021:
//
//	n[0] Mon 1 Mar, online box, hukou → a: answered, satisfied, closed
//	n[1] Mon 1 Mar, paper box, no category → b: answered, basically satisfied
//	n[2] Mon 1 Mar, online box, hukou → a: left as received (overdue)
//	n[3] Mon 8 Mar 07:00, online box, hukou, dispatched to b: signed (overdue)
//	n[4] Mon 8 Mar, online box, hukou → a: invalid
//
// and n[5] on Sat 10 Apr, online desk, hukou → a: left open (overdue).
// n[3] is received at 07:00 China time, the evening before in UTC, so a
// period cut at UTC midnight would put it in the wrong week and day.
func dashboardArchive(t *testing.T, db *store.DB) (*archive.Service, []string) {
	t.Helper()
	svc, clock := fixture(t, db)
	headA := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
	headB := org.User{Name: "hb", Role: org.RoleUnitHead, UnitCode: "b"}
	act := func(u org.User, number string, cmd archive.Command) {
		t.Helper()
		clock.Advance(time.Minute)
		actNow(t, db, svc, u, number, cmd)
	}
	file := func(at time.Time, sub archive.Submission) string {
		t.Helper()
		clock.Set(at)
		sub.Kind, sub.Text = archive.KindConsultation, "户口迁移需要什么材料？"
		sub.Contact = archive.Contact{Name: "王某", Phone: "13900001111"}
		it, _, err := svc.Submit(ctx, &leader, sub)
		if err != nil {
			t.Fatal(err)
		}
		return it.Number
	}
	box := archive.Submission{Channel: archive.ChannelOnlineBox, Category: "hukou"}
	mar1 := time.Date(2021, 3, 1, 9, 0, 0, 0, calendar.Zone)
	mar8 := time.Date(2021, 3, 8, 7, 0, 0, 0, calendar.Zone)
	n := []string{
		file(mar1, box),
		file(mar1.Add(time.Hour), archive.Submission{Channel: archive.ChannelPaperBox, Unit: "b"}),
		file(mar1.Add(2*time.Hour), box),
		file(mar8, box),
		file(mar8.Add(3*time.Hour), box),
		file(time.Date(2021, 4, 10, 10, 0, 0, 0, calendar.Zone), archive.Submission{Channel: archive.ChannelOnlineDesk, Category: "hukou"}),
	}
	clock.Set(time.Date(2021, 3, 2, 9, 0, 0, 0, calendar.Zone)) // back in March to work the items in time
	act(leader, n[0], archive.Command{Action: archive.ActDispatch, Unit: "a"})
	act(headA, n[0], archive.Command{Action: archive.ActSign})
	act(headA, n[0], archive.Command{Action: archive.ActAnswer, Body: "请携带户口簿办理。"})
	act(headA, n[0], archive.Command{Action: archive.ActVisit, Satisfaction: archive.Satisfied})
	act(headA, n[0], archive.Command{Action: archive.ActClose})
	act(leader, n[1], archive.Command{Action: archive.ActDispatch, Unit: "b"})
	act(headB, n[1], archive.Command{Action: archive.ActSign})
	act(headB, n[1], archive.Command{Action: archive.ActAnswer, Body: "已答复。"})
	act(headB, n[1], archive.Command{Action: archive.ActVisit, Satisfaction: archive.BasicSatisfied, Body: "希望办得再快些。"})
	clock.Set(mar8.Add(5 * time.Hour))
	act(leader, n[3], archive.Command{Action: archive.ActDispatch, Unit: "b"})
	act(headB, n[3], archive.Command{Action: archive.ActSign})
	act(leader, n[4], archive.Command{Action: archive.ActInvalidate, Body: "重复留言"})
	clock.Set(time.Date(2021, 5, 1, 9, 0, 0, 0, calendar.Zone))
	return svc, n
}

var dashMarch = reporting.Filter{From: "2021-03-01", To: "2021-03-31"}

func TestWeeklyTrend(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		dashboardArchive(t, db)
		tests := []struct {
			name string
			f    reporting.Filter
			want []reporting.WeekCount
		}{
			{"dashMarch", dashMarch, []reporting.WeekCount{
				{Week: "2021-W09", Start: "2021-03-01", Received: 3, Answered: 2},
				{Week: "2021-W10", Start: "2021-03-08", Received: 2},
			}},
			{"first week only", reporting.Filter{From: "2021-03-01", To: "2021-03-07"}, []reporting.WeekCount{
				{Week: "2021-W09", Start: "2021-03-01", Received: 3, Answered: 2},
			}},
			{"unit b", reporting.Filter{From: "2021-03-01", To: "2021-04-30", Unit: "b"}, []reporting.WeekCount{
				{Week: "2021-W09", Start: "2021-03-01", Received: 1, Answered: 1},
				{Week: "2021-W10", Start: "2021-03-08", Received: 1},
			}},
			{"visible units a", reporting.Filter{From: "2021-03-01", To: "2021-04-30", Units: []string{"a"}}, []reporting.WeekCount{
				{Week: "2021-W09", Start: "2021-03-01", Received: 2, Answered: 1},
				{Week: "2021-W10", Start: "2021-03-08", Received: 1},
				{Week: "2021-W14", Start: "2021-04-05", Received: 1},
			}},
			{"no visible units", reporting.Filter{From: "2021-03-01", To: "2021-04-30", Units: []string{}}, []reporting.WeekCount{}},
			{"quiet period", reporting.Filter{From: "2021-06-01", To: "2021-06-30"}, []reporting.WeekCount{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.WeeklyTrend(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %+v\nwant %+v", got, tt.want)
				}
			})
		}
	})
}

func TestBreakdown(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		dashboardArchive(t, db)
		type g = reporting.GroupCount
		tests := []struct {
			name       string
			f          reporting.Filter
			categories []g
			channels   []g
		}{
			{"march", dashMarch,
				[]g{{Key: "hukou", Received: 4, Closed: 1}, {Key: "", Received: 1}},
				[]g{{Key: "online_box", Received: 4, Closed: 1}, {Key: "paper_box", Received: 1}}},
			// The last day counts to its end in China time, and no further:
			// n[3] at 07:00 on 8 March belongs to the 8th, not the 7th.
			{"to is inclusive in China time", reporting.Filter{From: "2021-03-01", To: "2021-03-07"},
				[]g{{Key: "hukou", Received: 2, Closed: 1}, {Key: "", Received: 1}},
				[]g{{Key: "online_box", Received: 2, Closed: 1}, {Key: "paper_box", Received: 1}}},
			{"from in China time", reporting.Filter{From: "2021-03-08", To: "2021-04-30"},
				[]g{{Key: "hukou", Received: 3}},
				[]g{{Key: "online_box", Received: 2}, {Key: "online_desk", Received: 1}}},
			{"one unit", reporting.Filter{From: "2021-03-01", To: "2021-04-30", Unit: "b"},
				[]g{{Key: "", Received: 1}, {Key: "hukou", Received: 1}},
				[]g{{Key: "online_box", Received: 1}, {Key: "paper_box", Received: 1}}},
			{"visible units", reporting.Filter{From: "2021-03-01", To: "2021-04-30", Units: []string{"a"}},
				[]g{{Key: "hukou", Received: 4, Closed: 1}},
				[]g{{Key: "online_box", Received: 3, Closed: 1}, {Key: "online_desk", Received: 1}}},
			{"no visible units", reporting.Filter{From: "2021-03-01", To: "2021-04-30", Units: []string{}}, []g{}, []g{}},
			{"quiet period", reporting.Filter{From: "2021-06-01", To: "2021-06-30"}, []g{}, []g{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.Breakdown(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.Categories, tt.categories) {
					t.Errorf("categories %+v\nwant       %+v", got.Categories, tt.categories)
				}
				if !slices.Equal(got.Channels, tt.channels) {
					t.Errorf("channels %+v\nwant     %+v", got.Channels, tt.channels)
				}
			})
		}
	})
}

func TestOverdueByUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		dashboardArchive(t, db)
		may1 := time.Date(2021, 5, 1, 9, 0, 0, 0, calendar.Zone)
		tests := []struct {
			name string
			f    reporting.Filter
			want map[string]int64
		}{
			// Overdue is about now, not the period: n[5] of April counts.
			{"all", reporting.Filter{Now: may1}, map[string]int64{"a": 2, "b": 1}},
			{"one unit", reporting.Filter{Now: may1, Unit: "a"}, map[string]int64{"a": 2}},
			{"visible units", reporting.Filter{Now: may1, Units: []string{"b"}}, map[string]int64{"b": 1}},
			{"no visible units", reporting.Filter{Now: may1, Units: []string{}}, map[string]int64{}},
			// On 5 March only n[2] (due 4 March) is late; n[5] is not yet filed.
			{"earlier", reporting.Filter{Now: time.Date(2021, 3, 5, 9, 0, 0, 0, calendar.Zone)}, map[string]int64{"a": 1}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.OverdueByUnit(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
				for k, v := range tt.want {
					if got[k] != v {
						t.Errorf("got %v, want %v", got, tt.want)
					}
				}
			})
		}
	})
}

// TestOverdueByUnitOneSnapshot dispatches an item, not yet due, from no
// unit to unit a while OverdueByUnit reads: its open items and those not
// yet due must be counted at one moment, or the item counts as overdue
// where it was (the open items read before the move) and is taken off
// where it went (those not due read after). Such a phantom once made a
// month with nothing recorded look non-empty to the report schedule,
// which issued its report (cmd/minyi TestTwoServersOnePostgres).
func TestOverdueByUnitOneSnapshot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := dashboardArchive(t, db)
		may1 := time.Date(2021, 5, 1, 9, 0, 0, 0, calendar.Zone)
		it, _, err := svc.Submit(ctx, &leader, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelPaperBox,
			Text: "未分派的来信", Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		if it.UnitCode != "" || !it.DueAt.After(may1) {
			t.Fatalf("the new item is in unit %q, due %s: want none, due after %s", it.UnitCode, it.DueAt, may1)
		}
		moved := false
		db.TraceQueries(func(q string, _ []any) {
			if !moved && strings.Contains(q, "FROM items") {
				moved = true
				actNow(t, db, svc, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "a"})
			}
		})
		defer db.TraceQueries(nil)
		got, err := db.OverdueByUnit(ctx, reporting.Filter{Now: may1})
		if err != nil {
			t.Fatal(err)
		}
		if !moved {
			t.Fatal("OverdueByUnit read no items: the test moved none")
		}
		if want := map[string]int64{"a": 2, "b": 1}; !maps.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func dashRate(r *float64) float64 {
	if r == nil {
		return -1
	}
	return *r
}

func TestDashboard(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, n := dashboardArchive(t, db)
		rep := reports(db, svc)
		headB := org.User{Name: "hb", Role: org.RoleUnitHead, UnitCode: "b"}

		t.Run("leader sees the bureau", func(t *testing.T) {
			d, err := rep.Dashboard(ctx, leader, dashMarch)
			if err != nil {
				t.Fatal(err)
			}
			want := reporting.Tally{Received: 5, Valid: 4, Responded: 3, Answered: 2, OnTime: 2, Closed: 1, Visited: 2, Satisfied: 1, BasicSatisfied: 1}
			if d.Tally != want {
				t.Errorf("tally %+v\nwant  %+v", d.Tally, want)
			}
			if dashRate(d.Rates.Response) != 0.75 || dashRate(d.Rates.Resolution) != 0.25 || dashRate(d.Rates.Satisfaction) != 1 || dashRate(d.Rates.OnTime) != 1 {
				t.Errorf("rates %+v", d.Rates)
			}
			if d.Overdue != 3 {
				t.Errorf("overdue %d, want 3 (n[2], n[3] and April's n[5])", d.Overdue)
			}
			// Both satisfied; a resolved half of its items, b none.
			if len(d.Units) != 2 || d.Units[0].Unit != "a" || d.Units[0].Rank != 1 || d.Units[1].Unit != "b" || d.Units[1].Rank != 2 {
				t.Fatalf("units %+v", d.Units)
			}
			a, b := d.Units[0], d.Units[1]
			if a.Tally.Received != 3 || a.Tally.Closed != 1 || a.Overdue != 2 || dashRate(a.Rates.Resolution) != 0.5 || dashRate(a.Rates.Satisfaction) != 1 {
				t.Errorf("unit a %+v", a)
			}
			if b.Tally.Received != 2 || b.Tally.Answered != 1 || b.Overdue != 1 || dashRate(b.Rates.Resolution) != 0 || dashRate(b.Rates.Response) != 1 {
				t.Errorf("unit b %+v", b)
			}
			var listed []string
			for _, it := range d.OverdueItems {
				listed = append(listed, it.Number)
			}
			// Nobody's contact reaches the dashboard, masked or not.
			if b, err := json.Marshal(d); err != nil || strings.Contains(string(b), "13900001111") || strings.Contains(string(b), "139****1111") {
				t.Errorf("the dashboard shows a contact: %v %s", err, b)
			}
			if !slices.Equal(listed, []string{n[2], n[3], n[5]}) {
				t.Errorf("overdue list %v, want most overdue first %v", listed, []string{n[2], n[3], n[5]})
			}
			// n[2] was due on Thursday 4 March; it is now 1 May.
			if d.OverdueItems[0].Days != 58 {
				t.Errorf("n[2] overdue %d days, want 58", d.OverdueItems[0].Days)
			}
			weeks := []string{}
			for _, w := range d.Weeks {
				weeks = append(weeks, w.Week)
			}
			if !slices.Equal(weeks, []string{"2021-W09", "2021-W10", "2021-W11", "2021-W12", "2021-W13"}) || d.Weeks[0].Received != 3 || d.Weeks[2].Received != 0 {
				t.Errorf("weeks %+v", d.Weeks)
			}
			if len(d.Categories) != 2 || d.Categories[0] != (reporting.GroupCount{Key: "hukou", Received: 4, Closed: 1}) {
				t.Errorf("categories %+v", d.Categories)
			}
			if len(d.Channels) != 2 || d.Channels[1] != (reporting.GroupCount{Key: "paper_box", Received: 1}) {
				t.Errorf("channels %+v", d.Channels)
			}
		})

		t.Run("unit head sees only their unit", func(t *testing.T) {
			for _, f := range []reporting.Filter{dashMarch, {From: dashMarch.From, To: dashMarch.To, Unit: "b"}} {
				d, err := rep.Dashboard(ctx, headB, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(d.Units) != 1 || d.Units[0].Unit != "b" || d.Tally.Received != 2 || d.Overdue != 1 {
					t.Errorf("unit head: units %+v, tally %+v, overdue %d", d.Units, d.Tally, d.Overdue)
				}
				if len(d.OverdueItems) != 1 || d.OverdueItems[0].Number != n[3] {
					t.Errorf("unit head's overdue list %+v", d.OverdueItems)
				}
				var total int64
				for _, g := range d.Channels {
					total += g.Received
				}
				if total != 2 {
					t.Errorf("unit head's channels %+v", d.Channels)
				}
			}
		})

		t.Run("leader picks a unit", func(t *testing.T) {
			d, err := rep.Dashboard(ctx, leader, reporting.Filter{From: dashMarch.From, To: dashMarch.To, Unit: "a"})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Units) != 1 || d.Units[0].Unit != "a" || d.Tally.Received != 3 || d.Overdue != 2 || len(d.OverdueItems) != 2 {
				t.Errorf("unit a: units %+v, tally %+v, overdue %d", d.Units, d.Tally, d.Overdue)
			}
		})

		t.Run("the items register reports its figures by key", func(t *testing.T) {
			for _, tt := range []struct {
				u    org.User
				want reporting.Figures
			}{
				{leader, reporting.Figures{"received": 5, "valid": 4, "responded": 3, "answered": 2, "on_time": 2, "closed": 1,
					"visited": 2, "satisfied": 1, "basic_satisfied": 1, "unsatisfied": 0, "very_satisfied": 0, "very_unsatisfied": 0, "returned": 0, "redone": 0, "overdue_now": 3}},
				{headB, reporting.Figures{"received": 2, "valid": 2, "responded": 2, "answered": 1, "on_time": 1, "closed": 0,
					"visited": 1, "satisfied": 0, "basic_satisfied": 1, "unsatisfied": 0, "very_satisfied": 0, "very_unsatisfied": 0, "returned": 0, "redone": 0, "overdue_now": 1}},
			} {
				r, err := rep.Report(ctx, tt.u, dashMarch)
				if err != nil {
					t.Fatal(err)
				}
				if got := r.Registers[archive.Register]; !maps.Equal(got, tt.want) {
					t.Errorf("%s: figures %v\nwant %v", tt.u.Name, got, tt.want)
				}
			}
		})

		refusals := []struct {
			name string
			u    org.User
			f    reporting.Filter
			code string
		}{
			{"officer", org.User{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}, dashMarch, minyi.EForbidden},
			{"auxiliary", org.User{Name: "x", Role: org.RoleAuxiliary, UnitCode: "a"}, dashMarch, minyi.EForbidden},
			{"partner", org.User{Name: "p", Role: org.RolePartner, UnitCode: "a"}, dashMarch, minyi.EForbidden},
			{"other unit", headB, reporting.Filter{From: dashMarch.From, To: dashMarch.To, Unit: "a"}, minyi.EForbidden},
			{"unknown unit", leader, reporting.Filter{From: dashMarch.From, To: dashMarch.To, Unit: "nowhere"}, minyi.EInvalid},
			{"bad day", leader, reporting.Filter{From: "2021-02-30", To: dashMarch.To}, minyi.EInvalid},
		}
		for _, tt := range refusals {
			t.Run("refuses "+tt.name, func(t *testing.T) {
				if _, err := rep.Dashboard(ctx, tt.u, tt.f); minyi.ErrorCode(err) != tt.code {
					t.Errorf("got %v, want %s", err, tt.code)
				}
			})
		}
	})
}

// BenchmarkDashboard measures the dashboard on a large archive, such as the
// one `minyi-bench generate --items 1000000` builds. Set
// MINYI_BENCH_DASHBOARD to its data directory (or a postgres:// URL); the
// benchmark is skipped without it. It reports the 95th percentile too,
// since that is what the dashboard's budget (50 ms) is about.
func BenchmarkDashboard(b *testing.B) {
	url := os.Getenv("MINYI_BENCH_DASHBOARD")
	if url == "" {
		b.Skip("set MINYI_BENCH_DASHBOARD to a generated archive")
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rep := reports(db, archive.NewService(db, policy))
	units, err := db.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	station := ""
	for _, u := range units {
		if u.Kind == org.UnitStation {
			station = u.Code
			break
		}
	}
	today := time.Now().In(calendar.Zone)
	thisYear := reporting.Filter{From: today.Format("2006") + "-01-01", To: today.Format(time.DateOnly)}
	for _, bc := range []struct {
		name string
		u    org.User
		f    reporting.Filter
	}{
		{"leader/this-year", leader, thisYear},
		{"leader/2021-jan-oct", leader, reporting.Filter{From: "2021-01-01", To: "2021-10-31"}},
		{"leader/last-30-days", leader, reporting.Filter{From: today.AddDate(0, 0, -29).Format(time.DateOnly), To: thisYear.To}},
		{"leader/one-unit", leader, reporting.Filter{From: thisYear.From, To: thisYear.To, Unit: station}},
		{"unit-head/this-year", org.User{Name: "head", Role: org.RoleUnitHead, UnitCode: station}, thisYear},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchP95(b, func() error { _, err := rep.Dashboard(ctx, bc.u, bc.f); return err })
		})
	}
	// The parts, to see where the time goes.
	f := thisYear
	f.Now = time.Now()
	for _, part := range []struct {
		name string
		run  func() error
	}{
		{"part/stats", func() error { _, err := db.Stats(ctx, f); return err }},
		{"part/overdue-by-unit", func() error { _, err := db.OverdueByUnit(ctx, f); return err }},
		{"part/weekly-trend", func() error { _, err := db.WeeklyTrend(ctx, f); return err }},
		{"part/breakdown", func() error { _, err := db.Breakdown(ctx, f); return err }},
		{"part/overdue-list", func() error {
			_, err := db.FindItems(ctx, archive.Filter{Overdue: true, Sort: archive.SortDue, Limit: reporting.OverdueListLength, Now: f.Now})
			return err
		}},
	} {
		b.Run(part.name, func(b *testing.B) { benchP95(b, part.run) })
	}
}

// benchP95 runs fn as a benchmark and reports its 95th percentile.
func benchP95(b *testing.B, fn func() error) {
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
