package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/meeting"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

// countItems counts every item in the archive.
func countItems(t *testing.T, db *store.DB) int {
	t.Helper()
	st, err := db.Stats(ctx, reporting.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return int(st.Tally.Received)
}

// A paper slip collected on 11-20 and entered on 12-03 counts in November's
// figures but is not late for the days it lay in the box: its time limit
// runs from entry, and it is judged on time against that.
func TestBackdatedSlipIsTimedFromEntry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		now.Set(time.Date(2021, 12, 3, 10, 0, 0, 0, calendar.Zone))
		collected := time.Date(2021, 11, 20, 10, 0, 0, 0, calendar.Zone)
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		it, _, err := svc.Submit(ctx, &officer, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelPaperBox,
			Category: "hukou", Text: "户籍窗口能否延时服务？", ReceivedAt: &collected})
		if err != nil {
			t.Fatal(err)
		}
		// 3 working days from Friday 12-03 10:00: Wednesday 12-08.
		wantDue := time.Date(2021, 12, 8, 10, 0, 0, 0, calendar.Zone)
		got, err := db.Item(ctx, it.Number)
		if err != nil {
			t.Fatal(err)
		}
		if !got.ReceivedAt.Equal(collected) || !got.EnteredAt.Equal(now.Now()) || !got.DueAt.Equal(it.DueAt) {
			t.Fatalf("stored collected %v entered %v due %v; want %v, %v, %v", got.ReceivedAt, got.EnteredAt, got.DueAt, collected, now.Now(), it.DueAt)
		}
		if d := got.DueAt.In(calendar.Zone); d.Year() != 2021 || d.Month() != 12 || d.Day() != wantDue.Day() {
			t.Errorf("due %v, want on %s", d, wantDue.Format("2006-01-02"))
		}
		if got.Overdue(now.Now()) {
			t.Errorf("overdue the moment it was entered (due %v)", got.DueAt)
		}
		overdue, err := svc.List(ctx, leader, archive.Filter{Overdue: true})
		if err != nil || len(overdue.Items) != 0 {
			t.Errorf("overdue queue right after entry: %d items, %v", len(overdue.Items), err)
		}
		evs, err := db.ItemEvents(ctx, got.ID)
		if err != nil || len(evs) != 1 || !evs[0].At.Equal(now.Now()) || evs[0].Data["received_at"] == "" {
			t.Errorf("received event %+v, %v: want it at entry, naming the day of collection", evs, err)
		}

		// Answered two days after entry, a fortnight after collection: on time.
		now.Set(now.Now().AddDate(0, 0, 2))
		for _, c := range []struct {
			who org.User
			cmd archive.Command
		}{{leader, archive.Command{Action: archive.ActDispatch, Unit: "a"}}, {officer, archive.Command{Action: archive.ActSign}},
			{officer, archive.Command{Action: archive.ActAnswer, Body: "已安排延时服务。"}}} {
			if _, err := svc.Act(ctx, c.who, it.Number, c.cmd, true); err != nil {
				t.Fatal(err)
			}
		}
		// Rates are by day of collection: November holds the item, December not.
		for _, p := range []struct {
			from, to        string
			received, onTim int64
		}{{"2021-11-01", "2021-11-30", 1, 1}, {"2021-12-01", "2021-12-31", 0, 0}} {
			st, err := db.Stats(ctx, reporting.Filter{From: p.from, To: p.to})
			if err != nil {
				t.Fatal(err)
			}
			if st.Tally.Received != p.received || st.Tally.OnTime != p.onTim {
				t.Errorf("%s–%s: received %d, on time %d; want %d, %d", p.from, p.to, st.Tally.Received, st.Tally.OnTime, p.received, p.onTim)
			}
		}
	})
}

