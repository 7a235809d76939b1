package servicepoint

import (
	"errors"
	"math"
	"strings"
	"testing"

	"minyi"
)

func fields(err error) []string {
	var e *minyi.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func ptr(v float64) *float64 { return &v }

func TestValidate(t *testing.T) {
	ok := Point{Name: "站", Unit: "a", Address: "村委会", Lat: ptr(49.2), Lng: ptr(119.7), Phone: "13900001111", Status: StatusActive}
	tests := []struct {
		name   string
		change func(*Point)
		want   string
	}{
		{"valid", func(*Point) {}, ""},
		{"no coordinates", func(p *Point) { p.Lat, p.Lng = nil, nil }, ""},
		{"landline", func(p *Point) { p.Phone = "0470-1234567" }, ""},
		{"no name, unit or address", func(p *Point) { p.Name, p.Unit, p.Address = "", "", "" }, "address,name,unit"},
		{"latitude alone", func(p *Point) { p.Lng = nil }, "latitude"},
		{"off the globe", func(p *Point) { p.Lat, p.Lng = ptr(91), ptr(-181) }, "latitude,longitude"},
		{"NaN", func(p *Point) { p.Lat = ptr(math.NaN()) }, "latitude"},
		{"bad phone", func(p *Point) { p.Phone = "12345" }, "phone"},
		{"bad status", func(p *Point) { p.Status = "gone" }, "status"},
		// Create makes a new point active; a change to "" must not reopen it.
		{"no status", func(p *Point) { p.Status = "" }, "status"},
		// One per line when stored: a line break would come back as two.
		{"service with a line break", func(p *Point) { p.Services = []string{"户籍\n身份证"} }, "services"},
		{"service with a tab", func(p *Point) { p.Services = []string{"户籍\t身份证"} }, "services"},
		{"long service", func(p *Point) { p.Services = []string{strings.Repeat("办", MaxServiceRunes+1)} }, "services"},
		{"too many services", func(p *Point) {
			for i := 0; i <= MaxServices; i++ {
				p.Services = append(p.Services, "s"+itoa(i))
			}
		}, "services"},
		{"long hours", func(p *Point) { p.OpeningHours = strings.Repeat("时", MaxHoursRunes+1) }, "opening_hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			_, err := p.Validate()
			if got := strings.Join(fields(err), ","); got != tt.want {
				t.Errorf("fields %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
	p := ok
	p.Services = []string{" 户籍 ", "户籍", ""}
	got, err := p.Validate()
	if err != nil || got.Status != StatusActive || strings.Join(got.Services, ",") != "户籍" {
		t.Errorf("cleaned %+v %v", got, err)
	}
}

func TestChanged(t *testing.T) {
	before := Point{ID: 3, Name: "站", Status: StatusActive}
	if _, ok := before.Changed(before, "li"); ok {
		t.Error("no change is an event")
	}
	after := before
	after.Status, after.Extended = StatusClosed, true
	e, ok := after.Changed(before, "li")
	if !ok || e.From != "active" || e.To != "closed" || e.Data["extended_hours"] != "true" || len(e.Data) != 2 || e.Register != Register {
		t.Errorf("event %+v", e)
	}
	if r := before.Recorded(); r.To != "active" || r.Type != EventRecorded || r.Data["name"] != "站" {
		t.Errorf("recorded %+v", r)
	}
}
