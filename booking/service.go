package booking

import (
	"context"
	"strconv"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/org"
	"minyi/ratelimit"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
)

// Store persists slots and bookings. *store.DB implements it.
type Store interface {
	// FormStore finds what a page form booked (archive.FileOnce).
	archive.FormStore
	// Point returns one service point, or ENotFound.
	Point(ctx context.Context, id int64) (servicepoint.Point, error)
	// Slots returns a point's current schedule, by weekday and start.
	Slots(ctx context.Context, point int64) ([]Slot, error)
	// SetSlots replaces the schedule of point p, read at version, with
	// slots (their ids assigned) and moves the point's version, with e, in
	// one transaction; a stale version is EConflict.
	SetSlots(ctx context.Context, p *servicepoint.Point, version int, slots []Slot, e eventlog.Event) error
	// Booked counts the live bookings (booked or attended) of point's
	// slots by day and start ("2021-06-01 12:00") from from to to.
	Booked(ctx context.Context, point int64, from, to string) (map[string]int, error)
	// CreateBooking stores b, its Counted uses, its form, its confirmation
	// notice and its booked event in one transaction, taking one of the
	// Capacity places of its point, day and start: none left is EConflict
	// (已约满), a use past its allowance ETooMany; nothing is written then.
	CreateBooking(ctx context.Context, b *Booking) error
	// UpdateBooking stores b over version with events in one transaction,
	// giving back its place when it is cancelled; a stale version is
	// EConflict.
	UpdateBooking(ctx context.Context, b *Booking, version int, events []eventlog.Event) error
	// Booking returns one booking, or ENotFound.
	Booking(ctx context.Context, id int64) (Booking, error)
	// BookingEvents returns a booking's events, oldest first.
	BookingEvents(ctx context.Context, id int64) ([]eventlog.Event, error)
	// BookingByCode returns the booking whose code hashes to hash, or
	// ENotFound.
	BookingByCode(ctx context.Context, hash string) (Booking, error)
	// Bookings lists the bookings f selects by day, start and id, with
	// their total.
	Bookings(ctx context.Context, f Filter) (Page, error)
	// BookingFigures counts the bookings of f's period (their day) and
	// units.
	BookingFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
}

// ServiceChecker checks a one-stop service's id, when the one-stop
// register is wired: ok is false for none of that id; name is its name.
type ServiceChecker func(ctx context.Context, id int64) (name string, ok bool, err error)