// Back-dating is bounded: at most Policy.BackdateDays (default 30) days
// before the day of entry, refused beyond with 400 naming received_at and
// nothing written.
func TestBackdatingIsBounded(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		now.Set(time.Date(2021, 12, 3, 10, 0, 0, 0, calendar.Zone))
		today := archive.ChinaDay(now.Now())
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		tests := []struct {
			name      string
			days      int // the policy's bound; 0: the default
			collected time.Time
			ok        bool
		}{
			{"30 days back, first hour", 0, today.AddDate(0, 0, -30), true},
			{"30 days back, evening", 0, today.AddDate(0, 0, -30).Add(20 * time.Hour), true},
			{"31 days back, last minute", 0, today.AddDate(0, 0, -30).Add(-time.Minute), false},
			{"31 days back", 0, today.AddDate(0, 0, -31).Add(10 * time.Hour), false},
			{"a year back", 0, today.AddDate(-1, 0, 0), false},
			{"7 days back under a bound of 7", 7, today.AddDate(0, 0, -7), true},
			{"8 days back under a bound of 7", 7, today.AddDate(0, 0, -8).Add(12 * time.Hour), false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				svc.SetPolicy(archive.Policy{Calendar: policy.Calendar, BackdateDays: tc.days})
				before := countItems(t, db)
				at := tc.collected
				it, _, err := svc.Submit(ctx, &officer, archive.Submission{Kind: archive.KindSuggestion, Channel: archive.ChannelSurvey,
					Unit: "a", Text: "问卷：希望多巡逻。", ReceivedAt: &at})
				if tc.ok {
					if err != nil || !it.ReceivedAt.Equal(at) {
						t.Fatalf("refused or misdated: %v, %v", it.ReceivedAt, err)
					}
					return
				}
				if minyi.ErrorCode(err) != minyi.EInvalid || fieldsOf(err) != "received_at" {
					t.Fatalf("err %v, want invalid naming received_at", err)
				}
				if n := countItems(t, db); n != before {
					t.Fatalf("%d items after a refusal, %d before", n, before)
				}
			})
		}
	})
}

// A meeting's items are collected on its day, so the day is bounded as a
// slip's is: a meeting further back is refused naming date, and neither
// the meeting nor its opinions are written.
func TestMeetingDateIsBoundedLikeASlip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		now.Set(time.Date(2021, 12, 3, 10, 0, 0, 0, calendar.Zone))
		today := archive.ChinaDay(now.Now())
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		for _, tc := range []struct {
			name string
			back int
			ok   bool
		}{{"31 days back", 31, false}, {"30 days back", 30, true}} {
			t.Run(tc.name, func(t *testing.T) {
				before := countItems(t, db)
				m := meeting.Meeting{Date: today.AddDate(0, 0, -tc.back), Place: "会议室", HostUnit: "a"}
				_, items, err := (&meeting.Service{Store: db, Items: svc}).Record(ctx, officer, m, []archive.Submission{{Kind: archive.KindSuggestion, Text: "希望多巡逻。"}})
				if tc.ok {
					if err != nil || len(items) != 1 || !archive.ChinaDay(items[0].ReceivedAt).Equal(m.Date) || !items[0].EnteredAt.Equal(now.Now()) {
						t.Fatalf("refused or misdated: %v, %+v", err, items)
					}
					return
				}
				var e *minyi.Error
				if minyi.ErrorCode(err) != minyi.EInvalid || fieldsOf(err) != "date" || !errors.As(err, &e) ||
					!strings.Contains(e.Fields[0].Zh, "座谈会日期") || !strings.Contains(e.Fields[0].En, "30 days") {
					t.Fatalf("err %v, want invalid naming date in both languages", err)
				}
				if n := countItems(t, db); n != before {
					t.Fatalf("%d items after a refusal, %d before", n, before)
				}
				if page, err := db.Meetings(ctx, meeting.Filter{}); err != nil || len(page.Meetings) != 0 {
					t.Fatalf("%d meetings after a refusal (%v)", len(page.Meetings), err)
				}
			})
		}
	})
}

// fieldsOf lists the fields an error names, comma-separated.
func fieldsOf(err error) string {
	var out string
	if e, ok := err.(*minyi.Error); ok {
		for i, f := range e.Fields {
			if i > 0 {
				out += ","
			}
			out += f.Field
		}
	}
	return out
}

