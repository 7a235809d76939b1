package demo

import (
	"context"
	"fmt"
	"time"

	"minyi/booking"
	"minyi/org"
	"minyi/register"
	"minyi/servicepoint"
)

// The demo's bookings (预约), June–October 2021: the service points' off-peak
// and extended hours as weekly slots (the approval centre's 午间错时
// 12:00–14:30, its evening hour and its Saturday), and citizens' bookings of
// them from the portal, most attended, the elderly through the green
// channel. Each is booked through the service a few days ahead on the
// loader's clock and marked by a member of the point's unit on the day.
const (
	// BookingsAttended are the bookings the citizen came to.
	BookingsAttended = 30
	// BookingsNoShow are those they did not come to.
	BookingsNoShow = 3
	// BookingsCancelled are those the citizen cancelled with the code.
	BookingsCancelled = 3
	// BookingsGreen are elderly citizens' bookings through the green
	// channel (老年人绿色通道), all attended: BookingsHomeVisits of them as
	// home visits, the rest served first.
	BookingsGreen      = 6
	BookingsHomeVisits = 2
	// BookingsOutsideHours are the bookings not cancelled in off-peak,
	// extended or Saturday slots (错时延时服务); the rest are in office hours.
	BookingsOutsideHours = 20
)

// Bookings is every booking made.
const Bookings = BookingsAttended + BookingsNoShow + BookingsCancelled

// slotPlan is a point's weekly schedule, by the point's name.
type slotPlan struct {
	point string
	slots []booking.Slot
}

var (
	weekdays = []int{1, 2, 3, 4, 5}
	// slotPlans are the schedules of the points whose hours say off-peak or
	// extended service; the approval centre's first, which the bookings use.
	slotPlans = []slotPlan{
		{"行政审批服务中心延时服务站", []booking.Slot{
			{Weekdays: weekdays, Start: "08:30", End: "12:00", Kind: booking.KindRegular, Capacity: 20},
			{Weekdays: weekdays, Start: "12:00", End: "14:30", Kind: booking.KindOffPeak, Capacity: 6, Services: []string{"户籍业务", "居民身份证", "新生儿落户"}},
			{Weekdays: weekdays, Start: "14:30", End: "17:30", Kind: booking.KindRegular, Capacity: 20},
			{Weekdays: weekdays, Start: "17:30", End: "18:30", Kind: booking.KindExtended, Capacity: 4},
			{Weekdays: []int{6}, Start: "09:00", End: "17:00", Kind: booking.KindHoliday, Capacity: 10},
		}},
		{"乌兰镇都斯图社区警务服务站", []booking.Slot{
			{Weekdays: weekdays, Start: "09:00", End: "12:00", Kind: booking.KindRegular, Capacity: 8},
			{Weekdays: weekdays, Start: "17:30", End: "19:30", Kind: booking.KindOffPeak, Capacity: 4},
		}},
		{"棋盘井镇新井社区便民警务站", []booking.Slot{
			{Weekdays: weekdays, Start: "08:30", End: "17:30", Kind: booking.KindRegular, Capacity: 10},
			{Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, Start: "17:30", End: "20:00", Kind: booking.KindExtended, Capacity: 5},
		}},
		{"棋盘井工业园区企业服务站", []booking.Slot{
			{Weekdays: weekdays, Start: "07:30", End: "09:00", Kind: booking.KindOffPeak, Capacity: 5},
			{Weekdays: weekdays, Start: "17:30", End: "20:00", Kind: booking.KindOffPeak, Capacity: 5},
		}},
	}
)

// SlotSchedules is how many points' schedules are set, each an event of
// the service points' register.
var SlotSchedules = len(slotPlans)

// bookingServices are what citizens book the approval centre for.
var bookingServices = []string{"户籍业务", "居民身份证", "新生儿落户", "无犯罪记录证明"}

// bookingsPart sets the points' slots once they are all open and plans the
// bookings of June to October onto the loader's timeline.
type bookingsPart struct{}

func (bookingsPart) Name() string { return "bookings" }

func (bookingsPart) Load(_ context.Context, l *Loader) error {
	svc := &booking.Service{Store: l.Env.Store, Now: l.Now, Calendar: l.Calendar}
	staff, ok := l.Staff(UnitApproval, org.RoleOfficer, org.RoleAuxiliary, org.RoleUnitHead)
	if !ok {
		return fmt.Errorf("no staff at %s", UnitApproval)
	}
	p := &bookingPlan{l: l, svc: svc, staff: staff, points: map[string]servicepoint.Point{}}
	// The last point opened on 8 June; its slots follow on the next
	// working day.
	l.At(l.OfficeTime(l.OnOrAfterWorkingDay(date(6, 9))), p.setSlots)
	p.plan()
	return nil
}

type bookingPlan struct {
	l      *Loader
	svc    *booking.Service
	staff  org.User
	points map[string]servicepoint.Point // by name, once their slots are set
	slots  []booking.Slot                // the approval centre's, as stored
}

// setSlots has each point's unit set its schedule.
func (p *bookingPlan) setSlots(ctx context.Context) error {
	page, err := p.l.Env.Store.Points(ctx, servicepoint.Filter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		return err
	}
	for _, sp := range slotPlans {
		var pt *servicepoint.Point
		for i := range page.Items {
			if page.Items[i].Name == sp.point {
				pt = &page.Items[i]
			}
		}
		if pt == nil {
			return fmt.Errorf("no service point %s", sp.point)
		}
		by, ok := p.l.Staff(pt.Unit, org.RoleUnitHead, org.RoleOfficer)
		if !ok {
			return fmt.Errorf("no staff at %s", pt.Unit)
		}
		got, slots, err := p.svc.SetSlots(ctx, by, pt.ID, pt.Version, sp.slots)
		if err != nil {
			return fmt.Errorf("slots of %s: %w", sp.point, err)
		}
		p.points[sp.point] = got
		if len(p.slots) == 0 {
			p.slots = slots
		}
	}
	return nil
}

