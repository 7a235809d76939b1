package store_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"minyi"
	"minyi/internal/testdb"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/store"
)

// TestEachCase: on both databases, the cases read whole (Service.Each, the
// ledgers' workbook), in chunks smaller than the period, are the cases the
// list gives page after page — the same cases shown alike (the applicant
// masked unless the reader needs to know), scoped to what the reader may
// see — in the order filed (by id); a search is refused and a cancelled
// reading stops.
func TestEachCase(t *testing.T) {
	defer func(n int) { *store.IDChunk = n }(*store.IDChunk)
	*store.IDChunk = 4
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc, clock := osFixture(t, db)
		d := osDefine(t, svc)
		other, err := svc.CreateDefinition(bg, osAdmin, onestop.Definition{Code: "id-card", Name: "身份证补领", Active: true,
			Steps: []onestop.Step{{Name: "受理", Unit: "zwzx", LimitDays: 2}, {Name: "制证", Unit: "a", LimitDays: 5}}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 23 {
			clock.Advance(time.Duration(i%3) * 24 * time.Hour)
			o := onestop.Opening{Service: d.ID, Applicant: onestop.Applicant{Name: "乌云其木格", Phone: "13912345678"}, Received: osMaterials}
			if i%4 == 3 {
				o.Service, o.Received = other.ID, nil
			}
			if i%3 == 1 {
				o.Proxy = "proxy-a"
			}
			c, err := svc.Open(bg, osClerk, o)
			if err != nil {
				t.Fatal(err)
			}
			if i%5 == 2 {
				_, err = svc.Act(bg, osClerk, c.ID, &c.Version, onestop.Command{Action: onestop.ActAdvance})
			} else if i%7 == 0 {
				_, err = svc.Act(bg, osLeader, c.ID, &c.Version, onestop.Command{Action: onestop.ActCancel, Reason: "申请人撤回"})
			}
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
		}
		seen := map[[2]bool]bool{} // overdue and masked of the brief cases
		for _, u := range []org.User{osLeader, osClerk, osCentre, osOfficer, osProxy, osOther} {
			for _, f := range []onestop.Filter{{}, {From: "2021-03-10", To: "2021-03-25"}, {Status: onestop.StatusOpen}} {
				t.Run(u.Name+" "+f.From+f.To+string(f.Status), func(t *testing.T) {
					var paged, each []onestop.Case
					for g := f; ; {
						g.Limit = 5
						p, err := svc.List(bg, u, g)
						if err != nil {
							t.Fatal(err)
						}
						paged = append(paged, p.Items...)
						if g.Cursor = p.NextCursor; g.Cursor == "" {
							break
						}
					}
					slices.SortFunc(paged, func(a, b onestop.Case) int { return cmp.Compare(a.ID, b.ID) })
					if err := svc.Each(bg, u, f, func(c onestop.Case) error { each = append(each, c); return nil }); err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(each, paged) {
						t.Fatalf("read whole %d cases, the list's pages %d (or not alike)", len(each), len(paged))
					}
					// Brief, as the ledgers' workbook reads them: the same
					// cases, shown alike, with only the ledger row's fields.
					g := f
					g.Brief = true
					var brief []onestop.Case
					if err := svc.Each(bg, u, g, func(c onestop.Case) error { brief = append(brief, c); return nil }); err != nil {
						t.Fatal(err)
					}
					if len(brief) != len(each) {
						t.Fatalf("read brief %d cases, whole %d", len(brief), len(each))
					}
					for i, c := range brief {
						if got, want := c.Brief(), each[i].Brief(); !reflect.DeepEqual(got, want) {
							t.Fatalf("case %d brief:\n%+v\nwant\n%+v", i, got, want)
						}
						seen[[2]bool{c.Overdue, c.Masked}] = true
					}
					if u == osLeader && f.From == "" && f.Status == "" && len(each) != 23 {
						t.Fatalf("the leader reads %d cases whole, want 23", len(each))
					}
				})
			}
		}
		if len(seen) != 4 {
			t.Fatalf("the brief cases were overdue or not, masked or not, only as %v: want each", seen)
		}
		t.Run("masked", func(t *testing.T) {
			n := 0
			if err := svc.Each(bg, osLeader, onestop.Filter{}, func(c onestop.Case) error {
				if c.Applicant.Phone == "13912345678" {
					n++
				}
				return nil
			}); err != nil || n != 0 {
				t.Fatalf("the leader reads %d phones in full (%v)", n, err)
			}
		})
		t.Run("cancelled", func(t *testing.T) {
			cctx, cancel := context.WithCancel(bg)
			defer cancel()
			n := 0
			err := svc.Each(cctx, osLeader, onestop.Filter{}, func(onestop.Case) error {
				if n++; n == 2 {
					cancel()
				}
				return nil
			})
			if err == nil || n != 4 {
				t.Fatalf("cancelled at the 2nd case: read %d (want the chunk of 4), %v", n, err)
			}
			// Brief, read a row at a time, it stops at the next case.
			cctx, cancel = context.WithCancel(bg)
			defer cancel()
			n = 0
			err = svc.Each(cctx, osLeader, onestop.Filter{Brief: true}, func(onestop.Case) error {
				if n++; n == 2 {
					cancel()
				}
				return nil
			})
			if minyi.ErrorCode(err) != minyi.EUnavailable || n != 2 {
				t.Fatalf("brief, cancelled at the 2nd case: read %d, %v", n, err)
			}
		})
		t.Run("changed while read", func(t *testing.T) {
			// A case cancelled while the open cases are read, before its
			// chunk, is not read: each chunk applies the filter again.
			f := onestop.Filter{Status: onestop.StatusOpen}
			var before []int64
			var last onestop.Case
			if err := svc.Each(bg, osLeader, f, func(c onestop.Case) error { before, last = append(before, c.ID), c; return nil }); err != nil {
				t.Fatal(err)
			}
			if len(before) <= *store.IDChunk {
				t.Fatalf("%d open cases: not enough for two chunks", len(before))
			}
			var read []int64
			err := svc.Each(bg, osLeader, f, func(c onestop.Case) error {
				if len(read) == 0 {
					if _, err := svc.Act(bg, osLeader, last.ID, &last.Version, onestop.Command{Action: onestop.ActCancel, Reason: "申请人撤回"}); err != nil {
						return err
					}
				}
				read = append(read, c.ID)
				return nil
			})
			if want := before[:len(before)-1]; err != nil || !slices.Equal(read, want) {
				t.Fatalf("read %v (%v), want %v: the case cancelled meanwhile left out", read, err, want)
			}
		})
		t.Run("search refused", func(t *testing.T) {
			err := svc.Each(bg, osLeader, onestop.Filter{Filter: register.Filter{Query: "乌云"}}, func(onestop.Case) error { return nil })
			if minyi.ErrorCode(err) != minyi.EInvalid {
				t.Fatalf("a search read whole: %v", err)
			}
		})
	})
}
