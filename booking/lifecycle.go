package booking

import (
	"slices"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
)

// Action is a step of a booking's lifecycle.
type Action string

// Lifecycle actions.
const (
	ActAttend Action = "attend"  // booked → attended: the citizen came
	ActNoShow Action = "no_show" // booked → no_show: they did not
	ActCancel Action = "cancel"  // booked → cancelled, by the citizen (with the code) or staff
)

// Actions lists the lifecycle's actions, in the order pages offer them.
var Actions = []Action{ActAttend, ActNoShow, ActCancel}

// actCitizenCancel is a citizen's cancel: the citizen's own rule of the
// table, which Decide takes for ActCancel when the actor is no staff.
const actCitizenCancel Action = "cancel_by_citizen"

// Event types of a booking.
const (
	EventBooked    = "booked"
	EventAttended  = "attended"
	EventNoShow    = "no_show"
	EventCancelled = "cancelled"
)

// The staff of a point's unit work its bookings; partners read only.
var workers = []org.Role{org.RoleUnitHead, org.RoleOfficer, org.RoleAuxiliary}

var lifecycle = register.Table[Action, Status]{
	Rules: map[Action]register.Rule[Status]{
		ActAttend:        {From: []Status{StatusBooked}, Roles: workers},
		ActNoShow:        {From: []Status{StatusBooked}, Roles: workers},
		ActCancel:        {From: []Status{StatusBooked}, Roles: workers},
		actCitizenCancel: {From: []Status{StatusBooked}, Citizen: true},
		actEdit:          {From: []Status{StatusBooked, StatusAttended}, Roles: workers},
	},
	Terminal: Status.Terminal,
	Record:   Noun,
}

// MaySee returns nil when u may see a booking at a point of unit.
func MaySee(u org.User, unit string) error { return lifecycle.MaySee(u, unit) }

// Command asks for one lifecycle action.
type Command struct {
	Action  Action `json:"action"`
	Version int    `json:"version"`
}

// Decide checks that actor may take cmd on b now and returns the event
// that follows. Refusals: forbidden (the actor), illegal (the state or the
// time: nobody attends before the day, is absent before the slot starts,
// or cancels once it has started), invalid (an unknown action).
func Decide(b Booking, cmd Command, actor register.Actor, now time.Time) ([]eventlog.Event, error) {
	a := cmd.Action
	if a == ActCancel && actor.IsCitizen() {
		a = actCitizenCancel
	}
	// Only the lifecycle's actions: the citizen's cancel and the right to
	// correct are rules of the table, not actions anybody may send.
	if !slices.Contains(Actions, cmd.Action) {
		return nil, minyi.Invalid("action", "未知的操作（attend、no_show、cancel）", "unknown action (attend, no_show, cancel)")
	}
	if err := lifecycle.Check(a, actor, b.Unit, b.Status); err != nil {
		return nil, err
	}
	starts := b.startsAt()
	ev := eventlog.Event{Register: Register, RecordID: b.ID, Record: b.record(), Actor: actor.Name, At: now,
		From: string(b.Status)}
	switch cmd.Action {
	case ActAttend:
		if archive.ChinaDay(now).Before(archive.ChinaDay(starts)) {
			return nil, minyi.Errorf(minyi.EIllegal, "预约日期未到，不能标记为已到场 / the booking's day has not come")
		}
		ev.Type, ev.To = EventAttended, string(StatusAttended)
	case ActNoShow:
		if now.Before(starts) {
			return nil, minyi.Errorf(minyi.EIllegal, "预约时段尚未开始，不能标记为未到场 / the slot has not started")
		}
		ev.Type, ev.To = EventNoShow, string(StatusNoShow)
	case ActCancel:
		if !now.Before(starts) {
			return nil, minyi.Errorf(minyi.EIllegal, "预约时段已开始，不能取消 / the slot has started; it cannot be cancelled")
		}
		by := actor.Name
		if actor.IsCitizen() {
			by = "citizen"
			ev.Actor = "citizen"
		}
		ev.Type, ev.To = EventCancelled, string(StatusCancelled)
		ev.Data = map[string]string{"by": by}
	}
	return []eventlog.Event{ev}, nil
}

// Apply returns b after e, an event of Decide. The version is the store's
// to move.
func Apply(b Booking, e eventlog.Event) Booking {
	if e.Type == EventCancelled {
		b.CancelledBy = e.Data["by"]
	}
	if e.To != "" {
		b.Status = Status(e.To)
	}
	b.UpdatedAt = e.At
	return b
}

// Available reports which lifecycle actions actor can take on b now.
func Available(b Booking, actor register.Actor, now time.Time) map[Action]bool {
	return register.Available(Actions, func(a Action) error {
		_, err := Decide(b, Command{Action: a}, actor, now)
		return err
	})
}

// startsAt is when the booked slot starts.
func (b Booking) startsAt() time.Time {
	day, err := time.ParseInLocation(time.DateOnly, b.Day, calendar.Zone)
	if err != nil {
		return time.Time{}
	}
	return Slot{Start: b.Start}.StartsAt(day)
}

// actEdit is the right to correct what a booking says (Service.Update): its
// service, the elderly flag and green channel — staff at the desk flag an
// elderly citizen — and the note. It is not an action of Decide.
const actEdit Action = "edit"

// EventChanged is the type of a booking's event when staff correct it.
const EventChanged = "changed"
