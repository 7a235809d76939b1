package store_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"minyi"
	"minyi/dispute"
	"minyi/indicator"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/matter"
	"minyi/measure"
	"minyi/org"
	"minyi/publicity"
	"minyi/register"
	"minyi/servicepoint"
	"minyi/store"
	"minyi/volunteer"
)

// eachLikeList checks that each (a register's streamed door) gives the
// rows the list gives page after page (pages of 2, by cursor), alike, in
// the order of their ids, and returns them.
func eachLikeList[T any](t *testing.T, list func(cursor string) (register.Page[T], error), id func(T) int64,
	each func(fn func(T) error) error) []T {
	t.Helper()
	var paged, whole []T
	for cursor := ""; ; {
		p, err := list(cursor)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, p.Items...)
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	slices.SortFunc(paged, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	if err := each(func(r T) error { whole = append(whole, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(whole) == 0 && len(paged) == 0 {
		return nil
	}
	if !reflect.DeepEqual(whole, paged) {
		t.Fatalf("read whole %d rows, the list's pages %d (or not alike)", len(whole), len(paged))
	}
	return whole
}

// TestEachMatter: on both databases, the matters read whole (Service.Each,
// the ledgers' workbook), in chunks smaller than the period, are the
// matters the list gives page after page — shown alike (the beneficiary
// masked), scoped to the reader's units — oldest first; a search is
// refused and a cancelled reading stops.
func TestEachMatter(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		for i := range 11 {
			m, u := maNew("事项"), maOfficerA
			if i%3 == 2 {
				m.Unit, m.Branch, m.Lead, m.Participants, u = "b", "", "", nil, maOfficerB
			}
			c, err := svc.Create(bg, u, m)
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				v := c.Version
				for _, cmd := range []matter.Command{{Action: matter.ActStart}, {Action: matter.ActComplete, Story: "办完", Outcomes: map[string]int64{"sheep": 3}}} {
					if c, err = svc.Act(bg, u, c.ID, &v, cmd); err != nil {
						t.Fatalf("%d %s: %v", i, cmd.Action, err)
					}
					v = c.Version
				}
			}
		}
		for _, u := range []org.User{maLeader, maOfficerA, maOfficerB} {
			for _, f := range []matter.Filter{{}, {Status: matter.StatusDone, From: "2021-09-01", To: "2021-09-30"}, {Unit: "b"}} {
				t.Run(u.Name+" "+string(f.Status)+f.Unit, func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[matter.Matter], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(m matter.Matter) int64 { return m.ID }, func(fn func(matter.Matter) error) error { return svc.Each(bg, u, f, fn) })
					want := map[string]int{"leader": 11, "officer-a": 8, "officer-b": 3}[u.Name]
					if f.Status != "" {
						want = map[string]int{"leader": 6, "officer-a": 4, "officer-b": 2}[u.Name]
					}
					if f.Unit == "b" && u.Name != "officer-a" {
						want = 3
					} else if f.Unit == "b" {
						want = 0
					}
					if len(got) != want {
						t.Fatalf("read %d matters whole, want %d", len(got), want)
					}
					for _, m := range got {
						if m.Beneficiary.Phone == "13912345678" {
							t.Fatalf("matter %d's beneficiary read in full", m.ID)
						}
					}
				})
			}
		}
		t.Run("cancelled", func(t *testing.T) {
			cctx, cancel := context.WithCancel(bg)
			defer cancel()
			n := 0
			err := svc.Each(cctx, maLeader, matter.Filter{}, func(matter.Matter) error {
				if n++; n == 2 {
					cancel()
				}
				return nil
			})
			if err == nil || n != 3 {
				t.Fatalf("cancelled at the 2nd matter: read %d (want the chunk of 3), %v", n, err)
			}
		})
		if db.Dialect() == "sqlite" {
			t.Run("plans", func(t *testing.T) {
				// The registers' streamed doors read in the order filed
				// (eachByID): the period's ids by its index, then the rows
				// by id, chunk after chunk; never the period's range read
				// again and sorted for each chunk.
				raw := testdb.Raw(t, db)
				var seen [][2]any
				db.TraceQueries(func(q string, args []any) { seen = append(seen, [2]any{q, args}) })
				defer db.TraceQueries(nil)
				f := matter.Filter{Status: matter.StatusDone, From: "2021-09-01", To: "2021-09-30"}
				if err := svc.Each(bg, maLeader, f, func(matter.Matter) error { return nil }); err != nil {
					t.Fatal(err)
				}
				byID := 0
				for _, q := range seen {
					plan := ksPlan(t, raw, q[0].(string), q[1].([]any))
					if strings.Contains(plan, "USE TEMP B-TREE FOR ORDER BY") || strings.Contains(plan, "SCAN matters") {
						t.Errorf("sorted or scanned:\n%s\n%s", q[0], plan)
					}
					if strings.Contains(plan, "SEARCH matters USING INTEGER PRIMARY KEY (rowid=?)") {
						byID++
					}
				}
				if byID != 2 { // 6 matters done, 3 a chunk
					t.Errorf("%d queries read the matters by id, want 2", byID)
					for _, q := range seen {
						t.Logf("%s\n%s", q[0], ksPlan(t, raw, q[0].(string), q[1].([]any)))
					}
				}
			})
		}
		t.Run("search refused", func(t *testing.T) {
			err := svc.Each(bg, maLeader, matter.Filter{Filter: register.Filter{Query: "事项"}}, func(matter.Matter) error { return nil })
			if minyi.ErrorCode(err) != minyi.EInvalid {
				t.Fatalf("a search read whole: %v", err)
			}
		})
	})
}

