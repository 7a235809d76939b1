package meeting

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testkit"
	"minyi/org"
)

// meetingFields lists the fields a validation error names, sorted.
func meetingFields(err error) []string {
	var e *minyi.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

var meetingNow = time.Date(2021, 5, 12, 15, 0, 0, 0, calendar.Zone)

func goodMeeting() Meeting {
	return Meeting{Date: time.Date(2021, 5, 10, 0, 0, 0, 0, calendar.Zone), Place: "乌兰镇派出所会议室",
		HostUnit: "a", AttendeeGroups: []string{"牧民群众", "人大代表"}, Attendees: 23, Minutes: "会议记录"}
}

func TestMeetingValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Meeting)
		fields []string
	}{
		{"good", func(*Meeting) {}, nil},
		{"today is fine", func(m *Meeting) { m.Date = meetingNow }, nil},
		{"late tonight in China is still today", func(m *Meeting) { m.Date = time.Date(2021, 5, 12, 15, 30, 0, 0, time.UTC) }, nil},
		{"just after midnight in China is tomorrow", func(m *Meeting) { m.Date = time.Date(2021, 5, 12, 16, 30, 0, 0, time.UTC) }, []string{"date"}},
		{"no date", func(m *Meeting) { m.Date = time.Time{} }, []string{"date"}},
		{"tomorrow", func(m *Meeting) { m.Date = meetingNow.AddDate(0, 0, 1) }, []string{"date"}},
		{"ancient", func(m *Meeting) { m.Date = time.Date(1999, 1, 1, 0, 0, 0, 0, calendar.Zone) }, []string{"date"}},
		{"no place", func(m *Meeting) { m.Place = "  " }, []string{"place"}},
		{"place too long", func(m *Meeting) { m.Place = strings.Repeat("地", MaxPlaceRunes+1) }, []string{"place"}},
		{"no host unit", func(m *Meeting) { m.HostUnit = "" }, []string{"host_unit"}},
		{"minutes at the limit", func(m *Meeting) { m.Minutes = strings.Repeat("记", MaxMinutesRunes) }, nil},
		{"minutes too long", func(m *Meeting) { m.Minutes = strings.Repeat("记", MaxMinutesRunes+1) }, []string{"minutes"}},
		{"minutes with a control character", func(m *Meeting) { m.Minutes = "a\x00b" }, []string{"minutes"}},
		{"no attendees", func(m *Meeting) { m.Attendees = 0 }, nil},
		{"negative attendees", func(m *Meeting) { m.Attendees = -1 }, []string{"attendees"}},
		{"attendees at the limit", func(m *Meeting) { m.Attendees = MaxAttendees }, nil},
		{"too many attendees", func(m *Meeting) { m.Attendees = MaxAttendees + 1 }, []string{"attendees"}},
		{"group too long", func(m *Meeting) { m.AttendeeGroups = []string{strings.Repeat("群", MaxGroupRunes+1)} }, []string{"attendee_groups"}},
		{"too many groups", func(m *Meeting) {
			m.AttendeeGroups = nil
			for i := range MaxGroups + 1 {
				m.AttendeeGroups = append(m.AttendeeGroups, "群体"+itoa(i))
			}
		}, []string{"attendee_groups"}},
		{"everything wrong", func(m *Meeting) { *m = Meeting{Attendees: -5} }, []string{"attendees", "date", "host_unit", "place"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := goodMeeting()
			tc.edit(&m)
			_, err := m.Validate(meetingNow)
			if got := meetingFields(err); !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v (err %v)", got, tc.fields, err)
			}
		})
	}
}

func TestMeetingCleaned(t *testing.T) {
	m := goodMeeting()
	m.Date = time.Date(2021, 5, 10, 17, 45, 0, 0, time.UTC) // 01:45 on the 11th in China
	m.Place = "  会议室 "
	m.AttendeeGroups = []string{" 牧民群众", "", "牧民群众", "企业代表"}
	got, err := m.Validate(meetingNow)
	if err != nil {
		t.Fatal(err)
	}
	if got.Day() != "2021-05-11" || !got.Date.Equal(time.Date(2021, 5, 11, 0, 0, 0, 0, calendar.Zone)) {
		t.Errorf("date %v, day %s", got.Date, got.Day())
	}
	if got.Place != "会议室" || !slices.Equal(got.AttendeeGroups, []string{"牧民群众", "企业代表"}) {
		t.Errorf("cleaned %q %q", got.Place, got.AttendeeGroups)
	}
}

