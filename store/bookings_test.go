package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/booking"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/outbox"
	"minyi/ratelimit"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
)

// boFixture is a point of unit a with a weekday lunchtime slot (错时) of
// capacity places and a Saturday holiday slot, and the bookings service
// at maNow (Monday 13 September 2021; 19–21 September are the Mid-Autumn
// holidays, Saturday the 18th a working day).
func boFixture(t *testing.T, db *store.DB, capacity int) (*booking.Service, servicepoint.Point, []booking.Slot, *testkit.Clock) {
	t.Helper()
	maFixture(t, db)
	clock := testkit.NewClock(maNow)
	points := &servicepoint.Service{Store: db, Now: clock.Now}
	p, err := points.Create(context.Background(), maOfficerA, servicepoint.Point{Name: "行政审批服务中心", Unit: "a",
		Address: "新区", Services: []string{"户籍办理", "新生儿落户"}})
	if err != nil {
		t.Fatal(err)
	}
	svc := &booking.Service{Store: db, Now: clock.Now,
		Notices: &archive.NoticeSettings{Bureau: "鄂托克旗公安局"}}
	p, slots, err := svc.SetSlots(context.Background(), maOfficerA, p.ID, p.Version, []booking.Slot{
		{Weekdays: []int{5, 1, 2, 3, 4, 4}, Start: "12:00", End: "14:30", Kind: booking.KindOffPeak, Capacity: capacity, Services: []string{"新生儿落户"}},
		{Weekdays: []int{6}, Start: "09:00", End: "12:00", Kind: booking.KindHoliday, Capacity: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc, p, slots, clock
}

func boRequest(p servicepoint.Point, slot booking.Slot, day string) booking.Request {
	return booking.Request{Point: p.ID, Slot: slot.ID, Day: day, Service: "新生儿落户", Name: "乌云", Phone: "13912345678"}
}

func TestBookingSlots(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, p, slots, _ := boFixture(t, db, 2)
		if len(slots) != 2 || !slices.Equal(slots[0].Weekdays, []int{1, 2, 3, 4, 5}) || slots[0].ID == 0 || p.Version != 2 {
			t.Fatalf("slots %+v, point version %d", slots, p.Version)
		}
		refusals := []struct {
			name  string
			user  org.User
			slots []booking.Slot
			field string
			code  string
		}{
			{"end before start", maOfficerA, []booking.Slot{{Weekdays: []int{1}, Start: "14:00", End: "12:00", Kind: booking.KindRegular, Capacity: 1}}, "slots[0].end", minyi.EInvalid},
			{"bad weekday", maOfficerA, []booking.Slot{{Weekdays: []int{8}, Start: "08:00", End: "12:00", Kind: booking.KindRegular, Capacity: 1}}, "slots[0].weekdays", minyi.EInvalid},
			{"bad kind", maOfficerA, []booking.Slot{{Weekdays: []int{1}, Start: "08:00", End: "12:00", Kind: "night", Capacity: 1}}, "slots[0].kind", minyi.EInvalid},
			{"no capacity", maOfficerA, []booking.Slot{{Weekdays: []int{1}, Start: "08:00", End: "12:00", Kind: booking.KindRegular}}, "slots[0].capacity", minyi.EInvalid},
			{"unknown service", maOfficerA, []booking.Slot{{Weekdays: []int{1}, Start: "08:00", End: "12:00", Kind: booking.KindRegular, Capacity: 1, Services: []string{"办证"}}}, "slots[0].services", minyi.EInvalid},
			{"same start twice", maOfficerA, []booking.Slot{
				{Weekdays: []int{1, 2}, Start: "08:00", End: "12:00", Kind: booking.KindRegular, Capacity: 1},
				{Weekdays: []int{2}, Start: "08:00", End: "10:00", Kind: booking.KindRegular, Capacity: 1}}, "slots[1].start", minyi.EInvalid},
			{"another unit", maOfficerB, nil, "", minyi.EForbidden},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				_, _, err := svc.SetSlots(bg, r.user, p.ID, p.Version, r.slots)
				if minyi.ErrorCode(err) != r.code || r.field != "" && !slices.Contains(testkit.Fields(err), r.field) {
					t.Errorf("refusal %v names %v, want %s %s", err, testkit.Fields(err), r.code, r.field)
				}
				if got, _ := db.Slots(bg, p.ID); len(got) != 2 {
					t.Errorf("refused schedule written: %+v", got)
				}
			})
		}
		if _, _, err := svc.SetSlots(bg, maOfficerA, p.ID, p.Version-1, nil); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale version: %v", err)
		}
		closed := servicepoint.StatusClosed
		shut, err := (&servicepoint.Service{Store: db, Now: testkit.NewClock(maNow).Now}).Create(bg, maOfficerA,
			servicepoint.Point{Name: "旧站", Unit: "a", Address: "老街"})
		if err != nil {
			t.Fatal(err)
		}
		if shut, err = (&servicepoint.Service{Store: db, Now: testkit.NewClock(maNow).Now}).Update(bg, maOfficerA, shut.ID, shut.Version, servicepoint.Patch{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SetSlots(bg, maOfficerA, shut.ID, shut.Version, nil); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("slots of a closed point: %v", err)
		}
		if _, err := svc.Availability(bg, shut.ID, "", ""); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("availability of a closed point: %v", err)
		}

		// Availability: the off-peak slot on working days only (not the
		// holidays of the 20th and 21st, but the make-up Saturday the 18th,
		// which is no weekday of it), the holiday slot every Saturday.
		av, err := svc.Availability(bg, p.ID, "2021-09-14", "2021-09-22")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range av {
			got = append(got, a.Day+" "+a.Start)
		}
		want := []string{"2021-09-14 12:00", "2021-09-15 12:00", "2021-09-16 12:00", "2021-09-17 12:00",
			"2021-09-18 09:00", "2021-09-22 12:00"}
		if !slices.Equal(got, want) {
			t.Errorf("availability %v, want %v", got, want)
		}
		if _, err := svc.Availability(bg, p.ID, "14-09-2021", ""); !slices.Contains(testkit.Fields(err), "from") {
			t.Errorf("bad from: %v", err)
		}
	})
}

func TestBookingsStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, p, slots, clock := boFixture(t, db, 2)
		lunch, saturday := slots[0], slots[1]

		b, err := svc.Book(bg, boRequest(p, lunch, "2021-09-14"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if b.ID == 0 || b.Version != 1 || b.Status != booking.StatusBooked || len(b.Code) != booking.CodeLength || b.Unit != "a" ||
			b.Start != "12:00" || b.End != "14:30" || b.Kind != booking.KindOffPeak {
			t.Fatalf("booked %+v", b)
		}
		found, err := svc.ByCode(bg, strings.ToLower(b.Code[:4])+" "+b.Code[4:])
		if err != nil || found.ID != b.ID || found.Phone != "13912345678" {
			t.Errorf("by code: %+v, %v", found, err)
		}
		if _, err := svc.ByCode(bg, "ABCDEFGHJKMN"); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("wrong code: %v", err)
		}
		// The confirmation SMS is in the outbox with the code, blanked for staff.
		ns, err := db.Notices(bg, outbox.NoticeFilter{})
		if err != nil || len(ns) != 1 || !strings.Contains(ns[0].Body, b.Code) || strings.Contains(ns[0].Display, b.Code) ||
			ns[0].Phone != "13912345678" {
			t.Errorf("notices %+v, %v", ns, err)
		}

		refusals := []struct {
			name  string
			edit  func(*booking.Request)
			field string
		}{
			{"today", func(r *booking.Request) { r.Day = "2021-09-13" }, "date"},
			{"too far", func(r *booking.Request) { r.Day = "2021-10-13" }, "date"},
			{"bad date", func(r *booking.Request) { r.Day = "14/9" }, "date"},
			{"holiday", func(r *booking.Request) { r.Day = "2021-09-21" }, "date"},
			{"another weekday", func(r *booking.Request) { r.Day = "2021-09-18" }, "date"},
			{"no name", func(r *booking.Request) { r.Name = " " }, "name"},
			{"bad phone", func(r *booking.Request) { r.Phone = "12345" }, "phone"},
			{"bad id number", func(r *booking.Request) { r.IDNumber = "152728199001011234" }, "id_number"},
			{"green without elderly", func(r *booking.Request) { r.Green = booking.GreenHomeVisit }, "green_channel"},
			{"unknown green", func(r *booking.Request) { r.Elderly, r.Green = true, "vip" }, "green_channel"},
			{"unknown slot", func(r *booking.Request) { r.Slot = 9999 }, "slot"},
			{"unknown point", func(r *booking.Request) { r.Point = 9999 }, "point"},
			{"unknown service id", func(r *booking.Request) { r.ServiceID = 7 }, "service_id"},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				req := boRequest(p, lunch, "2021-09-14")
				r.edit(&req)
				_, err := svc.Book(bg, req, nil)
				if fields := testkit.Fields(err); !slices.Contains(fields, r.field) {
					t.Errorf("refusal names %v (%v), want %s", fields, err, r.field)
				}
			})
		}

		// The second place goes; the third is refused, naming no field.
		second, err := svc.Book(bg, boRequest(p, lunch, "2021-09-14"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Book(bg, boRequest(p, lunch, "2021-09-14"), nil); minyi.ErrorCode(err) != minyi.EConflict || !strings.Contains(err.Error(), "已约满") {
			t.Errorf("full slot: %v", err)
		}
		av, _ := svc.Availability(bg, p.ID, "2021-09-14", "2021-09-14")
		if len(av) != 1 || av[0].Free != 0 || av[0].Booked != 2 {
			t.Errorf("availability of a full slot: %+v", av)
		}

		// The citizen cancels with the code: the place is free again.
		if _, err := svc.CancelByCode(bg, second.Code, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CancelByCode(bg, second.Code, 2); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("cancel twice: %v", err)
		}
		green := boRequest(p, lunch, "2021-09-14")
		green.Elderly, green.Green, green.IDNumber = true, booking.GreenPriority, "11010519491231002X"
		g, err := svc.Book(bg, green, nil)
		if err != nil {
			t.Fatal(err)
		}
		sat, err := svc.Book(bg, boRequest(p, saturday, "2021-09-18"), nil)
		if err != nil {
			t.Fatal(err)
		}

		// Staff see their unit's bookings, phone and ID number masked;
		// another unit's are forbidden; leaders see names masked too.
		got, err := svc.Get(bg, maOfficerA, g.ID)
		if err != nil || got.Phone != "139****5678" || got.IDNumber != "110105***********X" || got.Name != "乌云" {
			t.Errorf("officer reads %+v, %v", got, err)
		}
		if got, err := svc.Get(bg, maLeader, g.ID); err != nil || got.Name != "乌*" {
			t.Errorf("leader reads %+v, %v", got, err)
		}
		if _, err := svc.Get(bg, maOfficerB, g.ID); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit reads: %v", err)
		}
		page, err := svc.List(bg, maOfficerA, booking.Filter{Day: "2021-09-14", Green: true})
		if err != nil || *page.Total != 1 || page.Items[0].ID != g.ID {
			t.Errorf("green list: %+v, %v", page, err)
		}
		page, err = svc.List(bg, maOfficerA, booking.Filter{})
		if err != nil || *page.Total != 4 || page.Items[3].ID != sat.ID {
			t.Errorf("list: %+v, %v", page, err)
		}
		if page, err := svc.List(bg, maOfficerB, booking.Filter{}); err != nil || *page.Total != 0 {
			t.Errorf("another unit's list: %+v, %v", page, err)
		}
		if _, err := svc.List(bg, maOfficerA, booking.Filter{Status: "gone"}); !slices.Contains(testkit.Fields(err), "status") {
			t.Errorf("bad status: %v", err)
		}

		// Nobody attends before the day; on the day the officer marks it;
		// a stale version is 409; no-show only once the slot started.
		if _, err := svc.Act(bg, maOfficerA, b.ID, booking.Command{Action: booking.ActAttend, Version: 1}); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("attend before the day: %v", err)
		}
		clock.Set(time.Date(2021, 9, 14, 12, 10, 0, 0, maNow.Location()))
		if _, err := svc.Act(bg, maOfficerB, b.ID, booking.Command{Action: booking.ActAttend, Version: 1}); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit attends: %v", err)
		}
		if _, err := svc.Act(bg, maOfficerA, b.ID, booking.Command{Action: booking.ActAttend}); !slices.Contains(testkit.Fields(err), "version") {
			t.Errorf("no version: %v", err)
		}
		att, err := svc.Act(bg, maOfficerA, b.ID, booking.Command{Action: booking.ActAttend, Version: 1})
		if err != nil || att.Status != booking.StatusAttended || att.Version != 2 {
			t.Fatalf("attend: %+v, %v", att, err)
		}
		if _, err := svc.Act(bg, maOfficerA, g.ID, booking.Command{Action: booking.ActNoShow, Version: 2}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale version: %v", err)
		}
		if _, err := svc.Act(bg, maOfficerA, g.ID, booking.Command{Action: booking.ActCancel, Version: 1}); minyi.ErrorCode(err) != minyi.EIllegal {
			t.Errorf("cancel a started slot: %v", err)
		}
		if _, err := svc.Act(bg, maOfficerA, g.ID, booking.Command{Action: booking.ActNoShow, Version: 1}); err != nil {
			t.Errorf("no-show: %v", err)
		}
		if _, err := svc.Act(bg, maOfficerA, sat.ID, booking.Command{Action: booking.ActCancel, Version: 1}); err != nil {
			t.Errorf("staff cancel: %v", err)
		}

		figures, err := svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-09-30"})
		want := reporting.Figures{"booked": 4, "attended": 1, "cancelled": 2, "no_show": 1, "green_channel": 1, "extended_hours": 2}
		if err != nil || len(figures) != len(want) {
			t.Fatalf("figures %v, %v", figures, err)
		}
		for k, v := range want {
			if figures[k] != v {
				t.Errorf("figure %s = %d, want %d", k, figures[k], v)
			}
		}
		if n, err := db.Verify(bg); err != nil || n == 0 {
			t.Errorf("verify: %d, %v", n, err)
		}
	})
}

