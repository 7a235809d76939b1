package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"minyi"
	"minyi/indicator"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

var (
	inAdmin   = org.User{Name: "admin", Role: org.RoleAdmin}
	inPartner = org.User{Name: "partner-a", Role: org.RolePartner, UnitCode: "a"}
)

func inFixture(t *testing.T, db *store.DB) *indicator.Service {
	t.Helper()
	testkit.Bureau{Units: testkit.Stations}.Seed(t, db)
	return &indicator.Service{Store: db, Now: testkit.NewClock(vaNow).Now}
}

func inEnter(t *testing.T, svc *indicator.Service, u org.User, code, unit, month string, v int64) indicator.Entry {
	t.Helper()
	e, err := svc.Enter(context.Background(), u, indicator.Entry{Indicator: code, Unit: unit, Month: month, Value: v})
	if err != nil {
		t.Fatalf("enter %s %s %s: %v", code, unit, month, err)
	}
	return e
}

func TestIndicatorEntries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := inFixture(t, db)
		defs, err := svc.Definitions(bg, mtOfficerA)
		if err != nil || len(defs) != 2 || defs[0].Code != "administrative_cases" || defs[1].Code != "criminal_cases_solved" ||
			defs[1].Name != "破获刑事案件" || defs[1].Measure != "起" || defs[1].Aggregation != indicator.Sum {
			t.Fatalf("seeded definitions %+v, %v", defs, err)
		}

		first := inEnter(t, svc, mtOfficerA, "criminal_cases_solved", "a", "2021-01", 30)
		inEnter(t, svc, mtOfficerA, "criminal_cases_solved", "a", "2021-02", 20)
		inEnter(t, svc, mtOfficerB, "criminal_cases_solved", "b", "2021-01", 5)
		inEnter(t, svc, mtLeader, "administrative_cases", "b", "2021-03", 85)
		// A correction supersedes; the old entry stays in the history.
		fixed := inEnter(t, svc, mtOfficerA, "criminal_cases_solved", "a", "2021-01", 29)
		if fixed.Supersedes != first.ID || !fixed.Current {
			t.Errorf("correction %+v, want superseding %d", fixed, first.ID)
		}
		page, err := svc.List(bg, mtOfficerA, indicator.Filter{Indicator: "criminal_cases_solved"})
		if err != nil || *page.Total != 2 || page.Items[0].Month != "2021-02" || page.Items[1].Value != 29 {
			t.Errorf("officer a's current entries %+v, %v", page, err)
		}
		page, err = svc.List(bg, mtOfficerA, indicator.Filter{Indicator: "criminal_cases_solved", History: true, From: "2021-01", To: "2021-01"})
		if err != nil || *page.Total != 2 || page.Items[0].ID != fixed.ID || page.Items[1].ID != first.ID || page.Items[1].Current {
			t.Errorf("history %+v, %v", page, err)
		}
		page, err = svc.List(bg, mtLeader, indicator.Filter{})
		if err != nil || *page.Total != 4 {
			t.Errorf("leader sees %+v, %v", page, err)
		}
		// Pages follow the cursor without repeats.
		page, err = svc.List(bg, mtLeader, indicator.Filter{Filter: registerFilter("", 3, "")})
		if err != nil || len(page.Items) != 3 || page.NextCursor == "" {
			t.Fatalf("first page %+v, %v", page, err)
		}
		next, err := svc.List(bg, mtLeader, indicator.Filter{Filter: registerFilter("", 3, page.NextCursor)})
		if err != nil || len(next.Items) != 1 || next.NextCursor != "" || next.Items[0].ID == page.Items[2].ID {
			t.Errorf("second page %+v, %v", next, err)
		}

		// The figure of a period: the latest entry of each unit and month
		// whose first day is in the period.
		for _, tc := range []struct {
			name string
			f    reporting.Filter
			want reporting.Figures
		}{
			{"year", reporting.Filter{From: "2021-01-01", To: "2021-12-31"}, reporting.Figures{"criminal_cases_solved": 54, "administrative_cases": 85}},
			{"cut January", reporting.Filter{From: "2021-01-02", To: "2021-03-01"}, reporting.Figures{"criminal_cases_solved": 20, "administrative_cases": 85}},
			{"unit a", reporting.Filter{From: "2021-01-01", To: "2021-12-31", Unit: "a"}, reporting.Figures{"criminal_cases_solved": 49, "administrative_cases": 0}},
			{"visible b", reporting.Filter{From: "2021-01-01", To: "2021-12-31", Units: []string{"b"}}, reporting.Figures{"criminal_cases_solved": 5, "administrative_cases": 85}},
			{"none visible", reporting.Filter{Units: []string{}}, reporting.Figures{"criminal_cases_solved": 0, "administrative_cases": 0}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := svc.Figures(bg, tc.f)
				if err != nil || len(got) != len(tc.want) || got["criminal_cases_solved"] != tc.want["criminal_cases_solved"] ||
					got["administrative_cases"] != tc.want["administrative_cases"] {
					t.Errorf("figures %v, want %v (%v)", got, tc.want, err)
				}
			})
		}

		// Refusals write nothing.
		for _, tc := range []struct {
			name string
			u    org.User
			e    indicator.Entry
			code string
		}{
			{"partner", inPartner, indicator.Entry{Indicator: "criminal_cases_solved", Unit: "a", Month: "2021-04", Value: 1}, minyi.EForbidden},
			{"other unit", mtOfficerB, indicator.Entry{Indicator: "criminal_cases_solved", Unit: "a", Month: "2021-04", Value: 1}, minyi.EForbidden},
			{"unknown indicator", mtOfficerA, indicator.Entry{Indicator: "nope", Unit: "a", Month: "2021-04", Value: 1}, minyi.EInvalid},
			{"unknown unit", mtLeader, indicator.Entry{Indicator: "criminal_cases_solved", Unit: "zz", Month: "2021-04", Value: 1}, minyi.EInvalid},
			{"future", mtOfficerA, indicator.Entry{Indicator: "criminal_cases_solved", Unit: "a", Month: "2021-12", Value: 1}, minyi.EInvalid},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := svc.Enter(bg, tc.u, tc.e); minyi.ErrorCode(err) != tc.code {
					t.Errorf("error %v, want %s", err, tc.code)
				}
			})
		}
		page, _ = svc.List(bg, mtLeader, indicator.Filter{History: true})
		if *page.Total != 5 {
			t.Errorf("%d entries after refusals, want 5", *page.Total)
		}
		if _, err := svc.List(bg, mtLeader, indicator.Filter{From: "2021-1"}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("bad from: %v", err)
		}

		// Every entry is an event of the one log, which verifies.
		counts, err := db.VerifyByRegister(bg)
		if err != nil || counts[indicator.Register] != 5 {
			t.Errorf("log by register %v, %v", counts, err)
		}
	})
}