func TestParseAttendeeGroups(t *testing.T) {
	got := ParseAttendeeGroups("牧民群众、企业代表，人大代表; 政协委员\n 村干部 ,")
	want := []string{"牧民群众", "企业代表", "人大代表", "政协委员", "村干部"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// meetingFake keeps meetings in memory, as the meetings' Store and the
// items' (archive.Store); the methods a meeting does not use are left to
// the nil archive.Store it embeds, so calling one fails the test loudly.
type meetingFake struct {
	archive.Store
	units      map[string]bool
	categories map[string]archive.Category
	created    []Meeting
	items      [][]archive.Item
}

func (f *meetingFake) Unit(_ context.Context, code string) (org.Unit, error) {
	if !f.units[code] {
		return org.Unit{}, minyi.Errorf(minyi.ENotFound, "no unit")
	}
	return org.Unit{Code: code}, nil
}

func (f *meetingFake) Category(_ context.Context, code string) (archive.Category, error) {
	c, ok := f.categories[code]
	if !ok {
		return c, minyi.Errorf(minyi.ENotFound, "no category")
	}
	return c, nil
}

func (f *meetingFake) CreateMeeting(_ context.Context, m *Meeting, items []archive.Item, events [][]archive.Event) error {
	m.ID = int64(len(f.created) + 1)
	for i := range items {
		items[i].Number = "2021-00000" + itoa(i+1)
	}
	f.created = append(f.created, *m)
	f.items = append(f.items, slices.Clone(items))
	return nil
}

func (f *meetingFake) Meetings(context.Context, Filter) (Page, error) {
	return Page{}, nil
}

func (f *meetingFake) FormResult(context.Context, string) (archive.FormResult, error) {
	return archive.FormResult{}, minyi.Errorf(minyi.ENotFound, "no form")
}

func (f *meetingFake) Meeting(_ context.Context, id int64) (Meeting, error) {
	if id < 1 || int(id) > len(f.created) {
		return Meeting{}, minyi.Errorf(minyi.ENotFound, "no meeting")
	}
	return f.created[id-1], nil
}

func (f *meetingFake) MeetingItems(_ context.Context, id int64) ([]archive.Item, error) {
	return f.items[id-1], nil
}

func meetingService() (*Service, *meetingFake) {
	fake := &meetingFake{units: map[string]bool{"a": true, "b": true},
		categories: map[string]archive.Category{
			"hukou": {Code: "hukou", UnitCode: "b", Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}, Active: true},
			"old":   {Code: "old", Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}},
		}}
	items := archive.NewService(fake, archive.Policy{Calendar: calendar.Default()})
	items.Now = testkit.NewClock(meetingNow).Now
	return &Service{Store: fake, Items: items}, fake
}

func opinion(text string) archive.Submission {
	return archive.Submission{Kind: archive.KindSuggestion, Text: text}
}

func TestRecordMeetingOpinionFields(t *testing.T) {
	officerA := org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
	leader := org.User{Name: "leader", Role: org.RoleLeader}
	onDay := func(h int) *time.Time {
		t := time.Date(2021, 5, 10, h, 0, 0, 0, calendar.Zone)
		return &t
	}
	tests := []struct {
		name   string
		user   org.User
		edit   func(*Meeting, []archive.Submission) []archive.Submission
		fields []string
	}{
		{"good", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission { return o }, nil},
		{"no opinions is a meeting too", officerA, func(*Meeting, []archive.Submission) []archive.Submission { return nil }, nil},
		{"third opinion without text", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[2].Text = " "
			return o
		}, []string{"opinions[2].text"}},
		{"bad phone and unknown kind in two rows", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[0].Contact.Phone = "12345"
			o[1].Kind = "rant"
			return o
		}, []string{"opinions[0].contact.phone", "opinions[1].kind"}},
		{"unknown and inactive categories", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[0].Category, o[1].Category = "nope", "old"
			return o
		}, []string{"opinions[0].category", "opinions[1].category"}},
		{"meeting and opinion problems together", officerA, func(m *Meeting, o []archive.Submission) []archive.Submission {
			m.Place = ""
			o[1].Text = ""
			return o
		}, []string{"opinions[1].text", "place"}},
		{"a future date does not make every opinion future", officerA, func(m *Meeting, o []archive.Submission) []archive.Submission {
			m.Date = meetingNow.AddDate(0, 0, 3)
			return o
		}, []string{"date"}},
		{"unknown host unit", leader, func(m *Meeting, o []archive.Submission) []archive.Submission {
			m.HostUnit = "zz"
			return o
		}, []string{"host_unit"}},
		{"opinion received on another day", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[1].ReceivedAt = onDay(30)
			return o
		}, []string{"opinions[1].received_at"}},
		{"opinion received during the meeting", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[1].ReceivedAt = onDay(10)
			return o
		}, nil},
		{"officer files for another unit", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[0].Unit = "b"
			return o
		}, []string{"opinions[0].unit"}},
		{"leader files for an unknown unit", leader, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			o[0].Unit = "zz"
			return o
		}, []string{"opinions[0].unit"}},
		{"too many opinions", officerA, func(_ *Meeting, o []archive.Submission) []archive.Submission {
			for len(o) <= MaxOpinions {
				o = append(o, opinion("再来一条"))
			}
			return o
		}, []string{"opinions"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, fake := meetingService()
			m := goodMeeting()
			ops := tc.edit(&m, []archive.Submission{opinion("路灯不亮"), opinion("希望多巡逻"), opinion("办证窗口太少")})
			_, items, err := svc.Record(context.Background(), tc.user, m, ops)
			if got := meetingFields(err); !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v (err %v)", got, tc.fields, err)
			}
			if tc.fields != nil && (len(fake.created) != 0 || items != nil) {
				t.Fatalf("stored despite problems: %v", fake.created)
			}
			if tc.fields == nil && (len(fake.created) != 1 || len(items) != len(ops)) {
				t.Fatalf("stored %d meetings, %d items; want 1, %d", len(fake.created), len(items), len(ops))
			}
		})
	}
}

