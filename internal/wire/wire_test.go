package wire_test

import (
	"context"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/internal/wire"
	"minyi/matter"
	"minyi/measure"
	"minyi/meeting"
	"minyi/org"
	"minyi/publicity"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/volunteer"
)

// TestReportsAskEveryRegister checks the wiring of reporting: a report
// holds the figures of the items and of the meetings, each counted by its
// own register for the reader's units.
func TestReportsAskEveryRegister(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		testkit.Bureau{Units: testkit.Stations, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
		items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
		items.Now = testkit.NewClock(time.Date(2021, 5, 12, 15, 0, 0, 0, calendar.Zone)).Now
		officer := org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}
		m := meeting.Meeting{Date: time.Date(2021, 5, 3, 0, 0, 0, 0, calendar.Zone), Place: "会议室", HostUnit: "a", Attendees: 30}
		var ops []archive.Submission
		for _, text := range []string{"路灯坏了", "希望增加巡逻"} {
			ops = append(ops, archive.Submission{Kind: archive.KindSuggestion, Category: "hukou", Text: text})
		}
		if _, _, err := (&meeting.Service{Store: db, Items: items}).Record(ctx, officer, m, ops); err != nil {
			t.Fatal(err)
		}

		matters := &matter.Service{Store: db, Items: items}
		done, err := matters.Create(ctx, officer, matter.Matter{Title: "修路灯", Unit: "a", Class: archive.ClassUrgent, OpenedOn: "2021-05-03",
			Beneficiary: matter.Beneficiary{Kind: matter.BeneficiaryVillage, Name: "一村"}})
		if err != nil {
			t.Fatal(err)
		}
		for v, cmd := range []matter.Command{{Action: matter.ActStart}, {Action: matter.ActComplete, Day: "2021-05-10", Story: "路灯修好了", Outcomes: map[string]int64{"households": 40}}} {
			version := v + 1
			if _, err := matters.Act(ctx, officer, done.ID, &version, cmd); err != nil {
				t.Fatal(err)
			}
		}

		reports := wire.Reports(db, items)
		may := struct{ from, to string }{"2021-05-01", "2021-05-31"}
		for _, tt := range []struct {
			name                              string
			u                                 org.User
			received, held, attendees, raised int64
			done, households                  int64
		}{
			{"leader", org.User{Name: "leader", Role: org.RoleLeader}, 2, 1, 30, 2, 1, 40},
			{"head of the host unit", org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}, 2, 1, 30, 2, 1, 40},
			{"head of another unit", org.User{Name: "hb", Role: org.RoleUnitHead, UnitCode: "b"}, 0, 0, 0, 0, 0, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r, err := reports.Report(ctx, tt.u, reporting.Filter{From: may.from, To: may.to})
				if err != nil {
					t.Fatal(err)
				}
				if r.Figure("items", "received") != tt.received || r.Figure("meetings", "held") != tt.held ||
					r.Figure("meetings", "attendees") != tt.attendees || r.Figure("meetings", "opinions") != tt.raised ||
					r.Figure("matters", "done") != tt.done || r.Figure("matters", "outcome_households") != tt.households {
					t.Errorf("report %+v", r.Registers)
				}
				for _, reg := range []string{volunteer.Register, servicepoint.Register, measure.Register, publicity.Register} {
					if _, ok := r.Registers[reg]; !ok {
						t.Errorf("report lacks %s: %+v", reg, r.Registers)
					}
				}
			})
		}
	})
}