// One intake rule for every member of staff: partners and disabled
// accounts never file; officers file into their own unit or the dispatch
// queue, and a category's default unit does not carry their item onto
// another unit's desk; leaders and admins file anywhere. Citizens may name
// the unit a QR code preset.
func TestIntakeRule(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		// hukou routes to unit a; traffic to unit b.
		cat := archive.Category{Code: "traffic", Name: "交通", UnitCode: "b", Limit: calendar.Limit{Amount: 10, Unit: calendar.WorkingDays}, Active: true}
		if err := archive.NewConfig(db, nil).AddCategory(ctx, org.Operator("test"), &cat); err != nil {
			t.Fatal(err)
		}
		officer := &org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		head := &org.User{Name: "wang", Role: org.RoleUnitHead, UnitCode: "a"}
		disabled := &org.User{Name: "zhao", Role: org.RoleOfficer, UnitCode: "a", Disabled: true}
		partner := &org.User{Name: "gov", Role: org.RolePartner, UnitCode: "a"}
		admin := &org.User{Name: "root", Role: org.RoleAdmin}
		tests := []struct {
			name     string
			staff    *org.User
			unit     string
			category string
			code     string // the error's code, "" when filed
			field    string // the field a refusal names
			want     string // the unit of the filed item
		}{
			{"officer into own unit", officer, "a", "", "", "", "a"},
			{"officer into the dispatch queue", officer, "", "", "", "", ""},
			{"officer into another station", officer, "b", "", minyi.EForbidden, "unit", ""},
			{"unit head into another station", head, "b", "", minyi.EForbidden, "unit", ""},
			{"officer, category of another unit: the dispatch queue", officer, "", "traffic", "", "", ""},
			{"officer, category of own unit: own unit", officer, "", "hukou", "", "", "a"},
			{"officer names own unit for another unit's category", officer, "a", "traffic", "", "", "a"},
			{"partner into own unit", partner, "a", "", minyi.EForbidden, "", ""},
			{"partner into the dispatch queue", partner, "", "", minyi.EForbidden, "", ""},
			{"disabled officer", disabled, "a", "", minyi.EForbidden, "", ""},
			{"leader anywhere", &leader, "b", "", "", "", "b"},
			{"leader, category default applies", &leader, "", "traffic", "", "", "b"},
			{"admin anywhere", admin, "b", "hukou", "", "", "b"},
			{"citizen with a QR preset unit", nil, "b", "", "", "", "b"},
			{"citizen, category default applies", nil, "", "traffic", "", "", "b"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				channel := archive.ChannelPhone
				if tc.staff == nil {
					channel = archive.ChannelQRCode
				}
				before := countItems(t, db)
				it, _, err := svc.Submit(ctx, tc.staff, archive.Submission{Kind: archive.KindHelp, Channel: channel,
					Unit: tc.unit, Category: tc.category, Text: "夜里路口没有路灯。"})
				if minyi.ErrorCode(err) != tc.code || fieldsOf(err) != tc.field {
					t.Fatalf("err %v, want code %q naming %q", err, tc.code, tc.field)
				}
				if tc.code != "" {
					if n := countItems(t, db); n != before {
						t.Fatalf("%d items after a refusal, %d before", n, before)
					}
					return
				}
				got, err := db.Item(ctx, it.Number)
				if err != nil || got.UnitCode != tc.want {
					t.Fatalf("filed into %q (%v), want %q", got.UnitCode, err, tc.want)
				}
			})
		}
	})
}

// Migration 15 gives the items before it an entry time equal to their time
// of receipt, from which their due times were computed.
func TestMigrationFillsEnteredAt(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			svc, now := fixture(t, db)
			var before []archive.Item
			for i := range 3 {
				now.Advance(time.Duration(i) * time.Hour)
				before = append(before, submit(t, svc, "户籍迁移怎么办？"))
			}
			db = reopenAfter(t, db, url, append(append(append(undoEventLog, undoDeskVersions()...), undoTokenExpiry...), dropEnteredAt, dropShareLocation, "DELETE FROM schema_migrations WHERE version >= 15")...)
			for _, b := range before {
				it, err := db.Item(ctx, b.Number)
				if err != nil {
					t.Fatal(err)
				}
				if !it.EnteredAt.Equal(it.ReceivedAt) || !it.EnteredAt.Equal(b.EnteredAt) || !it.DueAt.Equal(b.DueAt) {
					t.Errorf("%s: received %v, entered %v, due %v; before %v, %v", it.Number, it.ReceivedAt, it.EnteredAt, it.DueAt, b.EnteredAt, b.DueAt)
				}
			}
		})
	}
}
