package store_test

import (
	"context"
	"maps"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

func TestMeetingFigures(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := mtFixture(t, db)
		_, items := mtRecord(t, svc, mtOfficerA, "a", 3, "一", "二")
		mtRecord(t, svc, mtOfficerB, "b", 7, "三")
		mtRecord(t, svc, mtLeader, "a", 7)
		mtRecord(t, svc, mtLeader, "b", 1, "四")
		for _, s := range []struct {
			u   org.User
			cmd archive.Command
		}{
			{mtLeader, archive.Command{Action: archive.ActDispatch, Unit: "a"}},
			{mtOfficerA, archive.Command{Action: archive.ActSign}},
			{mtOfficerA, archive.Command{Action: archive.ActAnswer, Body: "已修好"}},
			{mtOfficerA, archive.Command{Action: archive.ActVisit, Satisfaction: archive.Satisfied, Body: "满意"}},
			{mtOfficerA, archive.Command{Action: archive.ActClose}},
		} {
			if _, err := svc.Items.Act(bg, s.u, items[0].Number, s.cmd, true); err != nil {
				t.Fatalf("%s: %v", s.cmd.Action, err)
			}
		}
		figs := func(held, attendees, opinions, closed int64) reporting.Figures {
			return reporting.Figures{"held": held, "attendees": attendees, "opinions": opinions, "opinions_closed": closed}
		}
		may := reporting.Filter{From: "2021-05-01", To: "2021-05-31"}
		tests := []struct {
			name string
			f    reporting.Filter
			want reporting.Figures
		}{
			{"all of May", may, figs(4, 120, 4, 1)},
			{"days are inclusive", reporting.Filter{From: "2021-05-03", To: "2021-05-07"}, figs(3, 90, 3, 1)},
			{"one unit", reporting.Filter{From: may.From, To: may.To, Unit: "a"}, figs(2, 60, 2, 1)},
			{"visible units", reporting.Filter{From: may.From, To: may.To, Units: []string{"b"}}, figs(2, 60, 2, 0)},
			{"no visible units", reporting.Filter{From: may.From, To: may.To, Units: []string{}}, figs(0, 0, 0, 0)},
			{"quiet period", reporting.Filter{From: "2021-06-01", To: "2021-06-30"}, figs(0, 0, 0, 0)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.MeetingFigures(bg, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	})
}
