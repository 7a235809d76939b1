package loadgen_test

import (
	"context"
	"slices"
	"testing"

	"minyi/calendar"
	"minyi/dispute"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/loadgen"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

// TestDisputesGenerate stores generated disputes in batches on each
// database: every dispute with its events in the one log, the figures
// counting them, the benchmark's requests naming each unit.
func TestDisputesGenerate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		testkit.Bureau{Units: testkit.Stations, Users: []org.User{
			{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"}, {Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"}}}.Seed(t, db)
		g, err := loadgen.NewLedgers(ctx, db, calendar.Default(), 7)
		if err != nil {
			t.Fatal(err)
		}
		const n = 80
		var calls int
		if err := g.GenerateDisputes(ctx, db, n, 30, func(int) { calls++ }); err != nil {
			t.Fatal(err)
		}
		if calls != 3 {
			t.Errorf("%d progress calls, want one a batch (3)", calls)
		}
		by, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if by[dispute.Register] < n || by[dispute.Register] > 4*n {
			t.Errorf("events by register %v", by)
		}
		f, err := db.DisputeFigures(ctx, reporting.Filter{From: "2021-01-01", To: "2027-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if f["found"] != n || f["resolved"] < n/2 || f["resolved"] >= n || f["resolved_village"] == 0 || f["open"] == 0 {
			t.Errorf("figures %v of %d", f, n)
		}
		page, err := db.Disputes(ctx, dispute.Filter{})
		if err != nil || *page.Total != n || len(page.Items) != 20 {
			t.Errorf("list: %d of %v, %v", len(page.Items), page.Total, err)
		}
		mix := loadgen.DisputeMix([]string{"a", "b"}, 2024)
		if !slices.ContainsFunc(mix, func(q loadgen.Query) bool { return q.Path == "/api/v1/disputes?unit=b&limit=20" }) {
			t.Errorf("the mix does not list unit b's disputes: %v", mix)
		}
	})
}
