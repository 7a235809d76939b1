package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/meeting"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

var mtNow = time.Date(2021, 5, 12, 15, 0, 0, 0, calendar.Zone)

// mtFixture sets up units a and b, a category, and a service whose clock
// stands at mtNow.
func mtFixture(t *testing.T, db *store.DB) *meeting.Service {
	t.Helper()
	testkit.Bureau{Units: testkit.Stations, Categories: []archive.Category{testkit.Hukou("b")}}.Seed(t, db)
	items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
	items.Now = testkit.NewClock(mtNow).Now
	return &meeting.Service{Store: db, Items: items}
}

// mtMay records four meetings of May 2021 — unit a's on the 3rd with the
// opinions 一 and 二, b's on the 7th with 三, a's on the 7th with none and
// b's on the 1st with 四 — and closes out 一, which is unit a's from its
// filing (addressed to the host unit). It returns the meetings in that
// order.
func mtMay(t *testing.T, svc *meeting.Service) []meeting.Meeting {
	t.Helper()
	m1, items := mtRecord(t, svc, mtOfficerA, "a", 3, "一", "二")
	m2, _ := mtRecord(t, svc, mtOfficerB, "b", 7, "三")
	m3, _ := mtRecord(t, svc, mtLeader, "a", 7)
	m4, _ := mtRecord(t, svc, mtLeader, "b", 1, "四")
	for _, s := range []struct {
		u   org.User
		cmd archive.Command
	}{
		{mtOfficerA, archive.Command{Action: archive.ActSign}},
		{mtOfficerA, archive.Command{Action: archive.ActAnswer, Body: "已修好"}},
		{mtOfficerA, archive.Command{Action: archive.ActVisit, Satisfaction: archive.Satisfied, Body: "满意"}},
		{mtOfficerA, archive.Command{Action: archive.ActClose}},
	} {
		if _, err := svc.Items.Act(context.Background(), s.u, items[0].Number, s.cmd, true); err != nil {
			t.Fatalf("%s: %v", s.cmd.Action, err)
		}
	}
	return []meeting.Meeting{m1, m2, m3, m4}
}

// mtRecord records a meeting of unit on day with the given opinion texts.
func mtRecord(t *testing.T, svc *meeting.Service, u org.User, unit string, day int, texts ...string) (meeting.Meeting, []archive.Item) {
	t.Helper()
	var ops []archive.Submission
	for _, text := range texts {
		ops = append(ops, archive.Submission{Kind: archive.KindSuggestion, Category: "hukou", Text: text,
			Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
	}
	m := meeting.Meeting{Date: time.Date(2021, 5, day, 0, 0, 0, 0, calendar.Zone), Place: "会议室" + strconv.Itoa(day),
		HostUnit: unit, AttendeeGroups: []string{"牧民群众", "企业代表"}, Attendees: 30, Minutes: "一、会议情况\n二、群众意见"}
	m, items, err := svc.Record(context.Background(), u, m, ops)
	if err != nil {
		t.Fatal(err)
	}
	return m, items
}

var (
	mtLeader   = org.User{Name: "leader", Role: org.RoleLeader}
	mtOfficerA = org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
	mtOfficerB = org.User{Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}
)

func TestRecordMeetingLinksItems(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := mtFixture(t, db)
		m, items := mtRecord(t, svc, mtOfficerA, "a", 10, "路灯不亮", "希望多巡逻", "办证窗口太少")
		if m.ID == 0 || len(items) != 3 {
			t.Fatalf("meeting %+v, %d items", m, len(items))
		}
		got, linked, err := svc.Get(bg, mtOfficerA, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Day() != "2021-05-10" || got.Place != "会议室10" || got.HostUnit != "a" || got.Attendees != 30 ||
			!slices.Equal(got.AttendeeGroups, []string{"牧民群众", "企业代表"}) || got.Minutes != "一、会议情况\n二、群众意见" ||
			got.CreatedBy != "officer-a" || !got.CreatedAt.Equal(mtNow) || got.Opinions != 3 || got.Closed != 0 {
			t.Fatalf("read back %+v", got)
		}
		day := time.Date(2021, 5, 10, 0, 0, 0, 0, calendar.Zone)
		for i, it := range linked {
			if it.Number != items[i].Number || it.Channel != archive.ChannelForum || !it.ReceivedAt.Equal(day) ||
				it.ChannelDetail != "2021-05-10 会议室10" || it.UnitCode != "a" || it.Contact.Phone != "139****1111" {
				t.Errorf("linked item %d: %+v", i, it)
			}
			stored, err := db.Item(bg, it.Number)
			if err != nil || stored.Contact.Phone != "13900001111" {
				t.Errorf("stored item %s: %v %+v", it.Number, err, stored.Contact)
			}
			// Received, naming the meeting, and dispatched to the host unit
			// by the system, since it was raised at the unit's own meeting.
			evs, err := db.ItemEvents(bg, it.ID)
			if err != nil || len(evs) != 2 || evs[0].Data["meeting"] != strconv.FormatInt(m.ID, 10) || evs[0].Actor != "officer-a" ||
				evs[1].Type != archive.EventDispatched || evs[1].Data["addressed"] != string(archive.AddressedMeeting) || it.Status != archive.StatusDispatched {
				t.Errorf("events of %s: %v %+v", it.Number, err, evs)
			}
		}
		// Three items' two events each and the meeting's own.
		if n, err := db.Verify(bg); err != nil || n != 7 {
			t.Fatalf("verify: %d %v", n, err)
		}
		// The items count like any others.
		st, err := reports(db, svc.Items).Stats(bg, mtLeader, reporting.Filter{From: "2021-05-01", To: "2021-05-31"})
		if err != nil || st.Tally.Received != 3 {
			t.Fatalf("stats: %v %+v", err, st.Tally)
		}
		if _, _, err := svc.Get(bg, mtLeader, m.ID+100); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("missing meeting: %v", err)
		}
	})
}

func TestMeetingListAndVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := mtFixture(t, db)
		ms := mtMay(t, svc)
		m1, m2, m3, m4 := ms[0], ms[1], ms[2], ms[3]

		ids := func(p meeting.Page) []int64 {
			var out []int64
			for _, m := range p.Meetings {
				out = append(out, m.ID)
			}
			return out
		}
		tests := []struct {
			name string
			user org.User
			want []int64
		}{
			{"leader sees all, newest day first", mtLeader, []int64{m3.ID, m2.ID, m1.ID, m4.ID}},
			{"unit a sees its own", mtOfficerA, []int64{m3.ID, m1.ID}},
			{"unit b sees its own", mtOfficerB, []int64{m2.ID, m4.ID}},
			{"a user without a unit sees none", org.User{Name: "x", Role: org.RoleOfficer}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				p, err := svc.List(bg, tc.user, 0, "")
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(p); !slices.Equal(got, tc.want) {
					t.Fatalf("meetings %v, want %v", got, tc.want)
				}
			})
		}
		p, _ := svc.List(bg, mtLeader, 0, "")
		if first := p.Meetings[2]; first.ID != m1.ID || first.Opinions != 2 || first.Closed != 1 || first.Minutes != "" {
			t.Errorf("counts of the first meeting: %+v", first)
		}
		if third := p.Meetings[0]; third.Opinions != 0 || third.Closed != 0 {
			t.Errorf("counts of a meeting without opinions: %+v", third)
		}
		if _, _, err := svc.Get(bg, mtOfficerB, m1.ID); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("unit b reads unit a's meeting: %v", err)
		}

		// Paging two at a time walks the same order without repeats.
		var paged []int64
		cursor := ""
		for range 5 {
			page, err := svc.List(bg, mtLeader, 2, cursor)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, ids(page)...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if want := []int64{m3.ID, m2.ID, m1.ID, m4.ID}; !slices.Equal(paged, want) {
			t.Errorf("paged %v, want %v", paged, want)
		}
		if _, err := svc.List(bg, mtLeader, 2, "bm9wZQ"); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

func TestRecordMeetingIsAtomic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := mtFixture(t, db)
		mtRecord(t, svc, mtOfficerA, "a", 3, "一", "二", "三") // 2021-000001 … 000003
		// Wind the number counter back so that the second item of the next
		// meeting collides with 2021-000001 after the meeting row and its
		// first item have been written.
		if _, err := testdb.Raw(t, db).Exec("UPDATE number_seq SET value = -1 WHERE year = 2021"); err != nil {
			t.Fatal(err)
		}
		m := meeting.Meeting{Date: time.Date(2021, 5, 4, 0, 0, 0, 0, calendar.Zone), Place: "会议室", HostUnit: "a"}
		ops := []archive.Submission{{Kind: archive.KindHelp, Text: "甲"}, {Kind: archive.KindHelp, Text: "乙"}}
		_, _, err := svc.Record(bg, mtOfficerA, m, ops)
		if err == nil {
			t.Fatal("a colliding number was stored")
		}
		t.Logf("refused as expected: %v", err)
		p, err := svc.List(bg, mtLeader, 0, "")
		if err != nil || len(p.Meetings) != 1 {
			t.Fatalf("meetings after a failed record: %v %d", err, len(p.Meetings))
		}
		if _, err := db.Item(bg, "2021-000000"); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("the first item of the failed meeting was kept: %v", err)
		}
		if n, err := db.Verify(bg); err != nil || n != 7 {
			t.Errorf("verify after a failed record: %d %v", n, err)
		}
	})
}

