package store_test

import (
	"slices"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
	"minyi/store"
)

// TestItemListsByAnswerAndClosure: the items' lists bound by the time of
// answer (answered_from/answered_to) and of closure select the items
// answered, or closed, in the period whatever the day of receipt, page by
// page with their cursor, in every order, as the unit's officers may see
// them; with only units and a period of receipt besides, their total is
// counted (from the partial indexes), with anything else it is not.
func TestItemListsByAnswerAndClosure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		headA := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
		at := func(month time.Month, day, hour int) {
			clock.Set(time.Date(2021, month, day, hour, 0, 0, 0, calendar.Zone))
		}
		act := func(number string, cmds ...archive.Command) {
			t.Helper()
			for _, cmd := range cmds {
				u := headA
				if cmd.Action == archive.ActDispatch {
					u = leader
				}
				actNow(t, db, svc, u, number, cmd)
			}
		}
		dispatch := []archive.Command{{Action: archive.ActDispatch, Unit: "a"}, {Action: archive.ActSign}}
		answer := archive.Command{Action: archive.ActAnswer, Body: "已答复"}
		closeIt := []archive.Command{{Action: archive.ActVisit, Satisfaction: archive.Satisfied}, {Action: archive.ActClose}}

		at(2, 20, 9) // received in February, answered and closed in March
		feb := submit(t, svc, "2月20日来信").Number
		act(feb, dispatch...)
		at(3, 5, 10)
		act(feb, answer)
		at(3, 6, 10)
		act(feb, closeIt...)
		at(3, 1, 9) // received, answered and closed on 1 March
		mar := submit(t, svc, "3月1日来信").Number
		act(mar, dispatch...)
		at(3, 1, 15)
		act(mar, answer)
		act(mar, closeIt...)
		at(3, 3, 9) // received in March, answered in April, still open
		apr := submit(t, svc, "3月3日来信").Number
		act(apr, dispatch...)
		at(4, 2, 9)
		act(apr, answer)
		at(3, 4, 9)
		submit(t, svc, "3月4日来信，未答复")

		day := func(d string) *time.Time {
			v, _ := time.ParseInLocation(time.DateOnly, d, calendar.Zone)
			return &v
		}
		march, april := day("2021-03-01"), day("2021-04-01")
		officerB := org.User{Name: "ob", Role: org.RoleOfficer, UnitCode: "b"}
		for _, tc := range []struct {
			name  string
			u     org.User
			f     archive.Filter
			want  []string
			total bool
		}{
			{"answered in March", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april}, []string{mar, feb}, true},
			{"answered in March, oldest first", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, Sort: archive.SortOldest}, []string{feb, mar}, true},
			{"answered in March, by due time", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, Sort: archive.SortDue}, []string{feb, mar}, true},
			{"answered in March, received in March", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, From: march, To: april}, []string{mar}, true},
			{"answered in March, unit a", headA, archive.Filter{AnsweredFrom: march, AnsweredTo: april}, []string{mar, feb}, true},
			{"answered in March, unit b", officerB, archive.Filter{AnsweredFrom: march, AnsweredTo: april}, nil, true},
			{"answered in March, unit b asked", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, Unit: "b"}, nil, true},
			{"answered until April", leader, archive.Filter{AnsweredTo: april}, []string{mar, feb}, true},
			{"answered from April", leader, archive.Filter{AnsweredFrom: april}, []string{apr}, true},
			{"answered on 5 March", leader, archive.Filter{AnsweredFrom: day("2021-03-05"), AnsweredTo: day("2021-03-06")}, []string{feb}, true},
			{"answered in March and closed", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, Statuses: []archive.Status{archive.StatusClosed}}, []string{mar, feb}, false},
			{"answered in March, a channel", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, Channel: archive.ChannelOnlineBox}, []string{mar, feb}, false},
			{"closed in March", leader, archive.Filter{ClosedFrom: march, ClosedTo: april}, []string{mar, feb}, true},
			{"closed on 6 March", leader, archive.Filter{ClosedFrom: day("2021-03-06"), ClosedTo: day("2021-03-07")}, []string{feb}, true},
			{"closed in April", leader, archive.Filter{ClosedFrom: april}, nil, true},
			{"answered and closed in March", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, ClosedFrom: march, ClosedTo: april}, []string{mar, feb}, false},
			{"answered in March, words", leader, archive.Filter{AnsweredFrom: march, AnsweredTo: april, Filter: register.Filter{Query: "来信"}}, []string{mar, feb}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				f.Limit = 100
				page, err := svc.List(ctx, tc.u, f)
				if err != nil {
					t.Fatal(err)
				}
				if got := numbers(page.Items); !slices.Equal(got, tc.want) {
					t.Errorf("listed %v, want %v", got, tc.want)
				}
				switch {
				case !tc.total && page.Total != nil:
					t.Errorf("a total %d", *page.Total)
				case tc.total && (page.Total == nil || *page.Total != len(tc.want)):
					t.Errorf("total %v, want %d", page.Total, len(tc.want))
				}
				// The export reads the same items.
				var each []string
				if err := svc.Each(ctx, tc.u, withOrder(f), func(it archive.Item) error { each = append(each, it.Number); return nil }); err != nil {
					t.Fatal(err)
				}
				if len(each) != len(tc.want) {
					t.Errorf("the export read %v, want %d items", each, len(tc.want))
				}
			})
		}
		t.Run("page by page", func(t *testing.T) {
			for _, sort := range []string{archive.SortNewest, archive.SortOldest} {
				f := archive.Filter{AnsweredFrom: march, Sort: sort}
				f.Limit = 1
				var got []string
				for range 4 {
					page, err := svc.List(ctx, leader, f)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, numbers(page.Items)...)
					if page.NextCursor == "" {
						break
					}
					f.Cursor = page.NextCursor
				}
				want := []string{apr, mar, feb}
				if sort == archive.SortOldest {
					want = []string{feb, mar, apr}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: pages %v, want %v", sort, got, want)
				}
			}
		})
	})
}

