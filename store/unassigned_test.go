package store_test

import (
	"slices"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/store"
)

// TestUnassignedFilter (issue 15 §8, §13: 未派): assignee=none lists the
// open items dispatched to a unit that no officer holds — not the items
// held, nor those waiting for the bureau's dispatch (though their category
// names a unit), nor those answered or closed without anybody in charge —
// within what the reader sees, alone or with the queues' statuses, on both
// databases.
func TestUnassignedFilter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		li := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		zhao := org.User{Name: "zhao", Role: org.RoleOfficer, UnitCode: "b"}
		testkit.Bureau{Units: testkit.UnderBureau, Users: []org.User{li, zhao}, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(t, db)
		svc := archive.NewService(db, policy)
		file := func(unit, text string) string {
			t.Helper()
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Unit: unit, Text: text})
			if err != nil {
				t.Fatal(err)
			}
			return it.Number
		}
		held := file("a", "楼道里有人堆放杂物")
		free := file("a", "小区门口路灯不亮")
		freeB := file("b", "乙所门前积水")
		pending := submit(t, svc, "户籍迁移怎么办？").Number // no unit yet: waits for dispatch
		if _, err := svc.Act(ctx, li, held, archive.Command{Action: archive.ActAssign, Assignee: "me", Version: 1}, false); err != nil {
			t.Fatal(err)
		}
		// Signed and answered by the unit, never assigned: nobody needs to
		// take them any more.
		head := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
		answered, closed := file("a", "小区健身器材坏了"), file("a", "路口红绿灯坏了")
		for _, number := range []string{answered, closed} {
			actNow(t, db, svc, head, number, archive.Command{Action: archive.ActSign})
			actNow(t, db, svc, head, number, archive.Command{Action: archive.ActAnswer, Body: "已修好。"})
		}
		actNow(t, db, svc, head, closed, archive.Command{Action: archive.ActClose, Body: "已修好，销号。"})
		numbers := func(p archive.ItemPage) []string {
			var out []string
			for _, it := range p.Items {
				out = append(out, it.Number)
			}
			slices.Sort(out)
			return out
		}
		for _, tc := range []struct {
			name string
			u    org.User
			f    archive.Filter
			want []string
		}{
			{"the bureau", leader, archive.Filter{Assignee: archive.AssigneeNone}, []string{free, freeB}},
			{"a unit's officer", li, archive.Filter{Assignee: archive.AssigneeNone}, []string{free}},
			{"open, one unit", leader, archive.Filter{Assignee: archive.AssigneeNone, Unit: "b", Statuses: archive.OpenStatuses}, []string{freeB}},
			{"the held ones", leader, archive.Filter{Assignee: "li"}, []string{held}},
			{"not answered or closed, one unit", leader, archive.Filter{Assignee: archive.AssigneeNone, Unit: "a"}, []string{free}},
			{"asked for answered and closed", leader, archive.Filter{Assignee: archive.AssigneeNone,
				Statuses: []archive.Status{archive.StatusAnswered, archive.StatusClosed}}, nil},
			{"everything", leader, archive.Filter{}, []string{held, free, freeB, pending, answered, closed}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page, err := svc.List(ctx, tc.u, tc.f)
				want := slices.Clone(tc.want)
				slices.Sort(want)
				if got := numbers(page); err != nil || !slices.Equal(got, want) {
					t.Errorf("got %v %v, want %v", got, err, want)
				}
			})
		}
	})
}