// TestBookingLastPlace: bookings sent at once for the last place of a
// slot: exactly one wins, the others are told it is full, and the form
// sent twice books once.
func TestBookingLastPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, p, slots, _ := boFixture(t, db, 3)
		for range 2 {
			if _, err := svc.Book(bg, boRequest(p, slots[0], "2021-09-15"), nil); err != nil {
				t.Fatal(err)
			}
		}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.Book(bg, boRequest(p, slots[0], "2021-09-15"), nil)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch minyi.ErrorCode(err) {
			case "":
				won++
			case minyi.EConflict:
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		if won != 1 {
			t.Errorf("%d won the last place, want 1", won)
		}
		if page, err := svc.List(bg, maLeader, booking.Filter{Day: "2021-09-15"}); err != nil || *page.Total != 3 {
			t.Errorf("bookings of the day: %v, %v", page.Total, err)
		}

		// A page form sent twice at once books once, with the same code.
		token := strings.Repeat("t0k3n", 8)
		var first, again booking.Booking
		var e1, e2 error
		wg.Add(2)
		go func() {
			defer wg.Done()
			first, e1 = svc.Book(bg, withToken(boRequest(p, slots[0], "2021-09-16"), token), nil)
		}()
		go func() {
			defer wg.Done()
			again, e2 = svc.Book(bg, withToken(boRequest(p, slots[0], "2021-09-16"), token), nil)
		}()
		wg.Wait()
		if e1 != nil || e2 != nil || first.ID != again.ID || first.Code != again.Code || first.Code != booking.FormCode(token) {
			t.Errorf("form twice: %+v %v / %+v %v", first, e1, again, e2)
		}

		// The door's abuse limit refuses past its allowance and writes nothing.
		l := ratelimit.Limiter{Counter: db, Now: func() time.Time { return maNow }}
		use, _ := l.Use("booking", ratelimit.Rate{N: 1, Per: time.Hour}, "198.51.100.7", true)
		if _, err := svc.Book(bg, boRequest(p, slots[0], "2021-09-17"), []ratelimit.Use{use}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Book(bg, boRequest(p, slots[0], "2021-09-17"), []ratelimit.Use{use}); minyi.ErrorCode(err) != minyi.ETooMany {
			t.Errorf("past the limit: %v", err)
		}
		if page, _ := svc.List(bg, maLeader, booking.Filter{Day: "2021-09-17"}); *page.Total != 1 {
			t.Errorf("a refused booking was written: %d", *page.Total)
		}
	})
}

