package booking

import (
	"slices"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
)

var (
	officerA = register.Actor{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
	officerB = register.Actor{Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}
	leader   = register.Actor{Name: "leader", Role: org.RoleLeader}
	citizen  = register.Actor{Name: "citizen"}
)

// TestLifecycle is the legal transitions written out by hand, not derived
// from the rules: who may take which action from which status, and when.
func TestLifecycle(t *testing.T) {
	b := Booking{ID: 1, Unit: "a", Day: "2021-09-14", Start: "12:00", End: "14:30", Status: StatusBooked, Version: 1}
	before := time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	morning := time.Date(2021, 9, 14, 9, 0, 0, 0, calendar.Zone)
	started := time.Date(2021, 9, 14, 12, 1, 0, 0, calendar.Zone)
	cases := []struct {
		name   string
		status Status
		action Action
		actor  register.Actor
		at     time.Time
		want   string // error code; "" allowed
		to     Status
	}{
		{"citizen cancels ahead", StatusBooked, ActCancel, citizen, before, "", StatusCancelled},
		{"officer cancels ahead", StatusBooked, ActCancel, officerA, before, "", StatusCancelled},
		{"leader cancels", StatusBooked, ActCancel, leader, morning, "", StatusCancelled},
		{"nobody cancels once started", StatusBooked, ActCancel, citizen, started, minyi.EIllegal, ""},
		{"another unit cancels", StatusBooked, ActCancel, officerB, before, minyi.EForbidden, ""},
		{"attend on the day", StatusBooked, ActAttend, officerA, morning, "", StatusAttended},
		{"attend before the day", StatusBooked, ActAttend, officerA, before, minyi.EIllegal, ""},
		{"citizen attends", StatusBooked, ActAttend, citizen, morning, minyi.EForbidden, ""},
		{"no-show once started", StatusBooked, ActNoShow, officerA, started, "", StatusNoShow},
		{"no-show before the start", StatusBooked, ActNoShow, officerA, morning, minyi.EIllegal, ""},
		{"attended is final", StatusAttended, ActCancel, officerA, before, minyi.EIllegal, ""},
		{"cancelled is final", StatusCancelled, ActAttend, officerA, morning, minyi.EIllegal, ""},
		{"no-show is final", StatusNoShow, ActAttend, officerA, started, minyi.EIllegal, ""},
		{"unknown action", StatusBooked, "rebook", officerA, before, minyi.EInvalid, ""},
		{"the citizen's rule is no action", StatusBooked, actCitizenCancel, citizen, before, minyi.EInvalid, ""},
		{"the right to correct is no action", StatusBooked, actEdit, officerA, before, minyi.EInvalid, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := b
			b.Status = c.status
			events, err := Decide(b, Command{Action: c.action, Version: 1}, c.actor, c.at)
			if minyi.ErrorCode(err) != c.want {
				t.Fatalf("err %v, want %q", err, c.want)
			}
			if c.want == "" {
				after := Apply(b, events[0])
				if after.Status != c.to {
					t.Errorf("to %s, want %s", after.Status, c.to)
				}
				if c.action == ActCancel && c.actor.IsCitizen() && after.CancelledBy != "citizen" {
					t.Errorf("cancelled by %q", after.CancelledBy)
				}
			}
		})
	}
	if got := Available(b, officerA, morning); !got[ActAttend] || !got[ActCancel] || got[ActNoShow] {
		t.Errorf("available in the morning: %v", got)
	}
}

func TestRequestValidate(t *testing.T) {
	now := time.Date(2021, 9, 13, 10, 0, 0, 0, calendar.Zone)
	ok := Request{Point: 1, Slot: 1, Day: "2021-09-27", Name: " 乌云 ", Phone: "139 1234 5678"}
	got, _, err := ok.Validate(now)
	if err != nil || got.Name != "乌云" || got.Phone != "13912345678" {
		t.Fatalf("valid: %+v, %v", got, err)
	}
	cases := []struct {
		name  string
		edit  func(*Request)
		field string
	}{
		{"no point", func(r *Request) { r.Point = 0 }, "point"},
		{"no slot", func(r *Request) { r.Slot = -1 }, "slot"},
		{"past", func(r *Request) { r.Day = "2021-09-01" }, "date"},
		{"15 days ahead", func(r *Request) { r.Day = "2021-09-28" }, "date"},
		{"no name", func(r *Request) { r.Name = "" }, "name"},
		{"no phone", func(r *Request) { r.Phone = "" }, "phone"},
		{"bad ID check digit", func(r *Request) { r.IDNumber = "110105194912310021" }, "id_number"},
		{"green channel not elderly", func(r *Request) { r.Green = GreenPriority }, "green_channel"},
		{"long note", func(r *Request) { r.Note = string(make([]rune, MaxNoteRunes+1)) }, "note"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.edit(&r)
			_, _, err := r.Validate(now)
			if !slices.Contains(testkit.Fields(err), c.field) {
				t.Errorf("names %v (%v), want %s", testkit.Fields(err), err, c.field)
			}
		})
	}
}

func TestCodes(t *testing.T) {
	c := NewCode()
	if got, ok := CleanCode(" " + c[:6] + "-" + c[6:] + " "); !ok || got != c {
		t.Errorf("clean %q: %q %v", c, got, ok)
	}
	if _, ok := CleanCode("0OIL11111111"); ok {
		t.Error("a code of letters it never uses")
	}
	x, again := FormCode("x"), FormCode("x")
	if x != again || x == FormCode("y") || HashCode(c) == c {
		t.Error("form codes are drawn from the token; codes are kept hashed")
	}
	masked := Booking{Name: "乌云", Phone: "13912345678", IDNumber: "11010519491231002X"}.Masked(true)
	if masked.Name != "乌*" || masked.Phone != "139****5678" || masked.IDNumber != "110105***********X" {
		t.Errorf("masked %+v", masked)
	}
}

func TestSlotOnDay(t *testing.T) {
	cal := calendar.Default()
	lunch := Slot{Weekdays: []int{1, 2, 3, 4, 5}, Start: "12:00", End: "14:30", Kind: KindOffPeak}
	weekend := Slot{Weekdays: []int{6, 7}, Start: "09:00", End: "12:00", Kind: KindHoliday}
	for _, c := range []struct {
		day          string
		lunch, wkend bool
	}{
		{"2021-09-17", true, false},  // Friday
		{"2021-09-18", false, true},  // Saturday, a make-up working day: no weekday of the lunch slot
		{"2021-09-20", false, false}, // Monday, Mid-Autumn holiday
		{"2021-10-02", false, true},  // Saturday, National Day
	} {
		d, _ := time.ParseInLocation(time.DateOnly, c.day, calendar.Zone)
		w := cal.IsWorkingDay(d)
		if lunch.OnDay(d, w) != c.lunch || weekend.OnDay(d, w) != c.wkend {
			t.Errorf("%s: lunch %v weekend %v", c.day, lunch.OnDay(d, w), weekend.OnDay(d, w))
		}
	}
}