// Service keeps schedules and bookings. A point's staff (its unit's) edit
// its schedule and work its bookings; leaders and admins any; partners
// read; citizens book, see and cancel with their code, no account needed.
type Service struct {
	Store Store
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Calendar is the calendar in force (holidays); nil is the embedded one.
	Calendar func() *calendar.Calendar
	// Notices sign the confirmation SMS; nil sends none.
	Notices *archive.NoticeSettings
	// Services checks a booking's one-stop service id; nil: ids are refused.
	Services ServiceChecker
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

func (s *Service) calendar() *calendar.Calendar {
	if s.Calendar != nil {
		if c := s.Calendar(); c != nil {
			return c
		}
	}
	return calendar.Default()
}

// Slots returns the schedule of an active point, as anybody may read it.
func (s *Service) Slots(ctx context.Context, point int64) ([]Slot, error) {
	if _, err := s.activePoint(ctx, point); err != nil {
		return nil, err
	}
	return s.Store.Slots(ctx, point)
}

// SetSlots replaces the schedule of point id, read at version, checked
// whole; its staff (its unit's, leaders and admins) only.
func (s *Service) SetSlots(ctx context.Context, staff org.User, id int64, version int, slots []Slot) (servicepoint.Point, []Slot, error) {
	if version <= 0 {
		return servicepoint.Point{}, nil, register.MissingVersion()
	}
	p, err := s.Store.Point(ctx, id)
	if err != nil {
		return p, nil, err
	}
	if err := archive.MayFile(staff, "unit", p.Unit); err != nil {
		return p, nil, err
	}
	if p.Version != version {
		return p, nil, register.Stale(servicepoint.Noun)
	}
	// A closed point takes no bookings: its schedule would offer nothing.
	if p.Status != servicepoint.StatusActive {
		return p, nil, minyi.Errorf(minyi.EIllegal, "该便民服务站点已关闭，不能设置预约时段 / this service point is closed; it has no slots")
	}
	slots, err = CheckSlots(slots, p.Services)
	if err != nil {
		return p, nil, err
	}
	p.UpdatedAt = s.now()
	e := eventlog.Event{Register: servicepoint.Register, RecordID: p.ID, Record: strconv.FormatInt(p.ID, 10),
		Type: EventSlotsSet, Actor: staff.Name, At: p.UpdatedAt, Data: map[string]string{"slots": SlotsText(slots)}}
	if err := s.Store.SetSlots(ctx, &p, version, slots, e); err != nil {
		return p, nil, err
	}
	out, err := s.Store.Slots(ctx, id)
	return p, out, err
}

// EventSlotsSet is the type of a point's event when its schedule changes.
const EventSlotsSet = "slots_set"

func (s *Service) activePoint(ctx context.Context, id int64) (servicepoint.Point, error) {
	p, err := s.Store.Point(ctx, id)
	if err == nil && p.Status != servicepoint.StatusActive {
		err = minyi.Errorf(minyi.ENotFound, "该便民服务站点已关闭 / this service point is closed")
	}
	return p, err
}

// Days are the days a citizen may book now: tomorrow to the Ahead-th day.
func (s *Service) Days() []time.Time {
	today := archive.ChinaDay(s.now())
	out := make([]time.Time, Ahead)
	for i := range out {
		out[i] = today.AddDate(0, 0, i+1)
	}
	return out
}

// Availability lists, for an active point and each day from from to to
// (at most Ahead days, within the bookable days), the slots held and
// their free places, as anybody may read them.
func (s *Service) Availability(ctx context.Context, point int64, from, to string) ([]Availability, error) {
	days := s.Days()
	first, last := days[0], days[len(days)-1]
	var p minyi.Problems
	parse := func(field, v string, def time.Time) time.Time {
		if v == "" {
			return def
		}
		d, err := time.ParseInLocation(time.DateOnly, v, calendar.Zone)
		if err != nil {
			p.Add(field, "日期格式应为YYYY-MM-DD", field+" must be YYYY-MM-DD")
		}
		return d
	}
	f, t := parse("from", from, first), parse("to", to, last)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if f.Before(first) {
		f = first
	}
	if t.After(last) {
		t = last
	}
	slots, err := s.Slots(ctx, point)
	if err != nil {
		return nil, err
	}
	out := []Availability{}
	if t.Before(f) {
		return out, nil
	}
	booked, err := s.Store.Booked(ctx, point, f.Format(time.DateOnly), t.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	cal := s.calendar()
	for d := f; !d.After(t); d = d.AddDate(0, 0, 1) {
		working := cal.IsWorkingDay(d)
		for _, sl := range slots {
			if !sl.OnDay(d, working) {
				continue
			}
			day := d.Format(time.DateOnly)
			n := booked[day+" "+sl.Start]
			out = append(out, Availability{Slot: sl, Day: day, Booked: n, Free: max(sl.Capacity-n, 0)})
		}
	}
	return out, nil
}

// Book books a place for a citizen: the request checked, the slot held
// that day at an active point, a place left (else 409 已约满), the door's
// abuse limits counted (uses). A page form books once (archive.FileOnce):
// sent again it answers the first booking, with the same code.
func (s *Service) Book(ctx context.Context, r Request, uses []ratelimit.Use) (Booking, error) {
	f := archive.Form{FormToken: r.FormToken}
	code := ""
	if r.FormToken != "" {
		code = FormCode(r.FormToken)
	}
	return archive.FileOnce(ctx, s.Store, Register, &f,
		func(id int64) (Booking, error) {
			b, err := s.Store.Booking(ctx, id)
			if err != nil {
				return b, err
			}
			b.Code = code
			return b, nil
		},
		func() (Booking, error) { return s.book(ctx, r, f, code, uses) })
}

func (s *Service) book(ctx context.Context, r Request, f archive.Form, code string, uses []ratelimit.Use) (Booking, error) {
	now := s.now()
	r, day, err := r.Validate(now)
	if err != nil {
		return Booking{}, err
	}
	p, err := s.activePoint(ctx, r.Point)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		return Booking{}, minyi.Invalid("point", "服务站点不存在或已关闭", "point does not exist or is closed")
	}
	if err != nil {
		return Booking{}, err
	}
	slots, err := s.Store.Slots(ctx, p.ID)
	if err != nil {
		return Booking{}, err
	}
	var slot *Slot
	for i := range slots {
		if slots[i].ID == r.Slot {
			slot = &slots[i]
		}
	}
	switch {
	case slot == nil:
		return Booking{}, minyi.Invalid("slot", "该时段不属于此站点", "slot is not one of the point's")
	case !slot.OnDay(day, s.calendar().IsWorkingDay(day)):
		return Booking{}, minyi.Invalid("date", "该时段当天不开放（节假日或非服务日）", "the slot is not held on that date (a holiday or another weekday)")
	}
	if r.ServiceID != 0 {
		if s.Services == nil {
			return Booking{}, minyi.Invalid("service_id", "服务不存在", "service_id: no such service")
		}
		name, ok, err := s.Services(ctx, r.ServiceID)
		if err != nil {
			return Booking{}, err
		}
		if !ok {
			return Booking{}, minyi.Invalid("service_id", "服务不存在", "service_id: no such service")
		}
		if r.Service == "" {
			r.Service = name
		}
	}
	if code == "" {
		code = NewCode()
	}
	b := Booking{Point: p.ID, Slot: slot.ID, Unit: p.Unit, Day: r.Day, Start: slot.Start, End: slot.End,
		Kind: slot.Kind, ServiceID: r.ServiceID, Service: r.Service, Name: r.Name, Phone: r.Phone,
		IDNumber: r.IDNumber, Elderly: r.Elderly, Green: r.Green, Note: r.Note, Status: StatusBooked,
		CreatedAt: now, UpdatedAt: now, Code: code, CodeHash: HashCode(code), Counted: uses,
		Capacity: slot.Capacity, Form: f}
	if s.Notices != nil {
		b.Notice = ConfirmationText(s.Notices.Bureau, p.Name, b)
	}
	if err := s.Store.CreateBooking(ctx, &b); err != nil {
		return Booking{}, err
	}
	return b, nil
}

// ByCode returns the booking of a citizen's code; a code of no booking is
// ENotFound (which the door counts as a guess).
func (s *Service) ByCode(ctx context.Context, code string) (Booking, error) {
	c, ok := CleanCode(code)
	if !ok {
		return Booking{}, minyi.Errorf(minyi.ENotFound, "预约码不正确 / no booking has this code")
	}
	return s.Store.BookingByCode(ctx, HashCode(c))
}

// CancelByCode cancels the citizen's booking of code.
func (s *Service) CancelByCode(ctx context.Context, code string, version int) (Booking, error) {
	b, err := s.ByCode(ctx, code)
	if err != nil {
		return b, err
	}
	return s.act(ctx, b, Command{Action: ActCancel, Version: version}, register.Actor{Name: "citizen"})
}

// Get returns a booking u may see, masked for u.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Booking, error) {
	b, err := s.Store.Booking(ctx, id)
	if err != nil {
		return b, err
	}
	if err := MaySee(u, b.Unit); err != nil {
		return Booking{}, err
	}
	return maskFor(u, b), nil
}