func withToken(r booking.Request, token string) booking.Request {
	r.FormToken = token
	return r
}

// TestBookingCapacityReduced: a slot whose capacity is cut below the
// bookings it holds keeps them, shows no free place (never a negative
// one) and takes no new booking until cancellations bring its bookings
// under the new capacity.
func TestBookingCapacityReduced(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, p, slots, _ := boFixture(t, db, 3)
		var held []booking.Booking
		for range 3 {
			b, err := svc.Book(bg, boRequest(p, slots[0], "2021-09-15"), nil)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, b)
		}
		cut := slices.Clone(slots)
		cut[0].Capacity = 1
		p, cut, err := svc.SetSlots(bg, maOfficerA, p.ID, p.Version, cut)
		if err != nil {
			t.Fatal(err)
		}
		free := func() (booked, free int) {
			t.Helper()
			av, err := svc.Availability(bg, p.ID, "2021-09-15", "2021-09-15")
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range av {
				if a.Start == "12:00" {
					return a.Booked, a.Free
				}
			}
			t.Fatalf("no 12:00 slot: %+v", av)
			return 0, 0
		}
		if b, f := free(); b != 3 || f != 0 {
			t.Fatalf("after the cut: booked %d, free %d", b, f)
		}
		for i, b := range held {
			if _, err := svc.Book(bg, boRequest(p, cut[0], "2021-09-15"), nil); minyi.ErrorCode(err) != minyi.EConflict {
				t.Fatalf("with %d of capacity 1 held: %v", 3-i, err)
			}
			if _, err := svc.Act(bg, maOfficerA, b.ID, booking.Command{Action: booking.ActCancel, Version: b.Version}); err != nil {
				t.Fatal(err)
			}
		}
		if b, f := free(); b != 0 || f != 1 {
			t.Fatalf("after the cancellations: booked %d, free %d", b, f)
		}
		if _, err := svc.Book(bg, boRequest(p, cut[0], "2021-09-15"), nil); err != nil {
			t.Fatalf("the place freed: %v", err)
		}
	})
}
