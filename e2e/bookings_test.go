package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/booking"
	"minyi/calendar"
	"minyi/register"
	"minyi/servicepoint"
)

var bookingCode = regexp.MustCompile(`^[A-Z2-9]{12}$`)

// TestCitizenBooksAndStaffServe: on a phone, a citizen finds the approval
// centre's slots on the service points page, books one for an elderly
// relative through the green channel, and gets the code; in elder mode the
// booking form still passes axe-core. At a desk, the approval centre's
// officer sees the booking among the day's bookings, green channel marked,
// and marks today's attended.
func TestCitizenBooksAndStaffServe(t *testing.T) {
	base := server(t)
	ctx := context.Background()
	svc := servicesOf(t)
	officer := userOf(t, "approval-officer")
	points, err := svc.Points.List(ctx, officer, servicepoint.Filter{Filter: register.Filter{Query: "行政审批服务中心"}})
	if err != nil || len(points.Items) != 1 {
		t.Fatalf("the approval centre's point: %+v, %v", points.Items, err)
	}
	point := points.Items[0]
	id := strconv.FormatInt(point.ID, 10)
	// A slot held every day, so that the test books whatever day it runs
	// on; the demo's own slots stay.
	slots, err := svc.Bookings.Slots(ctx, point.ID)
	if err != nil {
		t.Fatal(err)
	}
	slots = append(slots, booking.Slot{Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, Start: "07:00", End: "08:00", Kind: booking.KindHoliday, Capacity: 3})
	if _, _, err := svc.Bookings.SetSlots(ctx, officer, point.ID, point.Version, slots); err != nil {
		t.Fatal(err)
	}

	var day string
	// Tabs open on the test's server, so before the subtests.
	phone, desk := newPhone(t), newDesk(t)
	t.Run("the citizen books on a phone", func(t *testing.T) {
		b := phone
		b.Go(base + "/service-points")
		t.Run("axe/points", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
		b.Click(`a[href="/service-points/` + id + `/book"]`)
		if !strings.Contains(b.Text("main"), "错时服务") {
			t.Fatalf("no off-peak slot offered: %s", b.Text("main"))
		}
		b.Screenshot("book")
		t.Run("axe/form", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
		var choice string
		b.Eval(`document.querySelector('input[name=choice]:not([disabled])').value`, &choice)
		day, _, _ = strings.Cut(choice, "|")
		b.Click(`input[name=choice][value="` + choice + `"]`)
		b.Fill("#name", "敖其尔")
		b.Fill("#phone", "139 1234 0001")
		// The green channel is for the elderly: without the box ticked the
		// form says so and keeps what was typed.
		b.Click(`input[name=green_channel][value=priority]`)
		b.SubmitForm("#name")
		if !b.Exists("#errors") || b.Exists("#booking-code") {
			t.Fatalf("the green channel without the elderly box was taken: %s", b.Text("main"))
		}
		t.Run("axe/refused", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
		b.Click(`input[name=elderly]`)
		b.SubmitForm("#name")
		code := strings.TrimSpace(b.Text("#booking-code"))
		if !bookingCode.MatchString(code) || !strings.Contains(b.Text("#booking-when"), day) || strings.Contains(b.URL(), code) {
			t.Fatalf("no booking code, or in the address: %q %s\n%s", code, b.URL(), b.Text("main"))
		}
		b.Screenshot("booked")
		t.Run("axe/booked", func(t *testing.T) { b.AssertNoSeriousAxe(t) })

		// Elder mode (大字版): the same form, large, still clean.
		b.Go(base + "/prefs?large=1&back=/service-points/" + id + "/book")
		if !b.Exists("html.large") {
			t.Fatal("elder mode did not switch on")
		}
		t.Run("axe/elder", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
	})
	t.Run("a booking that was made yesterday for today", func(t *testing.T) {
		// Bookings open from tomorrow: the one to serve today is made
		// through the service with yesterday's clock.
		clone := *svc.Bookings
		clone.Now = func() time.Time { return time.Now().AddDate(0, 0, -1) }
		today := archive.ChinaDay(time.Now())
		all, err := clone.Slots(ctx, point.ID)
		if err != nil {
			t.Fatal(err)
		}
		var slot int64
		for _, s := range all {
			if s.Start == "07:00" {
				slot = s.ID
			}
		}
		if _, err := clone.Book(ctx, booking.Request{Point: point.ID, Slot: slot, Day: today.In(calendar.Zone).Format(time.DateOnly),
			Name: "王桂兰", Phone: "13912340002", Elderly: true, Green: booking.GreenHomeVisit, Service: "居民身份证"}, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the officer serves the day's bookings", func(t *testing.T) {
		b := desk
		login(t, b, base, "approval-officer")
		b.Go(base + "/staff/bookings?date=" + day)
		if !strings.Contains(b.Text("main"), "敖其尔") || !b.Exists("tr.green-channel") || !strings.Contains(b.Text("main"), "139****0001") {
			t.Fatalf("the citizen's booking is not among the day's: %s", b.Text("main"))
		}
		b.Screenshot("day")
		t.Run("axe/day", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
		b.Go(base + "/staff/bookings")
		if !strings.Contains(b.Text("main"), "王桂兰") {
			t.Fatalf("today's booking is missing: %s", b.Text("main"))
		}
		b.Click(`tr.green-channel button[aria-label^="已到场"]`)
		if !strings.Contains(b.Text(".flash"), "已标记为到场") || !strings.Contains(b.Text("main"), "已到场") {
			t.Fatalf("not marked attended: %s", b.Text("main"))
		}
		t.Run("axe/attended", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
		// The booking's own page, from its row: its history, and a note
		// added through the correction form.
		b.Click(`tr.green-channel td a[href^="/staff/bookings/"]`)
		if main := b.Text("main"); !strings.Contains(main, "已到场办理") || !strings.Contains(main, "王桂兰") {
			t.Fatalf("the booking's page: %s", main)
		}
		t.Run("axe/booking", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
		b.Fill("#note", "已由窗口协助填表")
		b.SubmitForm("#correct")
		if !strings.Contains(b.Text(".flash"), "预约已更正") || !strings.Contains(b.Text("#timeline"), "更正") {
			t.Fatalf("not corrected: %s", b.Text("main"))
		}
		t.Run("axe/corrected", func(t *testing.T) { b.AssertNoSeriousAxe(t) })
	})
}