// A meeting is in the log: its event follows its items' received events and
// names them, and minyi verify finds an edit to it, naming the register
// "meetings" and the meeting.
func TestVerifyFindsAnEditedMeeting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := mtFixture(t, db)
		mtRecord(t, svc, mtOfficerA, "a", 3, "一")
		m, items := mtRecord(t, svc, mtOfficerA, "a", 10, "路灯不亮", "希望多巡逻")
		// Each item's received and dispatched events, then the meeting's.
		if n, err := db.Verify(bg); err != nil || n != 8 {
			t.Fatalf("intact log: %d, %v", n, err)
		}
		r := testdb.Raw(t, db)
		var seq int64
		var typ, actor, data string
		err := r.QueryRow(fmt.Sprintf("SELECT seq, type, actor, data FROM events WHERE register = 'meetings' AND record_id = %d", m.ID)).
			Scan(&seq, &typ, &actor, &data)
		if err != nil || seq != 8 || typ != meeting.EventRecorded || actor != "officer-a" ||
			!strings.Contains(data, `"host_unit":"a"`) || !strings.Contains(data, items[0].Number+","+items[1].Number) {
			t.Fatalf("the meeting's event: %d %s %s %s, %v", seq, typ, actor, data, err)
		}
		if _, err := r.Exec(fmt.Sprintf(`UPDATE events SET data = '{"host_unit":"b"}' WHERE seq = %d`, seq)); err != nil {
			t.Fatal(err)
		}
		_, err = db.Verify(bg)
		var ce *eventlog.ChainError
		if !errors.As(err, &ce) || ce.Seq != seq || ce.Register != meeting.Register || ce.Record != strconv.FormatInt(m.ID, 10) {
			t.Fatalf("verify after an edit: %v", err)
		}
		if !strings.Contains(err.Error(), "meetings "+strconv.FormatInt(m.ID, 10)) {
			t.Errorf("the error does not name the meeting: %v", err)
		}
	})
}

func TestMeetingFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := mtFixture(t, db)
		mtMay(t, svc)
		figs := func(held, attendees, opinions, closed int64) reporting.Figures {
			return reporting.Figures{"held": held, "attendees": attendees, "opinions": opinions, "opinions_closed": closed}
		}
		may := reporting.Filter{From: "2021-05-01", To: "2021-05-31"}
		tests := []struct {
			name string
			f    reporting.Filter
			want reporting.Figures
		}{
			{"all of May", may, figs(4, 120, 4, 1)},
			{"days are inclusive", reporting.Filter{From: "2021-05-03", To: "2021-05-07"}, figs(3, 90, 3, 1)},
			{"one unit", reporting.Filter{From: may.From, To: may.To, Unit: "a"}, figs(2, 60, 2, 1)},
			{"visible units", reporting.Filter{From: may.From, To: may.To, Units: []string{"b"}}, figs(2, 60, 2, 0)},
			{"no visible units", reporting.Filter{From: may.From, To: may.To, Units: []string{}}, figs(0, 0, 0, 0)},
			{"quiet period", reporting.Filter{From: "2021-06-01", To: "2021-06-30"}, figs(0, 0, 0, 0)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.MeetingFigures(bg, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	})
}
