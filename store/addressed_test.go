package store_test

import (
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/meeting"
	"minyi/org"
	"minyi/store"
)

// Items addressed to a unit are that unit's from their filing (issue 15
// §7): a citizen's QR item for a station, a slip or visit a station's
// officer enters into the station, an opinion raised at a meeting it
// hosted. Each is dispatched to it by the system, with the reason, in the
// item's own transaction, so the station signs for it at once; everything
// else waits in the bureau's dispatch queue as before, and the counters do
// not move.
func TestAddressedItemsGoToTheirUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		units := append(append([]org.Unit{}, testkit.UnderBureau...),
			org.Unit{Code: "partner", Name: "政务服务中心", Kind: org.UnitPartner})
		testkit.Bureau{Units: units, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
		// Station b is set to get its items through the bureau's dispatch
		// only, as every unit did before.
		b := testkit.UnderBureau[2]
		b.DispatchByBureau = true
		if err := org.NewService(db).UpdateUnit(ctx, org.Operator("test"), b); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Unit(ctx, "b"); err != nil || !got.DispatchByBureau {
			t.Fatalf("unit b stored %+v, %v", got, err)
		}
		svc := archive.NewService(db, policy)
		svc.Now = testkit.NewClock(t0).Now
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		officerB := org.User{Name: "zhao", Role: org.RoleOfficer, UnitCode: "b"}
		boss := org.User{Name: "leader", Role: org.RoleLeader, UnitCode: "bureau"}
		meetings := &meeting.Service{Store: db, Items: svc}
		for _, tc := range []struct {
			name  string
			staff *org.User // nil: a citizen
			sub   archive.Submission
			host  string // a meeting hosted by this unit, instead of sub
			unit  string // the item's unit
			why   archive.Addressed
		}{
			{name: "QR poster of a station", sub: archive.Submission{Channel: archive.ChannelQRCode, Unit: "a"}, unit: "a", why: archive.AddressedQRCode},
			{name: "QR poster of a station dispatched by the bureau only", sub: archive.Submission{Channel: archive.ChannelQRCode, Unit: "b"}, unit: "b"},
			{name: "QR poster of no unit", sub: archive.Submission{Channel: archive.ChannelQRCode}},
			{name: "QR poster of the bureau", sub: archive.Submission{Channel: archive.ChannelQRCode, Unit: "bureau"}, unit: "bureau"},
			{name: "QR poster of a partner", sub: archive.Submission{Channel: archive.ChannelQRCode, Unit: "partner"}, unit: "partner"},
			{name: "online box naming a unit", sub: archive.Submission{Channel: archive.ChannelOnlineBox, Unit: "a"}, unit: "a"},
			{name: "slip entered into the officer's station", staff: &officer, sub: archive.Submission{Channel: archive.ChannelPaperBox, Unit: "a"}, unit: "a", why: archive.AddressedByUnit},
			{name: "visit entered into the officer's station", staff: &officer, sub: archive.Submission{Channel: archive.ChannelVisit, Unit: "a"}, unit: "a", why: archive.AddressedByUnit},
			{name: "slip left for the bureau", staff: &officer, sub: archive.Submission{Channel: archive.ChannelPaperBox}},
			{name: "slip routed by its category", staff: &officer, sub: archive.Submission{Channel: archive.ChannelPaperBox, Category: "hukou"}, unit: "a"},
			{name: "call the leader files into a station", staff: &boss, sub: archive.Submission{Channel: archive.ChannelPhone, Unit: "b"}, unit: "b"},
			{name: "meeting the station hosted", staff: &officer, host: "a", unit: "a", why: archive.AddressedMeeting},
			{name: "slip entered by a station dispatched by the bureau only", staff: &officerB, sub: archive.Submission{Channel: archive.ChannelPaperBox, Unit: "b"}, unit: "b"},
			{name: "meeting of a station dispatched by the bureau only", staff: &officerB, host: "b", unit: "b"},
			{name: "meeting the bureau hosted", staff: &boss, host: "bureau", unit: "bureau"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, err := svc.InboxCounts(ctx, leader)
				if err != nil {
					t.Fatal(err)
				}
				sub := tc.sub
				sub.Kind, sub.Text = archive.KindSuggestion, "希望在学校门口设护学岗。"
				var it archive.Item
				if tc.host != "" {
					_, items, err := meetings.Record(ctx, *tc.staff, meeting.Meeting{Date: archive.ChinaDay(t0), Place: "会议室", HostUnit: tc.host},
						[]archive.Submission{{Kind: sub.Kind, Text: sub.Text}})
					if err != nil || len(items) != 1 {
						t.Fatalf("meeting: %v, %d items", err, len(items))
					}
					it = items[0]
				} else if it, _, err = svc.Submit(ctx, tc.staff, sub); err != nil {
					t.Fatal(err)
				}
				view, err := svc.Get(ctx, leader, it.Number)
				if err != nil {
					t.Fatal(err)
				}
				got, evs := view.Item, view.Events
				want := archive.StatusReceived
				if tc.why != "" {
					want = archive.StatusDispatched
				}
				if got.Status != want || got.UnitCode != tc.unit || it.Status != want {
					t.Fatalf("stored %s at %q (returned %s); want %s at %q", got.Status, got.UnitCode, it.Status, want, tc.unit)
				}
				if tc.why == "" {
					if len(evs) != 1 || evs[0].Type != archive.EventReceived {
						t.Fatalf("events %+v, want the received event alone", evs)
					}
				} else {
					if len(evs) != 2 || evs[0].Type != archive.EventReceived {
						t.Fatalf("events %+v, want received then dispatched", evs)
					}
					d := evs[1]
					if d.Type != archive.EventDispatched || d.Actor != archive.ActorSystem || d.From != archive.StatusReceived ||
						d.To != archive.StatusDispatched || d.Data["unit"] != tc.unit || d.Data["addressed"] != string(tc.why) || d.Hash == "" {
						t.Fatalf("dispatch event %+v, want the system's to %s because %s", d, tc.unit, tc.why)
					}
				}
				after, err := svc.InboxCounts(ctx, leader)
				if err != nil {
					t.Fatal(err)
				}
				queue := archive.QueueNew
				if tc.why != "" {
					queue = archive.QueueToSign
				}
				for _, q := range []archive.Queue{archive.QueueNew, archive.QueueToSign} {
					d := 0
					if q == queue {
						d = 1
					}
					if after[q]-before[q] != d {
						t.Errorf("queue %s moved by %d, want %d", q, after[q]-before[q], d)
					}
				}
			})
		}

		// The station signs for its QR item at once, or returns it to the
		// bureau, whose dispatch queue then holds it.
		head := org.User{Name: "zhang", Role: org.RoleUnitHead, UnitCode: "a"}
		var returned string
		for _, act := range []archive.Command{{Action: archive.ActSign}, {Action: archive.ActReturn, Body: "不属本所辖区，退回局里派单。"}} {
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Unit: "a", Text: "求助：钥匙丢了。"})
			if err != nil {
				t.Fatal(err)
			}
			actNow(t, db, svc, head, it.Number, act)
			if got, err := db.Item(ctx, it.Number); err != nil || got.Status == archive.StatusDispatched {
				t.Fatalf("%s: %s, %v", act.Action, got.Status, err)
			}
			returned = it.Number
		}
		page, err := svc.List(ctx, leader, archive.QueueNew.Filter(archive.Filter{Unit: "a"}))
		if err != nil || len(page.Items) == 0 || page.Items[0].Number != returned || page.Items[0].Status != archive.StatusReturned {
			t.Fatalf("the bureau's queue of a: %d items, %v; want the returned %s first", len(page.Items), err, returned)
		}
	})
}
