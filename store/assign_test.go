package store_test

import (
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

// The officer in charge of an item (承办人, issue 15 §8): an officer claims
// an item for themselves, the unit head reassigns it (each an event), an
// officer of another unit, an auxiliary, a disabled or unknown account
// is refused naming assignee with nothing written, a stale version is a
// conflict, each officer finds their open items (assignee=me), the head
// sees the workload per officer, a transfer leaves the item with nobody in
// charge, and the counters never move.
func TestAssignment(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		head := org.User{Name: "zhang", Role: org.RoleUnitHead, UnitCode: "a"}
		li := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		wang := org.User{Name: "wang", Role: org.RoleOfficer, UnitCode: "a"}
		aux := org.User{Name: "aux", Role: org.RoleAuxiliary, UnitCode: "a"}
		gone := org.User{Name: "gone", Role: org.RoleOfficer, UnitCode: "a", Disabled: true}
		zhao := org.User{Name: "zhao", Role: org.RoleOfficer, UnitCode: "b"}
		testkit.Bureau{Units: testkit.UnderBureau, Users: []org.User{head, li, wang, aux, gone, zhao}}.Seed(t, db)
		clock := testkit.NewClock(t0)
		svc := archive.NewService(db, policy)
		svc.Now = clock.Now
		file := func(text string) archive.Item {
			t.Helper()
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Unit: "a", Text: text})
			if err != nil || it.Status != archive.StatusDispatched {
				t.Fatalf("file: %v %s", err, it.Status)
			}
			return it
		}
		it := file("楼道里有人堆放杂物")
		other := file("小区门口路灯不亮")
		stats := func() reporting.Tally {
			st, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			return st.Tally
		}
		before := stats()
		assign := func(u org.User, number, who string, version int) (archive.Item, error) {
			got, err := db.Item(ctx, number)
			if err != nil {
				t.Fatal(err)
			}
			if version == 0 {
				version = got.Version
			}
			return svc.Act(ctx, u, number, archive.Command{Action: archive.ActAssign, Assignee: who, Version: version}, false)
		}

		steps := []struct {
			name     string
			u        org.User
			assignee string
			code     string // the refusal's code; "" for none
			field    string // the field it names
			want     string // the assignee after it
		}{
			{"an officer claims it", li, "me", "", "", "li"},
			{"claiming it again", li, "me", minyi.EIllegal, "", "li"},
			{"another officer cannot take it over", wang, "me", minyi.EForbidden, "", "li"},
			{"the head reassigns it", head, "wang", "", "", "wang"},
			{"to whoever has it already", head, "wang", minyi.EInvalid, "assignee", "wang"},
			{"nobody named", head, "", minyi.EInvalid, "assignee", "wang"},
			{"an officer of another unit", head, "zhao", minyi.EInvalid, "assignee", "wang"},
			{"an auxiliary", head, "aux", minyi.EInvalid, "assignee", "wang"},
			{"a disabled account", head, "gone", minyi.EInvalid, "assignee", "wang"},
			{"an unknown account", head, "nobody", minyi.EInvalid, "assignee", "wang"},
			{"another unit's officer assigning", zhao, "zhao", minyi.EForbidden, "", "wang"},
			{"a leader assigns", leader, "li", "", "", "li"},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				was, _ := db.Item(ctx, it.Number)
				got, err := assign(s.u, it.Number, s.assignee, 0)
				if minyi.ErrorCode(err) != s.code || (s.field != "" && fieldsOf(err) != s.field) {
					t.Fatalf("err %v, want %q naming %q", err, s.code, s.field)
				}
				now, _ := db.Item(ctx, it.Number)
				if now.Assignee != s.want {
					t.Fatalf("assignee %q, want %q", now.Assignee, s.want)
				}
				if s.code != "" && now.Version != was.Version {
					t.Fatalf("a refusal wrote version %d over %d", now.Version, was.Version)
				}
				if s.code == "" && (got.Assignee != s.want || now.Version != was.Version+1) {
					t.Fatalf("returned %q at version %d (was %d)", got.Assignee, now.Version, was.Version)
				}
			})
		}
		// A double click: the second sending carries the version the first
		// one changed.
		stale, _ := db.Item(ctx, other.Number)
		if _, err := assign(head, other.Number, "wang", stale.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := assign(head, other.Number, "li", stale.Version); minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("stale version: %v, want conflict", err)
		}

		view, err := svc.Get(ctx, head, it.Number)
		if err != nil {
			t.Fatal(err)
		}
		var assigned []map[string]string
		for _, e := range view.Events {
			if e.Type == archive.EventAssigned {
				assigned = append(assigned, e.Data)
				if e.PublicView() {
					t.Errorf("the citizen sees the assignment %+v", e)
				}
			}
		}
		if len(assigned) != 3 || assigned[1]["from_assignee"] != "li" || assigned[1]["assignee"] != "wang" || assigned[2]["assignee"] != "li" {
			t.Fatalf("assignment events %v", assigned)
		}

		// 我的待办: each officer's open items, due soonest first.
		for _, tc := range []struct {
			u    org.User
			want []string
		}{{li, []string{it.Number}}, {wang, []string{other.Number}}, {head, nil}} {
			page, err := svc.List(ctx, tc.u, archive.Filter{Assignee: "me", Statuses: archive.OpenStatuses, Sort: archive.SortDue})
			if err != nil || len(page.Items) != len(tc.want) || (len(tc.want) > 0 && page.Items[0].Number != tc.want[0]) {
				t.Errorf("%s's items: %+v %v, want %v", tc.u.Name, page.Items, err, tc.want)
			}
		}

		// The workload: li answers theirs this month; wang's is overdue.
		actNow(t, db, svc, li, it.Number, archive.Command{Action: archive.ActSign})
		actNow(t, db, svc, li, it.Number, archive.Command{Action: archive.ActAnswer, Body: "已清理。"})
		clock.Set(t0.AddDate(0, 1, 10)) // April: li answered in March
		w, err := svc.Workload(ctx, head, "a")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]archive.Workload{}
		for _, x := range w {
			got[x.Assignee] = x
		}
		if len(w) != 3 || got["li"] != (archive.Workload{Assignee: "li"}) || got["wang"] != (archive.Workload{Assignee: "wang", Open: 1, Overdue: 1}) ||
			got["zhang"] != (archive.Workload{Assignee: "zhang"}) {
			t.Errorf("workload in April: %+v", w)
		}
		clock.Set(t0)
		w, _ = svc.Workload(ctx, leader, "a")
		for _, x := range w {
			if x.Assignee == "li" && x.Answered != 1 {
				t.Errorf("li answered %d this month, want 1", x.Answered)
			}
		}
		for _, u := range []org.User{li, zhao} {
			if _, err := svc.Workload(ctx, u, "a"); minyi.ErrorCode(err) != minyi.EForbidden {
				t.Errorf("%s reads the workload: %v", u.Name, err)
			}
		}

		// A transfer leaves the item with nobody in charge at its new unit.
		actNow(t, db, svc, head, other.Number, archive.Command{Action: archive.ActTransfer, Unit: "b", Body: "属乙所辖区"})
		if moved, _ := db.Item(ctx, other.Number); moved.Assignee != "" || moved.UnitCode != "b" {
			t.Errorf("transferred: assignee %q at %s", moved.Assignee, moved.UnitCode)
		}
		after := stats()
		after.Answered, after.Responded, after.OnTime = before.Answered, before.Responded, before.OnTime
		if after != before {
			t.Errorf("assignment moved the counters: %+v, before %+v", after, before)
		}
	})
}