// TestEachActivity: on both databases, the volunteer activities read whole
// (Service.Each, the ledgers' workbook), in chunks smaller than the
// period, are the activities the list gives page after page, with their
// participants, scoped to the reader's units, oldest first; a search is
// refused and a bad day too.
func TestEachActivity(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _ := vaFixture(t, db)
		for i := range 11 {
			unit := []string{"a", "b"}[i%2]
			day := []string{"2021-09-13", "2021-08-02", "2021-10-30", "2021-09-01"}[i%4]
			if _, err := svc.Create(bg, mtLeader, vaActivity(day, "活动", unit)); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range []org.User{mtLeader, mtOfficerA, mtOfficerB} {
			for _, f := range []volunteer.Filter{{}, {From: "2021-09-01", To: "2021-09-30"}, {Unit: "b"}} {
				t.Run(u.Name+" "+f.From+f.Unit, func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[volunteer.Activity], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(a volunteer.Activity) int64 { return a.ID }, func(fn func(volunteer.Activity) error) error { return svc.Each(bg, u, f, fn) })
					want := map[string]int{"leader": 11, "officer-a": 6, "officer-b": 5}[u.Name]
					if f.From != "" {
						want = map[string]int{"leader": 5, "officer-a": 3, "officer-b": 2}[u.Name]
					} else if f.Unit == "b" {
						want = map[string]int{"leader": 5, "officer-a": 0, "officer-b": 5}[u.Name]
					}
					if len(got) != want {
						t.Fatalf("read %d activities whole, want %d", len(got), want)
					}
					for _, a := range got {
						if len(a.Participants) != 1 {
							t.Fatalf("activity %d read with participants %v", a.ID, a.Participants)
						}
					}
				})
			}
		}
		t.Run("refused", func(t *testing.T) {
			for _, f := range []volunteer.Filter{{Filter: register.Filter{Query: "活动"}}, {From: "2021-9-1"}} {
				err := svc.Each(bg, mtLeader, f, func(volunteer.Activity) error { return nil })
				if minyi.ErrorCode(err) != minyi.EInvalid {
					t.Fatalf("%+v read whole: %v", f, err)
				}
			}
		})
	})
}

