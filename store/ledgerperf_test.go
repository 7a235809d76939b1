package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/eventlog"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/loadgen"
	"minyi/matter"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
	"minyi/volunteer"
)

// lpSeed stores, over stations a and b (each with staff and a party
// branch), generated matters and volunteer activities spread over three
// years from 2021 as the benchmark generates them, a tenth of each in a
// campaign, and returns the campaign's id.
func lpSeed(t *testing.T, db *store.DB, matters, activities int) int64 {
	t.Helper()
	bg := context.Background()
	testkit.Bureau{Units: testkit.Stations, Users: []org.User{
		{Name: "officer-a", DisplayName: "甲警官", Role: org.RoleOfficer, UnitCode: "a"},
		{Name: "aux-a", DisplayName: "甲辅警", Role: org.RoleAuxiliary, UnitCode: "a"},
		{Name: "officer-b", DisplayName: "乙警官", Role: org.RoleOfficer, UnitCode: "b"},
	}}.Seed(t, db)
	for _, b := range []org.Branch{{Code: "pa", Name: "甲所党支部", UnitCode: "a"}, {Code: "pb", Name: "乙所党支部", UnitCode: "b"}} {
		if err := db.CreateBranch(bg, &b); err != nil {
			t.Fatal(err)
		}
	}
	c := campaign.Campaign{Name: "我为群众办实事", From: "2022-01-01", To: "2022-12-31", CreatedBy: "leader",
		CreatedAt: time.Date(2022, 1, 1, 9, 0, 0, 0, calendar.Zone)}
	c.UpdatedAt = c.CreatedAt
	if err := db.CreateCampaign(bg, &c); err != nil {
		t.Fatal(err)
	}
	g, err := loadgen.NewLedgers(bg, db, calendar.Default(), 12)
	if err != nil {
		t.Fatal(err)
	}
	g.Days = 3 * 365
	ms := make([]*matter.Matter, matters)
	history := make([][]eventlog.Event, matters)
	for i := range ms {
		m, evs := g.Matter()
		if i%10 == 0 {
			m.Campaign = c.ID
		}
		ms[i], history[i] = &m, evs
	}
	if err := db.CreateMatters(bg, ms, history, nil); err != nil {
		t.Fatal(err)
	}
	as := make([]*volunteer.Activity, activities)
	for i := range as {
		a := g.Activity()
		if i%10 == 0 {
			a.Campaign = c.ID
		}
		as[i] = &a
	}
	if err := db.CreateActivities(bg, as, nil); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// lpAll reads every record of a list, page by page: list reads the page
// that *cursor, its filter's cursor, names. It answers the total of the
// first page.
func lpAll[T any](t *testing.T, cursor *string, list func() (register.Page[T], error)) ([]T, int) {
	t.Helper()
	var out []T
	total := -1
	for {
		p, err := list()
		if err != nil {
			t.Fatal(err)
		}
		if total == -1 {
			total = *p.Total
		}
		out = append(out, p.Items...)
		if p.NextCursor == "" {
			return out, total
		}
		*cursor = p.NextCursor
	}
}

// lpAllMatters reads every matter f selects, page by page.
func lpAllMatters(t *testing.T, db *store.DB, f matter.Filter) ([]matter.Matter, int) {
	t.Helper()
	return lpAll(t, &f.Cursor, func() (register.Page[matter.Matter], error) { return db.Matters(context.Background(), f) })
}

// lpAllActivities reads every activity f selects, page by page.
func lpAllActivities(t *testing.T, db *store.DB, f volunteer.Filter) ([]volunteer.Activity, int) {
	t.Helper()
	return lpAll(t, &f.Cursor, func() (register.Page[volunteer.Activity], error) { return db.Activities(context.Background(), f) })
}

// lpSelected reports whether a record of unit, campaign and day falls in
// f, as the figures select.
func lpSelected(f reporting.Filter, unit string, campaignID int64, day string) bool {
	return (f.From == "" || day >= f.From) && (f.To == "" || day <= f.To) && (f.Unit == "" || unit == f.Unit) &&
		(f.Units == nil || slices.Contains(f.Units, unit)) && (f.Campaign == 0 || campaignID == f.Campaign)
}

// The ledgers' figures read covering indexes (migration 0031), named on
// SQLite: whatever the filter, they must equal the figures recounted in Go
// from every record read back.
func TestLedgerFiguresEqualRecount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		camp := lpSeed(t, db, 400, 600)
		matters, _ := lpAllMatters(t, db, matter.Filter{Filter: register.Filter{Limit: 100}})
		activities, _ := lpAllActivities(t, db, volunteer.Filter{Filter: register.Filter{Limit: 100}})
		if len(matters) != 400 || len(activities) != 600 {
			t.Fatalf("read back %d matters and %d activities", len(matters), len(activities))
		}
		for _, tc := range []struct {
			name string
			f    reporting.Filter
		}{
			{"a year", reporting.Filter{From: "2022-01-01", To: "2022-12-31"}},
			{"a year of a unit", reporting.Filter{From: "2022-01-01", To: "2022-12-31", Unit: "b"}},
			{"a month of visible units", reporting.Filter{From: "2023-03-01", To: "2023-03-31", Units: []string{"a"}}},
			{"all time", reporting.Filter{}},
			{"from a day on", reporting.Filter{From: "2023-06-15"}},
			{"a campaign", reporting.Filter{Campaign: camp}},
			{"a campaign's unit in a year", reporting.Filter{From: "2022-01-01", To: "2022-12-31", Unit: "a", Campaign: camp}},
			{"an empty period", reporting.Filter{From: "2030-01-01", To: "2030-12-31"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				want := reporting.Figures{"done": 0, "led": 0, "on_time": 0}
				for c := range archive.ClassLimits {
					want["done_"+string(c)] = 0
				}
				wantBranch := map[string]reporting.Figures{}
				for _, m := range matters {
					if m.Status != matter.StatusDone || !lpSelected(tc.f, m.Unit, m.Campaign, m.DoneOn) {
						continue
					}
					fig := reporting.Figures{"done": 1, "led": 0, "on_time": 0}
					if m.Lead != "" {
						fig["led"] = 1
					}
					if m.DoneOn <= archive.ChinaDay(m.DueAt).Format(time.DateOnly) {
						fig["on_time"] = 1
					}
					for k, v := range fig {
						want[k] += v
					}
					want["done_"+string(m.Class)]++
					for k, v := range m.Outcomes {
						want["outcome_"+k] += v
					}
					if m.Branch != "" {
						if wantBranch[m.Branch] == nil {
							wantBranch[m.Branch] = reporting.Figures{"done": 0, "led": 0, "on_time": 0}
						}
						for k, v := range fig {
							wantBranch[m.Branch][k] += v
						}
					}
				}
				got, err := db.MatterFigures(bg, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(got, want) {
					t.Errorf("matters' figures %v, recounted %v", got, want)
				}
				byBranch, err := db.MatterFiguresByBranch(bg, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.EqualFunc(byBranch, wantBranch, maps.Equal) {
					t.Errorf("matters by branch %v, recounted %v", byBranch, wantBranch)
				}

				wantA := reporting.Figures{"activities": 0, "volunteers": 0, "volunteer_hours": 0, "served": 0}
				centi := int64(0)
				wantABranch := map[string]reporting.Figures{}
				branchCenti := map[string]int64{}
				for _, a := range activities {
					if !lpSelected(tc.f, a.Unit, a.Campaign, a.Date) {
						continue
					}
					wantA["activities"]++
					wantA["volunteers"] += int64(a.Volunteers)
					wantA["served"] += int64(a.Served)
					centi += a.Centihours() * int64(a.Volunteers)
					if a.Branch != "" {
						b := wantABranch[a.Branch]
						if b == nil {
							b = reporting.Figures{"activities": 0, "volunteers": 0, "volunteer_hours": 0, "served": 0}
							wantABranch[a.Branch] = b
						}
						b["activities"]++
						b["volunteers"] += int64(a.Volunteers)
						b["served"] += int64(a.Served)
						branchCenti[a.Branch] += a.Centihours() * int64(a.Volunteers)
					}
				}
				wantA["volunteer_hours"] = centi / 100
				for b, c := range branchCenti {
					wantABranch[b]["volunteer_hours"] = c / 100
				}
				gotA, err := db.ActivityFigures(bg, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(gotA, wantA) {
					t.Errorf("volunteer figures %v, recounted %v", gotA, wantA)
				}
				gotABranch, err := db.ActivityFiguresByBranch(bg, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.EqualFunc(gotABranch, wantABranch, maps.Equal) {
					t.Errorf("volunteer figures by branch %v, recounted %v", gotABranch, wantABranch)
				}
				if tc.name == "a year" && (want["done"] == 0 || len(wantBranch) != 2 || wantA["activities"] == 0 || len(wantABranch) != 2) {
					t.Errorf("the year counts nothing to compare: %v %v %v %v", want, wantBranch, wantA, wantABranch)
				}
			})
		}
	})
}

// A search is counted up to a cap (register.Page.TotalCapped): below it
// the total is exact, above it the total is the cap and the list reads its
// records in order testing each (activities by day when the search is the
// only filter). Either way the pages, followed by their cursors to the
// end, must list what the general way lists (the same search with a
// visibility of every unit and a cap above every count), each record once.
func TestLedgerSearchTotalsAndPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		lpSeed(t, db, 300, 600)
		every := []string{"a", "b"}
		for _, q := range []string{"护学", "校园护学", "宣传 社区", "護學", "纠纷", "不存在的词"} {
			for _, unit := range []string{"", "a"} {
				want, wantTotal := lpAllActivities(t, db, volunteer.Filter{Filter: register.Filter{Query: q, Limit: 100}, Units: every, Unit: unit})
				wantM, wantMTotal := lpAllMatters(t, db, matter.Filter{Filter: register.Filter{Query: q, Limit: 100}, Units: every, Unit: unit})
				if wantTotal != len(want) || wantMTotal != len(wantM) {
					t.Fatalf("%q: the general way counts %d of %d activities listed, %d of %d matters", q, wantTotal, len(want), wantMTotal, len(wantM))
				}
				seen := map[int64]bool{}
				for _, a := range want {
					if seen[a.ID] {
						t.Fatalf("%q: activity %d listed twice", q, a.ID)
					}
					seen[a.ID] = true
				}
				for _, most := range []int{5, 1_000_000} {
					db.SetSearchTotalCap(most)
					first, err := db.Activities(bg, volunteer.Filter{Filter: register.Filter{Query: q, Limit: 7}, Unit: unit})
					firstM, errM := db.Matters(bg, matter.Filter{Filter: register.Filter{Query: q, Limit: 7}, Unit: unit})
					got, total := lpAllActivities(t, db, volunteer.Filter{Filter: register.Filter{Query: q, Limit: 7}, Unit: unit})
					gotM, totalM := lpAllMatters(t, db, matter.Filter{Filter: register.Filter{Query: q, Limit: 7}, Unit: unit})
					db.SetSearchTotalCap(0)
					if err != nil || errM != nil {
						t.Fatal(err, errM)
					}
					for _, l := range []struct {
						name          string
						total, listed int
						capped, same  bool
					}{
						{"activities", total, len(want), first.TotalCapped,
							slices.EqualFunc(got, want, func(a, b volunteer.Activity) bool { return a.ID == b.ID })},
						{"matters", totalM, len(wantM), firstM.TotalCapped,
							slices.EqualFunc(gotM, wantM, func(a, b matter.Matter) bool { return a.ID == b.ID })},
					} {
						wantTotal, wantCapped := l.listed, false
						if l.listed > most {
							wantTotal, wantCapped = most, true
						}
						if l.total != wantTotal || l.capped != wantCapped || !l.same {
							t.Errorf("%s %q unit %q (cap %d): total %d (capped %v), pages equal %v; want %d (capped %v) of %d",
								l.name, q, unit, most, l.total, l.capped, l.same, wantTotal, wantCapped, l.listed)
						}
					}
				}
			}
		}
		// The generated titles make 护学 common: both ways were tried.
		if _, n := lpAllActivities(t, db, volunteer.Filter{Filter: register.Filter{Query: "护学", Limit: 100}}); n < 30 {
			t.Errorf("护学 matches only %d activities", n)
		}
	})
}