func TestIndicatorDefinitions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := inFixture(t, db)
		d := indicator.Definition{Code: "id_cards", Name: "办理身份证", NameEn: "ID cards issued", Measure: "张", Aggregation: indicator.Sum}
		if _, err := svc.Define(bg, mtLeader, d); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("leader defines: %v", err)
		}
		got, err := svc.Define(bg, inAdmin, d)
		if err != nil || got.Version != 1 {
			t.Fatalf("define %+v, %v", got, err)
		}
		if _, err := svc.Define(bg, inAdmin, d); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("defined twice: %v", err)
		}
		last := indicator.Last
		if _, err := svc.Change(bg, inAdmin, "id_cards", 0, indicator.DefinitionPatch{Aggregation: &last}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("no version: %v", err)
		}
		changed, err := svc.Change(bg, inAdmin, "id_cards", 1, indicator.DefinitionPatch{Aggregation: &last})
		if err != nil || changed.Version != 2 || changed.Aggregation != indicator.Last {
			t.Fatalf("change %+v, %v", changed, err)
		}
		if _, err := svc.Change(bg, inAdmin, "id_cards", 1, indicator.DefinitionPatch{Aggregation: &last}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale version: %v", err)
		}
		// last: each unit's value of its latest month in the period.
		inEnter(t, svc, mtOfficerA, "id_cards", "a", "2021-01", 10)
		inEnter(t, svc, mtOfficerA, "id_cards", "a", "2021-02", 12)
		inEnter(t, svc, mtOfficerB, "id_cards", "b", "2021-01", 4)
		f, err := svc.Figures(bg, reporting.Filter{From: "2021-01-01", To: "2021-12-31"})
		if err != nil || f["id_cards"] != 16 {
			t.Errorf("last figure %v, %v", f, err)
		}
	})
}