// TestEachDispute: on both databases, the disputes read whole
// (Service.Each, the ledgers' workbook), in chunks smaller than the
// period, are the disputes the list gives page after page — shown alike
// (the parties masked), scoped to the reader's units — oldest first; a
// search is refused and a cancelled reading stops.
func TestEachDispute(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, _, _ := diFixture(t, db)
		for i := range 11 {
			d, u := diNew("草场边界争议"), maAuxA
			d.FoundOn = []string{"2021-09-01", "2021-08-20", "2021-09-10"}[i%3]
			if i%2 == 1 {
				d.Unit, d.Branch, u = "b", "", maOfficerB
			}
			if _, err := svc.Create(bg, u, d); err != nil {
				t.Fatalf("%d: %v", i, err)
			}
		}
		for _, u := range []org.User{maLeader, maOfficerA, maOfficerB} {
			for _, f := range []dispute.Filter{{}, {From: "2021-09-01", To: "2021-09-30"}, {Unit: "b"}} {
				t.Run(u.Name+" "+f.From+f.Unit, func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[dispute.Dispute], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(d dispute.Dispute) int64 { return d.ID }, func(fn func(dispute.Dispute) error) error { return svc.Each(bg, u, f, fn) })
					want := map[string]int{"leader": 11, "officer-a": 6, "officer-b": 5}[u.Name]
					if f.From != "" {
						want = map[string]int{"leader": 7, "officer-a": 4, "officer-b": 3}[u.Name]
					} else if f.Unit == "b" {
						want = map[string]int{"leader": 5, "officer-a": 0, "officer-b": 5}[u.Name]
					}
					if len(got) != want {
						t.Fatalf("read %d disputes whole, want %d", len(got), want)
					}
					for _, d := range got {
						if d.Parties[0].Phone == "13912345678" {
							t.Fatalf("dispute %d's parties read in full", d.ID)
						}
					}
				})
			}
		}
		t.Run("cancelled", func(t *testing.T) {
			cctx, cancel := context.WithCancel(bg)
			defer cancel()
			n := 0
			err := svc.Each(cctx, maLeader, dispute.Filter{}, func(dispute.Dispute) error {
				if n++; n == 2 {
					cancel()
				}
				return nil
			})
			if err == nil || n != 3 {
				t.Fatalf("cancelled at the 2nd dispute: read %d (want the chunk of 3), %v", n, err)
			}
		})
		t.Run("search refused", func(t *testing.T) {
			err := svc.Each(bg, maLeader, dispute.Filter{Filter: register.Filter{Query: "草场"}}, func(dispute.Dispute) error { return nil })
			if minyi.ErrorCode(err) != minyi.EInvalid {
				t.Fatalf("a search read whole: %v", err)
			}
		})
	})
}