// bookingSpec is one planned booking: what kind of slot, how it ends, and
// whether an elderly citizen came through the green channel.
type bookingSpec struct {
	kind    booking.Kind
	outcome booking.Status
	elderly bool
	green   booking.Green
}

// specs lays the figures out booking by booking: the attended first, then
// the no-shows, then the cancelled; the first BookingsOutsideHours of those
// not cancelled in off-peak, extended and Saturday slots in turn.
func specs() []bookingSpec {
	outside := []booking.Kind{booking.KindOffPeak, booking.KindExtended, booking.KindOffPeak, booking.KindHoliday}
	var out []bookingSpec
	for i := range Bookings {
		s := bookingSpec{kind: booking.KindRegular, outcome: booking.StatusAttended}
		switch {
		case i >= BookingsAttended+BookingsNoShow:
			s.outcome = booking.StatusCancelled
		case i >= BookingsAttended:
			s.outcome = booking.StatusNoShow
		}
		if s.outcome != booking.StatusCancelled && i < BookingsOutsideHours {
			s.kind = outside[i%len(outside)]
		}
		if i < BookingsGreen {
			s.elderly, s.green = true, booking.GreenPriority
			if i < BookingsHomeVisits {
				s.green = booking.GreenHomeVisit
			}
		}
		out = append(out, s)
	}
	return out
}

// plan spreads the bookings over the days of June 15 to October 25, one a
// day at most, each booked one to five days ahead.
func (p *bookingPlan) plan() {
	l := p.l
	var days []time.Time
	for d := date(6, 15); !d.After(date(10, 25)); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	order := l.Rand.Perm(len(days))
	used := map[int]bool{}
	for i, s := range specs() {
		// The first free day, in the shuffled order, that holds a slot of
		// the kind wanted.
		var day time.Time
		for _, k := range order {
			d := days[k]
			if !used[k] && held(s.kind, d, l.Calendar().IsWorkingDay(d)) {
				used[k], day = true, d
				break
			}
		}
		ahead := time.Duration(1+l.Rand.IntN(5)) * 24 * time.Hour
		madeAt := l.OfficeTime(day.Add(-ahead))
		name := pick(l, surnames) + pick(l, honorific)
		phone := fmt.Sprintf("139%08d", 47710000+i)
		service := bookingServices[l.Rand.IntN(len(bookingServices))]
		s, day := s, day
		var made booking.Booking
		l.At(madeAt, func(ctx context.Context) error {
			slot, ok := p.slotOf(s.kind, day)
			if !ok {
				return fmt.Errorf("no %s slot on %s", s.kind, day.Format(time.DateOnly))
			}
			b, err := p.svc.Book(ctx, booking.Request{Point: p.points[slotPlans[0].point].ID, Slot: slot.ID,
				Day: day.Format(time.DateOnly), Service: service, Name: name, Phone: phone, Elderly: s.elderly, Green: s.green,
				Note: note(s)}, nil)
			made = b
			if err != nil {
				return fmt.Errorf("booking %d: %w", i, err)
			}
			return nil
		})
		switch s.outcome {
		case booking.StatusCancelled:
			l.At(madeAt.Add(time.Duration(1+l.Rand.IntN(12))*time.Hour), func(ctx context.Context) error {
				_, err := p.svc.CancelByCode(ctx, made.Code, made.Version)
				return err
			})
		default:
			slot := p.planned(s.kind)
			at := (booking.Slot{Start: slot.Start}).StartsAt(day).Add(time.Duration(5+l.Rand.IntN(40)) * time.Minute)
			action := booking.ActAttend
			if s.outcome == booking.StatusNoShow {
				action = booking.ActNoShow
			}
			l.At(at, func(ctx context.Context) error {
				_, err := p.svc.Act(ctx, p.staff, made.ID, booking.Command{Action: action, Version: made.Version})
				return err
			})
		}
	}
}

// note is what an elderly citizen writes through the green channel.
func note(s bookingSpec) string {
	switch s.green {
	case booking.GreenHomeVisit:
		return "老人行动不便，请民警上门办理"
	case booking.GreenPriority:
		return "老年人，请优先办理"
	}
	return ""
}

// held reports whether the approval centre holds a slot of kind on day.
func held(kind booking.Kind, day time.Time, working bool) bool {
	for _, s := range slotPlans[0].slots {
		if s.Kind == kind && s.OnDay(day, working) {
			return true
		}
	}
	return false
}

// planned is the approval centre's first planned slot of kind.
func (p *bookingPlan) planned(kind booking.Kind) booking.Slot {
	for _, s := range slotPlans[0].slots {
		if s.Kind == kind {
			return s
		}
	}
	return booking.Slot{}
}

// slotOf is the approval centre's stored slot of kind held on day.
func (p *bookingPlan) slotOf(kind booking.Kind, day time.Time) (booking.Slot, bool) {
	working := p.l.Calendar().IsWorkingDay(day)
	for _, s := range p.slots {
		if s.Kind == kind && s.OnDay(day, working) {
			return s, true
		}
	}
	return booking.Slot{}, false
}