// History returns a booking u may see, masked for u, with its events
// oldest first (booked, changed, attended, …: their type, actor and time;
// their data name the fields a correction changed, never the citizen's).
func (s *Service) History(ctx context.Context, u org.User, id int64) (Booking, []eventlog.Event, error) {
	b, err := s.Get(ctx, u, id)
	if err != nil {
		return b, nil, err
	}
	events, err := s.Store.BookingEvents(ctx, id)
	return b, events, err
}

// maskFor masks b for u: the phone and ID number always (staff call back
// through the unit's line, not their own), the name too for those who do
// not serve the point (leaders, admins, partners).
func maskFor(u org.User, b Booking) Booking {
	return b.Masked(u.UnitCode != b.Unit || !u.IsStaff())
}

// List returns a page of the bookings u may see that f selects.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (Page, error) {
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"date", f.Day}, {"from", f.From}, {"to", f.To}} {
		if d.v != "" {
			if _, err := time.Parse(time.DateOnly, d.v); err != nil {
				p.Add(d.field, "日期格式应为YYYY-MM-DD", d.field+" must be YYYY-MM-DD")
			}
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "状态须为booked、attended、no_show或cancelled", "status must be booked, attended, no_show or cancelled")
	}
	if err := p.Err(); err != nil {
		return Page{}, err
	}
	f.Units = u.VisibleUnits()
	page, err := s.Store.Bookings(ctx, f)
	for i := range page.Items {
		page.Items[i] = maskFor(u, page.Items[i])
	}
	return page, err
}

