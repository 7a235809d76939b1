package demo_test

import (
	"context"
	"testing"

	"minyi/archive"
	"minyi/demo"
	"minyi/internal/wire"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

// checkOneStop reads the seed's one-stop figures back from the demo's
// cases: the summary of January–October 2021 per service, and a newborn
// registration that went through both agencies.
func checkOneStop(t *testing.T, db *store.DB, items *archive.Service, leader org.User) {
	t.Helper()
	ctx := context.Background()
	r, err := wire.Reports(db, items).Summary(ctx, leader, reporting.Filter{From: "2021-01-01", To: "2021-10-31"})
	if err != nil {
		t.Fatal(err)
	}
	newborns := demo.NewbornProxyDone + demo.NewbornOtherDone + demo.NewbornCancelled
	idCards := demo.IDCardGreen + demo.IDCardOther
	for key, want := range map[string]int64{
		"opened":                        int64(newborns + idCards),
		"done":                          int64(demo.NewbornProxyDone + demo.NewbornOtherDone + idCards),
		"proxy":                         int64(demo.NewbornProxyDone + demo.IDCardHomeVisits),
		"green_channel":                 demo.IDCardGreen,
		"cancelled":                     demo.NewbornCancelled,
		"overdue":                       0,
		"done_" + demo.ServiceNewborn:   demo.NewbornProxyDone + demo.NewbornOtherDone,
		"proxy_" + demo.ServiceNewborn:  demo.NewbornProxyDone,
		"opened_" + demo.ServiceNewborn: int64(newborns),
		"done_" + demo.ServiceIDCard:    int64(idCards),
		"proxy_" + demo.ServiceIDCard:   demo.IDCardHomeVisits,
	} {
		if got := r.Figure(onestop.Register, key); got != want {
			t.Errorf("cases.%s = %d, want %d", key, got, want)
		}
	}
	// The approval centre completed the newborn registrations: its own
	// figures count them done, the service centre's count them opened.
	for _, tc := range []struct {
		unit         string
		opened, done int64
	}{{demo.UnitApproval, 0, demo.NewbornProxyDone + demo.NewbornOtherDone}, {demo.UnitPartner, int64(newborns), 0}} {
		r, err := wire.Reports(db, items).Summary(ctx, leader, reporting.Filter{From: "2021-01-01", To: "2021-10-31", Unit: tc.unit})
		if err != nil {
			t.Fatal(err)
		}
		if o, d := r.Figure(onestop.Register, "opened_"+demo.ServiceNewborn), r.Figure(onestop.Register, "done_"+demo.ServiceNewborn); o != tc.opened || d != tc.done {
			t.Errorf("%s: newborn opened %d, done %d; want %d, %d", tc.unit, o, d, tc.opened, tc.done)
		}
	}
	if demo.NewbornProxyDone < 20 {
		t.Errorf("帮办、代办新生儿落户20余人: %d", demo.NewbornProxyDone)
	}

	// The government service centre's partner sees the newborn cases and
	// acts on none of the approval centre's steps; each done case was
	// handed from one agency to the other.
	partner, err := db.UserByName(ctx, "partner")
	if err != nil {
		t.Fatal(err)
	}
	svc := &onestop.Service{Store: db, Items: items}
	page, err := svc.List(ctx, partner, onestop.Filter{Filter: register.Filter{Limit: 100}, Status: onestop.StatusDone, Proxy: new(bool)})
	if err != nil || *page.Total != demo.NewbornOtherDone {
		t.Fatalf("the partner's done cases not handled for the family: %v, %v", page.Total, err)
	}
	v, err := svc.Timeline(ctx, leader, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var handoff *onestop.TimelineEntry
	for i, e := range v.Events {
		if e.Type == onestop.EventAdvanced {
			handoff = &v.Events[i]
		}
	}
	if handoff == nil || handoff.FromUnit != demo.UnitPartner || handoff.ToUnit != demo.UnitApproval || v.Case.Status != onestop.StatusDone ||
		v.Case.Steps[1].FinishedBy != "approval-officer" || !v.Case.Masked {
		t.Errorf("timeline %+v of %+v", v.Events, v.Case)
	}
}
