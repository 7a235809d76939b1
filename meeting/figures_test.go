package meeting

import (
	"context"
	"maps"
	"slices"
	"testing"

	"minyi/reporting"
)

// MeetingFigures counts the fake's meetings as the store does: by day and
// host unit (the opinions are left out; the store's tests count them).
func (f *meetingFake) MeetingFigures(_ context.Context, flt reporting.Filter) (reporting.Figures, error) {
	out := reporting.Figures{"held": 0, "attendees": 0, "opinions": 0, "opinions_closed": 0}
	for _, m := range f.created {
		day := m.Day()
		if day < flt.From || day > flt.To || (flt.Units != nil && !slices.Contains(flt.Units, m.HostUnit)) ||
			(flt.Unit != "" && m.HostUnit != flt.Unit) {
			continue
		}
		out["held"]++
		out["attendees"] += int64(m.Attendees)
	}
	return out, nil
}

func TestFiguresOfTheMeetingsRegister(t *testing.T) {
	svc, fake := meetingService()
	fake.created = []Meeting{
		{Date: meetingNow.AddDate(0, 0, -10), HostUnit: "a", Attendees: 30},
		{Date: meetingNow.AddDate(0, 0, -3), HostUnit: "b", Attendees: 12},
		{Date: meetingNow.AddDate(0, -3, 0), HostUnit: "a", Attendees: 50},
	}
	from, to := meetingNow.AddDate(0, -1, 0).Format("2006-01-02"), meetingNow.Format("2006-01-02")
	tests := []struct {
		name            string
		f               reporting.Filter
		held, attendees int64
	}{
		{"the last month", reporting.Filter{From: from, To: to}, 2, 42},
		{"one host unit", reporting.Filter{From: from, To: to, Unit: "b"}, 1, 12},
		{"visible units", reporting.Filter{From: from, To: to, Units: []string{"a"}}, 1, 30},
	}
	if svc.Register() != "meetings" {
		t.Errorf("register %q", svc.Register())
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Figures(context.Background(), tt.f)
			want := reporting.Figures{"held": tt.held, "attendees": tt.attendees, "opinions": 0, "opinions_closed": 0}
			if err != nil || !maps.Equal(got, want) {
				t.Errorf("got %v %v, want %v", got, err, want)
			}
		})
	}
}
