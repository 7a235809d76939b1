package servicepoint

import (
	"math"
	"strings"
	"testing"
	"time"

	"minyi/internal/testkit"
)

func ptr(v float64) *float64 { return &v }

// now is the validation's clock: noon of 2021-11-02 in China.
var now = time.Date(2021, 11, 2, 4, 0, 0, 0, time.UTC)

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
		{"opened and closed", func(p *Point) { p.OpenedOn, p.ClosedOn, p.Status = "2021-03-01", "2021-11-02", StatusClosed }, ""},
		{"closed the day it opened", func(p *Point) { p.OpenedOn, p.ClosedOn, p.Status = "2021-03-01", "2021-03-01", StatusClosed }, ""},
		{"opened tomorrow", func(p *Point) { p.OpenedOn = "2021-11-03" }, "opened_on"},
		{"opened on no day", func(p *Point) { p.OpenedOn = "2021-02-30" }, "opened_on"},
		{"closed before it opened", func(p *Point) { p.OpenedOn, p.ClosedOn, p.Status = "2021-03-01", "2021-02-28", StatusClosed }, "closed_on"},
		{"closed tomorrow", func(p *Point) { p.ClosedOn, p.Status = "2021-11-03", StatusClosed }, "closed_on"},
		{"active with a closing day", func(p *Point) { p.ClosedOn = "2021-10-01" }, "closed_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			_, err := p.Validate(now)
			if got := strings.Join(testkit.Fields(err), ","); got != tt.want {
				t.Errorf("fields %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
	p := ok
	p.Services = []string{" 户籍 ", "户籍", ""}
	got, err := p.Validate(now)
	if err != nil || got.Status != StatusActive || strings.Join(got.Services, ",") != "户籍" || got.OpenedOn != "2021-11-02" || got.ClosedOn != "" {
		t.Errorf("cleaned %+v %v", got, err)
	}
	// Closed without a day: closed today, which is China's day of now.
	p = ok
	p.Status = StatusClosed
	if got, err := p.Validate(now.Add(12 * time.Hour)); err != nil || got.ClosedOn != "2021-11-03" || got.OpenedOn != "2021-11-03" {
		t.Errorf("closed without a day %+v %v", got, err)
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
	// Reopening clears the closing day; closing again may give one.
	closed := Point{ID: 3, Status: StatusClosed, OpenedOn: "2021-03-01", ClosedOn: "2021-10-01"}
	active := StatusActive
	if got := (Patch{Status: &active}).Apply(closed); got.ClosedOn != "" || got.Status != StatusActive {
		t.Errorf("reopened %+v", got)
	}
	if e, _ := (Patch{Status: &active}).Apply(closed).Changed(closed, "li"); e.Data["closed_on"] != "" || len(e.Data) != 2 {
		t.Errorf("the reopening's event %+v", e)
	}
	if r := before.Recorded(); r.To != "active" || r.Type != EventRecorded || r.Data["name"] != "站" {
		t.Errorf("recorded %+v", r)
	}
}