// TestEachMeasure: on both databases, the measures read whole
// (Service.Each, the ledgers' workbook), in chunks smaller than the
// period, are the measures the list gives page after page, with their
// links, scoped to the reader's units, oldest first; a search is refused.
func TestEachMeasure(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, matterID, itemA, itemB := meFixture(t, db)
		for i := range 11 {
			m, u := meNew("错时延时服务"), maOfficerA
			m.Items, m.Matters = []string{itemA}, []int64{matterID}
			if i%2 == 1 {
				m.Unit, m.Branch, m.Items, m.Matters, u = "b", "", []string{itemB}, nil, maOfficerB
			}
			c, err := svc.Create(bg, u, m)
			if err != nil {
				t.Fatalf("%d: %v", i, err)
			}
			if i%3 != 1 {
				v := c.Version
				if _, err := svc.Act(bg, u, c.ID, &v, measure.Command{Action: measure.ActImplement, Day: "2021-07-01"}); err != nil {
					t.Fatalf("%d: %v", i, err)
				}
			}
		}
		for _, u := range []org.User{maLeader, maOfficerA, maOfficerB} {
			for _, f := range []measure.Filter{{}, {Status: measure.StatusImplemented, From: "2021-07-01", To: "2021-07-31"}, {Unit: "b"}} {
				t.Run(u.Name+" "+f.From+f.Unit, func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[measure.Measure], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(m measure.Measure) int64 { return m.ID }, func(fn func(measure.Measure) error) error { return svc.Each(bg, u, f, fn) })
					want := map[string]int{"leader": 11, "officer-a": 6, "officer-b": 5}[u.Name]
					if f.From != "" {
						want = map[string]int{"leader": 7, "officer-a": 4, "officer-b": 3}[u.Name]
					} else if f.Unit == "b" {
						want = map[string]int{"leader": 5, "officer-a": 0, "officer-b": 5}[u.Name]
					}
					if len(got) != want {
						t.Fatalf("read %d measures whole, want %d", len(got), want)
					}
					for _, m := range got {
						if len(m.Items) != 1 {
							t.Fatalf("measure %d read with items %v", m.ID, m.Items)
						}
					}
				})
			}
		}
		t.Run("search refused", func(t *testing.T) {
			err := svc.Each(bg, maLeader, measure.Filter{Filter: register.Filter{Query: "错时"}}, func(measure.Measure) error { return nil })
			if minyi.ErrorCode(err) != minyi.EInvalid {
				t.Fatalf("a search read whole: %v", err)
			}
		})
	})
}

// TestEachPiece: on both databases, the publicity pieces read whole
// (Service.Each, the ledgers' workbook), in chunks smaller than the
// period, are the pieces the list gives page after page, with the matters
// they report, scoped to the reader's units, oldest first; a search is
// refused and a bad day too.
func TestEachPiece(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		matters := maFixture(t, db)
		ma, err := matters.Create(bg, maOfficerA, maNew("追回被盗牲畜"))
		if err != nil {
			t.Fatal(err)
		}
		svc := &publicity.Service{Store: db, Now: testkit.NewClock(vaNow).Now}
		for i := range 11 {
			p, u := puPiece([]string{"2021-09-13", "2021-08-02", "2021-09-01"}[i%3], "报道", ma.ID), maOfficerA
			if i%2 == 1 {
				p.Unit, p.Matters, u = "b", nil, maOfficerB
			}
			if _, err := svc.Create(bg, u, p); err != nil {
				t.Fatalf("%d: %v", i, err)
			}
		}
		for _, u := range []org.User{maLeader, maOfficerA, maOfficerB} {
			for _, f := range []publicity.Filter{{}, {From: "2021-09-01", To: "2021-09-30"}, {Unit: "b"}} {
				t.Run(u.Name+" "+f.From+f.Unit, func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[publicity.Piece], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(p publicity.Piece) int64 { return p.ID }, func(fn func(publicity.Piece) error) error { return svc.Each(bg, u, f, fn) })
					want := map[string]int{"leader": 11, "officer-a": 6, "officer-b": 5}[u.Name]
					if f.From != "" {
						want = map[string]int{"leader": 7, "officer-a": 4, "officer-b": 3}[u.Name]
					} else if f.Unit == "b" {
						want = map[string]int{"leader": 5, "officer-a": 0, "officer-b": 5}[u.Name]
					}
					if len(got) != want {
						t.Fatalf("read %d pieces whole, want %d", len(got), want)
					}
					for _, p := range got {
						if (p.Unit == "a") != (len(p.Matters) == 1) {
							t.Fatalf("piece %d of %s read with matters %v", p.ID, p.Unit, p.Matters)
						}
					}
				})
			}
		}
		t.Run("refused", func(t *testing.T) {
			for _, f := range []publicity.Filter{{Filter: register.Filter{Query: "报道"}}, {From: "2021-9-1"}} {
				err := svc.Each(bg, maLeader, f, func(publicity.Piece) error { return nil })
				if minyi.ErrorCode(err) != minyi.EInvalid {
					t.Fatalf("%+v read whole: %v", f, err)
				}
			}
		})
	})
}