func numbers(items []archive.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Number)
	}
	return out
}

// withOrder is f as an export reads it: a search whole, oldest first.
func withOrder(f archive.Filter) archive.Filter {
	if f.Query != "" && (f.Sort == "" || f.Sort == archive.SortNewest) {
		f.Sort = archive.SortOldest
	}
	return f
}

// BenchmarkItemAnswerAndClose measures what the partial indexes of the
// items answered and closed (migration 0054) cost the writes that fill
// them: an item's dispatch, signature, answer, rating and closure, with the
// indexes and with them dropped, on each database. Intake itself writes no
// entry (an item received is neither answered nor closed).
func BenchmarkItemAnswerAndClose(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		for _, indexed := range []bool{true, false} {
			name := dialect + "/indexes"
			if !indexed {
				name = dialect + "/without"
			}
			b.Run(name, func(b *testing.B) {
				db := testdb.Open(b, dialect)
				testkit.Bureau{Units: testkit.Stations, Categories: []archive.Category{testkit.Hukou("a")}}.Seed(b, db)
				if !indexed {
					for _, ix := range []string{"items_answered", "items_closed"} {
						if _, err := testdb.Raw(b, db).ExecContext(ctx, "DROP INDEX "+ix); err != nil {
							b.Fatal(err)
						}
					}
				}
				svc := archive.NewService(db, policy)
				headA := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
				numbers := make([]string, b.N)
				for i := range numbers {
					it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineBox,
						Category: "hukou", Text: "户籍咨询", Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
					if err != nil {
						b.Fatal(err)
					}
					numbers[i] = it.Number
				}
				b.ResetTimer()
				for _, n := range numbers {
					version := 1
					for _, cmd := range []archive.Command{{Action: archive.ActDispatch, Unit: "a"}, {Action: archive.ActSign}, {Action: archive.ActAnswer, Body: "已答复"},
						{Action: archive.ActVisit, Satisfaction: archive.Satisfied}, {Action: archive.ActClose}} {
						u := headA
						if cmd.Action == archive.ActDispatch {
							u = leader
						}
						cmd.Version = version
						it, err := svc.Act(ctx, u, n, cmd, false)
						if err != nil {
							b.Fatalf("%s %s: %v", n, cmd.Action, err)
						}
						version = it.Version
					}
				}
			})
		}
	}
}
