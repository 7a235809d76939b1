package pages

import (
	"slices"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
)

func problemFields(p minyi.Problems) []string {
	var out []string
	for _, f := range p {
		out = append(out, f.Field)
	}
	return out
}

func TestMeetingFormOpinions(t *testing.T) {
	f := meetingForm{Rows: []meetingRow{
		{Kind: "help"}, // the kind alone is no opinion
		{Kind: "help", Text: "路灯坏了", Name: "王", Phone: "13800000000"},
		{},
		{Category: "traffic"},
		{Text: "  "},
	}}
	opinions, rowOf := f.opinions()
	if !slices.Equal(rowOf, []int{1, 3}) {
		t.Fatalf("rows %v, want [1 3]", rowOf)
	}
	want := archive.Submission{Kind: "help", Text: "路灯坏了", Contact: archive.Contact{Name: "王", Phone: "13800000000"}}
	if len(opinions) != 2 || opinions[0].Kind != want.Kind || opinions[0].Text != want.Text || opinions[0].Contact != want.Contact ||
		opinions[1].Category != "traffic" {
		t.Errorf("opinions %+v", opinions)
	}
}

func TestMeetingFormMeeting(t *testing.T) {
	for _, c := range []struct {
		date, attendees string
		problems        []string
		day             time.Time
		count           int
	}{
		{date: "2026-11-30", attendees: "12", day: time.Date(2026, 11, 30, 0, 0, 0, 0, calendar.Zone), count: 12},
		{}, // left blank: the service names what is required
		{date: "30/11/2026", attendees: "十二", problems: []string{"date", "attendees"}, count: -1},
		{date: "2026-11-31", attendees: "5", problems: []string{"date"}, count: 5},
	} {
		m, p := meetingForm{Date: c.date, Attendees: c.attendees, Place: "村委会"}.meeting()
		if got := problemFields(p); !slices.Equal(got, c.problems) {
			t.Errorf("%q %q: problems %v, want %v", c.date, c.attendees, got, c.problems)
		}
		if !m.Date.Equal(c.day) || m.Attendees != c.count || m.Place != "村委会" {
			t.Errorf("%q %q: meeting on %v with %d, want %v with %d", c.date, c.attendees, m.Date, m.Attendees, c.day, c.count)
		}
	}
}

func TestEntryChecks(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 30, 0, 0, calendar.Zone)
	for _, c := range []struct {
		channel, date string
		problems      []string
		received      *time.Time
	}{
		{channel: "paper_box"},
		{channel: "phone", date: "2026-12-04"}, // today: the service takes the time of filing
		{channel: "visit", date: "2026-12-01", received: ptr(time.Date(2026, 12, 1, 0, 0, 0, 0, calendar.Zone))},
		{channel: "walk_in", date: "2026-12-05", problems: []string{"received_at"}},
		{channel: "survey", date: "12/01", problems: []string{"received_at"}},
		{channel: "online_box", date: "2026-12-05", problems: []string{"channel", "received_at"}},
		{channel: "", problems: []string{"channel"}},
	} {
		sub := archive.Submission{Channel: archive.Channel(c.channel)}
		p := entryChecks(&sub, c.date, now)
		if got := problemFields(p); !slices.Equal(got, c.problems) {
			t.Errorf("%q %q: problems %v, want %v", c.channel, c.date, got, c.problems)
		}
		if (sub.ReceivedAt == nil) != (c.received == nil) || (c.received != nil && !sub.ReceivedAt.Equal(*c.received)) {
			t.Errorf("%q %q: received at %v, want %v", c.channel, c.date, sub.ReceivedAt, c.received)
		}
	}
}

func ptr[T any](v T) *T { return &v }