// TestEachPoint: on both databases, the service points read whole
// (Service.Each, the ledgers' workbook), in chunks smaller than their
// number, are the points the list gives page after page, scoped to the
// reader's units, oldest first; a search is refused and a bad status too.
func TestEachPoint(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		_, svc := vaFixture(t, db)
		for i := range 11 {
			p, u := servicepoint.Point{Name: "便民服务站", Unit: "a", Address: "村委会", Services: []string{"户籍办理"}}, mtOfficerA
			if i%2 == 1 {
				p.Unit, u = "b", mtOfficerB
			}
			if _, err := svc.Create(bg, u, p); err != nil {
				t.Fatalf("%d: %v", i, err)
			}
		}
		for _, u := range []org.User{mtLeader, mtOfficerA, mtOfficerB} {
			for _, f := range []servicepoint.Filter{{}, {Unit: "b"}, {Status: servicepoint.StatusActive}} {
				t.Run(u.Name+" "+f.Unit+string(f.Status), func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[servicepoint.Point], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(p servicepoint.Point) int64 { return p.ID }, func(fn func(servicepoint.Point) error) error { return svc.Each(bg, u, f, fn) })
					want := map[string]int{"leader": 11, "officer-a": 6, "officer-b": 5}[u.Name]
					if f.Unit == "b" {
						want = map[string]int{"leader": 5, "officer-a": 0, "officer-b": 5}[u.Name]
					}
					if len(got) != want {
						t.Fatalf("read %d points whole, want %d", len(got), want)
					}
				})
			}
		}
		t.Run("refused", func(t *testing.T) {
			for _, f := range []servicepoint.Filter{{Filter: register.Filter{Query: "便民"}}, {Status: "gone"}} {
				err := svc.Each(bg, mtLeader, f, func(servicepoint.Point) error { return nil })
				if minyi.ErrorCode(err) != minyi.EInvalid {
					t.Fatalf("%+v read whole: %v", f, err)
				}
			}
		})
	})
}

// TestEachEntry: on both databases, the indicators' entries read whole
// (Service.Each, the ledgers' workbook), in chunks smaller than their
// number, are the entries the list gives page after page (the current
// ones, or the history), scoped to the reader's units, oldest first; a
// bad month is refused.
func TestEachEntry(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 3
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := inFixture(t, db)
		for i := range 11 {
			unit, u := "a", mtOfficerA
			if i%2 == 1 {
				unit, u = "b", mtOfficerB
			}
			inEnter(t, svc, u, []string{"criminal_cases_solved", "administrative_cases"}[i%4/2], unit, []string{"2021-01", "2021-02", "2021-03"}[i%3], int64(i))
		}
		for _, u := range []org.User{mtLeader, mtOfficerA, mtOfficerB} {
			for _, f := range []indicator.Filter{{}, {From: "2021-02", To: "2021-03"}, {Unit: "b", History: true}} {
				t.Run(u.Name+" "+f.From+f.Unit, func(t *testing.T) {
					got := eachLikeList(t, func(c string) (register.Page[indicator.Entry], error) {
						g := f
						g.Limit, g.Cursor = 2, c
						return svc.List(bg, u, g)
					}, func(e indicator.Entry) int64 { return e.ID }, func(fn func(indicator.Entry) error) error { return svc.Each(bg, u, f, fn) })
					if u.Name == "leader" && f.Unit == "b" && len(got) != 5 {
						t.Fatalf("read %d of b's entries whole, want 5", len(got))
					}
					if u.Name == "officer-a" && f.Unit == "b" && len(got) != 0 {
						t.Fatalf("officer a reads %d of b's entries", len(got))
					}
				})
			}
		}
		t.Run("refused", func(t *testing.T) {
			err := svc.Each(bg, mtLeader, indicator.Filter{From: "2021-1"}, func(indicator.Entry) error { return nil })
			if minyi.ErrorCode(err) != minyi.EInvalid {
				t.Fatalf("a bad month read whole: %v", err)
			}
		})
	})
}
