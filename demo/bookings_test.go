package demo_test

import (
	"context"
	"testing"

	"minyi/archive"
	"minyi/booking"
	"minyi/demo"
	"minyi/internal/wire"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
)

// checkBookings reads the demo's bookings back: the summary of January to
// October 2021, and the approval centre's off-peak and Saturday slots as
// anybody reads them.
func checkBookings(t *testing.T, db *store.DB, items *archive.Service, leader org.User) {
	t.Helper()
	ctx := context.Background()
	r, err := wire.Reports(db, items).Summary(ctx, leader, reporting.Filter{From: "2021-01-01", To: "2021-10-31"})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int64{
		"booked": demo.Bookings, "attended": demo.BookingsAttended, "no_show": demo.BookingsNoShow,
		"cancelled": demo.BookingsCancelled, "green_channel": demo.BookingsGreen, "extended_hours": demo.BookingsOutsideHours,
	} {
		if got := r.Figure(booking.Register, key); got != want {
			t.Errorf("bookings.%s = %d, want %d", key, got, want)
		}
	}
	svc := wire.Bookings(db, items)
	page, err := wire.Web(db, items, wire.Options{}).Points.List(ctx, leader, servicepoint.Filter{Filter: register.Filter{Query: "行政审批服务中心"}})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("the approval centre: %+v, %v", page.Items, err)
	}
	slots, err := svc.Slots(ctx, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var lunch, saturday bool
	for _, s := range slots {
		lunch = lunch || s.Kind == booking.KindOffPeak && s.Start == "12:00" && s.End == "14:30"
		saturday = saturday || s.Kind == booking.KindHoliday && len(s.Weekdays) == 1 && s.Weekdays[0] == 6
	}
	if !lunch || !saturday {
		t.Errorf("the approval centre's slots: %+v", slots)
	}
	green, err := svc.List(ctx, leader, booking.Filter{Green: true, Status: booking.StatusAttended})
	if err != nil || green.Total == nil || *green.Total != demo.BookingsGreen || green.Items[0].Phone == "" || green.Items[0].Name[len(green.Items[0].Name)-1] != '*' {
		t.Errorf("the green channel, masked for a leader: %+v, %v", green, err)
	}
}
