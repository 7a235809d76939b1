package loadgen_test

import (
	"context"
	"testing"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/loadgen"
	"minyi/matter"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
	"minyi/volunteer"
)

// TestLedgersGenerate stores generated matters and volunteer activities in
// batches on each database: every record with its events in the one log,
// the figures counting them, and the same seed giving the same records.
func TestLedgersGenerate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		testkit.Bureau{Units: testkit.Stations, Users: []org.User{
			{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"}, {Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"},
			{Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}}}.Seed(t, db)
		g, err := loadgen.NewLedgers(ctx, db, calendar.Default(), 7)
		if err != nil {
			t.Fatal(err)
		}
		const matters, activities = 60, 45
		var calls int
		if err := g.Generate(ctx, db, matters, activities, 25, func(int, int) { calls++ }); err != nil {
			t.Fatal(err)
		}
		if calls != 3+2 {
			t.Errorf("%d progress calls, want one a batch (5)", calls)
		}
		by, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if by[volunteer.Register] != activities || by[matter.Register] < matters || by[matter.Register] > 3*matters {
			t.Errorf("events by register %v", by)
		}
		all := reporting.Filter{From: "2021-01-01", To: "2027-12-31"}
		mf, err := db.MatterFigures(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		if mf["done"] < matters/2 || mf["done"] >= matters || mf["on_time"] == 0 || mf["on_time"] == mf["done"] || mf["led"] == 0 {
			t.Errorf("matters' figures %v of %d", mf, matters)
		}
		vf, err := db.ActivityFigures(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		if vf["activities"] != activities || vf["volunteer_hours"] == 0 {
			t.Errorf("activities' figures %v", vf)
		}
		// The same seed makes the same records.
		a, b := must(loadgen.NewLedgers(ctx, db, calendar.Default(), 7)), must(loadgen.NewLedgers(ctx, db, calendar.Default(), 7))
		for range 5 {
			ma, _ := a.Matter()
			mb, _ := b.Matter()
			if ma.Title != mb.Title || ma.DoneOn != mb.DoneOn || ma.Unit != mb.Unit {
				t.Fatalf("seed 7 gave %+v and %+v", ma, mb)
			}
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
