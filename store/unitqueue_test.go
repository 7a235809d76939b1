package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/register"
	"minyi/store"
)

// TestUnitQueuePages: a unit's queue of some open statuses, read from the
// index of the unit's open items in order of receipt (migration 0057),
// lists that unit's items of those statuses only, each once, newest or
// oldest first across its pages, and another unit's queue none of them.
func TestUnitQueuePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		var fresh, dispatched []string // unit a's, in order of receipt
		for i := range 12 {
			clock.Advance(time.Minute)
			it := submit(t, svc, fmt.Sprintf("户籍咨询第%d件", i))
			if i%3 == 0 {
				clock.Advance(time.Second)
				actNow(t, db, svc, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: "a"})
				dispatched = append(dispatched, it.Number)
				continue
			}
			fresh = append(fresh, it.Number)
		}
		// A station's own calls go to the station to sign for.
		officerB := org.User{Name: "ob", Role: org.RoleOfficer, UnitCode: "b"}
		var ofB []string
		for i := range 2 {
			clock.Advance(time.Minute)
			it, _, err := svc.Submit(ctx, &officerB, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPhone,
				Unit: "b", Text: fmt.Sprintf("乙所来电第%d件", i)})
			if err != nil {
				t.Fatal(err)
			}
			ofB = append(ofB, it.Number)
		}
		for _, tc := range []struct {
			queue archive.Queue
			unit  string
			want  []string // oldest first
		}{
			{archive.QueueNew, "a", fresh},
			{archive.QueueToSign, "a", dispatched},
			{archive.QueueToSign, "b", ofB},
			{archive.QueueNew, "b", nil},
		} {
			for _, sortBy := range []string{archive.SortNewest, archive.SortOldest} {
				t.Run(fmt.Sprintf("%s of %s %s", tc.queue, tc.unit, sortBy), func(t *testing.T) {
					f := tc.queue.Filter(archive.Filter{Filter: register.Filter{Limit: 3}, Unit: tc.unit, Sort: sortBy})
					var got []string
					for range 10 {
						page, err := svc.List(ctx, leader, f)
						if err != nil {
							t.Fatal(err)
						}
						for _, it := range page.Items {
							got = append(got, it.Number)
						}
						if page.NextCursor == "" {
							break
						}
						f.Cursor = page.NextCursor
					}
					want := slices.Clone(tc.want)
					if sortBy == archive.SortNewest {
						slices.Reverse(want)
					}
					if strings.Join(got, " ") != strings.Join(want, " ") {
						t.Errorf("got %v, want %v", got, want)
					}
				})
			}
		}
	})
}