// Two corrections of one month sent at once: one wins, the other is a
// conflict, and exactly one entry is current.
func TestIndicatorConcurrentEntries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := inFixture(t, db)
		inEnter(t, svc, mtOfficerA, "criminal_cases_solved", "a", "2021-05", 1)
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.Enter(bg, mtOfficerA, indicator.Entry{Indicator: "criminal_cases_solved", Unit: "a", Month: "2021-05", Value: int64(i + 2)})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil && minyi.ErrorCode(err) != minyi.EConflict {
				t.Errorf("concurrent entry: %v", err)
			}
		}
		page, err := svc.List(bg, mtOfficerA, indicator.Filter{})
		if err != nil || *page.Total != 1 {
			t.Errorf("current entries %+v, %v", page, err)
		}
	})
}

// TestIndicatorRetired: a retired indicator takes no new entry (refused
// naming indicator, nothing written) while its entries stay and count;
// brought back, it takes entries again.
func TestIndicatorRetired(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := inFixture(t, db)
		inEnter(t, svc, mtOfficerA, "criminal_cases_solved", "a", "2021-01", 7)
		d, err := db.Definition(bg, "criminal_cases_solved")
		if err != nil || !d.Active {
			t.Fatalf("seeded definition %+v, %v", d, err)
		}
		off, on := false, true
		if d, err = svc.Change(bg, inAdmin, d.Code, d.Version, indicator.DefinitionPatch{Active: &off}); err != nil || d.Active {
			t.Fatalf("retire %+v, %v", d, err)
		}
		_, err = svc.Enter(bg, mtOfficerA, indicator.Entry{Indicator: d.Code, Unit: "a", Month: "2021-02", Value: 3})
		var e *minyi.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "indicator" || e.Fields[0].Zh == "" {
			t.Errorf("an entry of a retired indicator: %v", err)
		}
		if page, err := svc.List(bg, mtOfficerA, indicator.Filter{Indicator: d.Code}); err != nil || *page.Total != 1 {
			t.Errorf("entries of a retired indicator: %v", err)
		}
		if f, err := svc.Figures(bg, reporting.Filter{}); err != nil || f[d.Code] != 7 {
			t.Errorf("figures of a retired indicator: %v, %v", f, err)
		}
		if d, err = svc.Change(bg, inAdmin, d.Code, d.Version, indicator.DefinitionPatch{Active: &on}); err != nil || !d.Active {
			t.Fatalf("bring back %+v, %v", d, err)
		}
		inEnter(t, svc, mtOfficerA, d.Code, "a", "2021-02", 3)
		created, err := svc.Define(bg, inAdmin, indicator.Definition{Code: "fraud_talks", Name: "反诈宣讲", NameEn: "anti-fraud talks", Measure: "场", Aggregation: indicator.Sum})
		if err != nil || !created.Active {
			t.Errorf("a new indicator is active: %+v, %v", created, err)
		}
	})
}