func TestRecordMeetingItems(t *testing.T) {
	svc, fake := meetingService()
	officer := org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
	ops := []archive.Submission{opinion("路灯不亮"), {Kind: archive.KindHelp, Category: "hukou", Text: "孩子落户",
		Contact: archive.Contact{Name: "王某", Phone: "13900001111"}}}
	m, items, err := svc.Record(context.Background(), officer, goodMeeting(), ops)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != 1 || m.CreatedBy != "officer-a" || !m.CreatedAt.Equal(meetingNow) || m.Opinions != 2 {
		t.Errorf("meeting %+v", m)
	}
	day := time.Date(2021, 5, 10, 0, 0, 0, 0, calendar.Zone)
	for i, it := range items {
		if it.Channel != archive.ChannelForum || it.ChannelDetail != "2021-05-10 乌兰镇派出所会议室" || !it.ReceivedAt.Equal(day) {
			t.Errorf("item %d: %s %q %v", i, it.Channel, it.ChannelDetail, it.ReceivedAt)
		}
		// Raised at the host unit's meeting, the item stays with the host
		// unit even when its category would route it elsewhere.
		if it.UnitCode != "a" {
			t.Errorf("item %d unit %q", i, it.UnitCode)
		}
	}
	if items[1].Contact.Phone != "139****1111" {
		t.Errorf("returned contact not masked: %+v", items[1].Contact)
	}
	if fake.items[0][1].Contact.Phone != "13900001111" {
		t.Errorf("stored contact masked: %+v", fake.items[0][1].Contact)
	}
}

func TestMeetingAccess(t *testing.T) {
	svc, _ := meetingService()
	ctx := context.Background()
	officerA := org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
	officerB := org.User{Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}
	partner := org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"}
	leader := org.User{Name: "leader", Role: org.RoleLeader}
	tests := []struct {
		name string
		user org.User
		want string
	}{
		{"own unit", officerA, ""},
		{"another unit's meeting", officerB, minyi.EForbidden},
		{"partner is read-only", partner, minyi.EForbidden},
		{"disabled", org.User{Name: "x", Role: org.RoleOfficer, UnitCode: "a", Disabled: true}, minyi.EForbidden},
		{"leader for any unit", leader, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := svc.Record(ctx, tc.user, goodMeeting(), []archive.Submission{opinion("路灯不亮")})
			if got := minyi.ErrorCode(err); got != tc.want {
				t.Fatalf("record: %q (%v), want %q", got, err, tc.want)
			}
		})
	}
	if _, items, err := svc.Get(ctx, officerA, 1); err != nil || len(items) != 1 {
		t.Errorf("own unit reads: %v, %d items", err, len(items))
	}
	if _, _, err := svc.Get(ctx, officerB, 1); minyi.ErrorCode(err) != minyi.EForbidden {
		t.Errorf("other unit reads: %v", err)
	}
	if _, _, err := svc.Get(ctx, leader, 99); minyi.ErrorCode(err) != minyi.ENotFound {
		t.Errorf("missing meeting: %v", err)
	}
}

// A recorded meeting's event names the register and the meeting, and holds
// the record as it was made; with the log's hash, an edit to any of it shows.
func TestRecordedEvent(t *testing.T) {
	m := goodMeeting()
	m.ID, m.CreatedBy, m.CreatedAt = 7, "officer-a", meetingNow
	e := m.Recorded([]string{"2021-000001", "2021-000002"})
	want := map[string]string{"host_unit": "a", "day": "2021-05-10", "place": "乌兰镇派出所会议室", "attendees": "23",
		"opinions": "2", "attendee_groups": "牧民群众\n人大代表", "items": "2021-000001,2021-000002"}
	if e.Register != Register || e.RecordID != 7 || e.Record != "7" || e.Type != EventRecorded || e.Actor != "officer-a" ||
		!e.At.Equal(meetingNow) || e.Body != "会议记录" || !maps.Equal(e.Data, want) {
		t.Errorf("event %+v", e)
	}
	if e := (Meeting{ID: 8, HostUnit: "b"}).Recorded(nil); e.Data["opinions"] != "0" || e.Data["items"] != "" || e.Data["attendee_groups"] != "" {
		t.Errorf("a meeting without opinions or groups: %+v", e.Data)
	}
}