// Act takes a lifecycle action on booking id for staff.
func (s *Service) Act(ctx context.Context, staff org.User, id int64, cmd Command) (Booking, error) {
	if cmd.Version <= 0 {
		return Booking{}, register.MissingVersion()
	}
	b, err := s.Store.Booking(ctx, id)
	if err != nil {
		return b, err
	}
	if err := MaySee(staff, b.Unit); err != nil {
		return Booking{}, err
	}
	if staff.Disabled {
		return Booking{}, minyi.Errorf(minyi.EForbidden, "账号已停用 / this account is disabled")
	}
	b, err = s.act(ctx, b, cmd, register.ActorFor(staff))
	if err != nil {
		return b, err
	}
	return maskFor(staff, b), nil
}

func (s *Service) act(ctx context.Context, b Booking, cmd Command, actor register.Actor) (Booking, error) {
	if cmd.Version <= 0 {
		return Booking{}, register.MissingVersion()
	}
	// A stale version first: what the user saw is not what is stored, so
	// a refusal of the action by the state would explain nothing.
	if b.Version != cmd.Version {
		return Booking{}, register.Stale(Noun)
	}
	events, err := Decide(b, cmd, actor, s.now())
	if err != nil {
		return Booking{}, err
	}
	after := b
	for _, e := range events {
		after = Apply(after, e)
	}
	if err := s.Store.UpdateBooking(ctx, &after, cmd.Version, events); err != nil {
		return Booking{}, err
	}
	return after, nil
}

// Allowed reports which actions u can take on b now, for the pages.
func (s *Service) Allowed(u org.User, b Booking) map[Action]bool {
	return Available(b, register.ActorFor(u), s.now())
}

// MayEdit reports whether u may correct b now (Update), for the pages.
func (s *Service) MayEdit(u org.User, b Booking) bool {
	return !u.Disabled && lifecycle.Check(actEdit, register.ActorFor(u), b.Unit, b.Status) == nil
}

// The bookings register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the bookings of days in f's period at
// points of f's units: booked (all made), attended, cancelled, no_show,
// green_channel (elderly citizens' green channel) and extended_hours (in
// off-peak, extended or holiday slots).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.BookingFigures(ctx, f)
}

// PublicPoint is an active point as anybody may read it, for the booking
// pages.
func (s *Service) PublicPoint(ctx context.Context, id int64) (servicepoint.PublicPoint, error) {
	p, err := s.activePoint(ctx, id)
	if err != nil {
		return servicepoint.PublicPoint{}, err
	}
	return p.Public(), nil
}

// CitizenActions reports which actions the citizen holding b's code can
// take now: cancel, until the slot starts.
func (s *Service) CitizenActions(b Booking) map[Action]bool {
	return Available(b, register.Actor{Name: "citizen"}, s.now())
}

// Today is the day of the service's clock, China time, YYYY-MM-DD.
func (s *Service) Today() string { return archive.ChinaDay(s.now()).Format(time.DateOnly) }

// Update corrects booking id, read at version, by c: staff of the point's
// unit (leaders and admins any) while it is booked or attended. A version
// other than the stored one is a conflict.
func (s *Service) Update(ctx context.Context, staff org.User, id int64, version int, c Patch) (Booking, error) {
	if version <= 0 {
		return Booking{}, register.MissingVersion()
	}
	before, err := s.Store.Booking(ctx, id)
	if err != nil {
		return Booking{}, err
	}
	if err := MaySee(staff, before.Unit); err != nil {
		return Booking{}, err
	}
	if before.Version != version {
		return Booking{}, register.Stale(Noun)
	}
	if err := lifecycle.Check(actEdit, register.ActorFor(staff), before.Unit, before.Status); err != nil {
		return Booking{}, err
	}
	after, err := c.Apply(before).checkEdit()
	if err != nil {
		return Booking{}, err
	}
	data, changed := register.ChangedFields(after.editFields(), before.editFields(), "service", "elderly", "green_channel", "note")
	if len(changed) == 0 {
		return maskFor(staff, before), nil
	}
	if _, ok := data["note"]; ok {
		data["note"] = "changed"
	}
	after.UpdatedAt = s.now()
	e := eventlog.Event{Register: Register, RecordID: after.ID, Record: after.record(), Type: EventChanged,
		Actor: staff.Name, At: after.UpdatedAt, Data: data}
	if err := s.Store.UpdateBooking(ctx, &after, version, []eventlog.Event{e}); err != nil {
		return Booking{}, err
	}
	return maskFor(staff, after), nil
}
