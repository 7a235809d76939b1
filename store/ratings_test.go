package store_test

import (
	"reflect"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/reporting"
)

// TestFiveLevelsKeepOldRatings rates items with the three levels of before,
// takes the database back before migration 52 (the counters without the
// five levels' ends) and migrates again: every figure and rate is the same,
// the ends count 0, and a rating at a new level then counts in its group
// and as itself, on both databases.
func TestFiveLevelsKeepOldRatings(t *testing.T) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) {
			db, url := openAt(t, d)
			svc, _ := fixture(t, db)
			head := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
			rate := func(text string, sat archive.Satisfaction, body string) {
				t.Helper()
				n := submit(t, svc, text).Number
				for _, c := range []struct {
					u   org.User
					cmd archive.Command
				}{{leader, archive.Command{Action: archive.ActDispatch, Unit: "a"}}, {head, archive.Command{Action: archive.ActSign}},
					{head, archive.Command{Action: archive.ActAnswer, Body: "已答复"}},
					{head, archive.Command{Action: archive.ActVisit, Satisfaction: sat, Body: body}}} {
					actNow(t, db, svc, c.u, n, c.cmd)
				}
			}
			rate("户籍迁移怎么办？", archive.Satisfied, "")
			rate("户籍窗口几点开门？", archive.BasicSatisfied, "等得久")
			rate("户籍证明去哪开？", archive.Unsatisfied, "没说清楚")
			before, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if r := before.Rates.Satisfaction; r == nil || *r != 0.6667 || before.Tally.Visited != 3 {
				t.Fatalf("before: %+v %v", before.Tally, r)
			}
			undo := []string{"ALTER TABLE tallies DROP COLUMN very_satisfied", "ALTER TABLE tallies DROP COLUMN very_unsatisfied",
				"DELETE FROM schema_migrations WHERE version >= 52"}
			db = reopenAfter(t, db, url, undo...)
			after, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) || after.Tally.VerySatisfied != 0 || after.Tally.VeryUnsatisfied != 0 {
				t.Fatalf("figures changed by the migration:\n%+v\n%+v", before, after)
			}
			svc = archive.NewService(db, policy)
			rate("户籍还要带什么？", archive.VerySatisfied, "")
			rate("户籍要本人去吗？", archive.VeryUnsatisfied, "态度很差")
			st, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			want := reporting.Tally{Visited: 5, Satisfied: 2, BasicSatisfied: 1, Unsatisfied: 2, VerySatisfied: 1, VeryUnsatisfied: 1}
			got := reporting.Tally{Visited: st.Tally.Visited, Satisfied: st.Tally.Satisfied, BasicSatisfied: st.Tally.BasicSatisfied,
				Unsatisfied: st.Tally.Unsatisfied, VerySatisfied: st.Tally.VerySatisfied, VeryUnsatisfied: st.Tally.VeryUnsatisfied}
			if got != want {
				t.Errorf("after new ratings %+v, want %+v", got, want)
			}
			if r := st.Rates.Satisfaction; r == nil || *r != 0.6 {
				t.Errorf("satisfaction rate %v, want 3 of 5", r)
			}
			// Migration 52 run again over counters that have the five
			// levels (SQLite rebuilds the table) keeps them as they were.
			db = reopenAfter(t, db, url, "DELETE FROM schema_migrations WHERE version >= 52")
			again, err := db.Stats(ctx, reporting.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(st, again) || again.Tally.VerySatisfied != 1 || again.Tally.VeryUnsatisfied != 1 {
				t.Fatalf("figures changed by running migration 52 again:\n%+v\n%+v", st.Tally, again.Tally)
			}
		})
	}
}
