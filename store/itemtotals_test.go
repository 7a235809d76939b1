package store_test

import (
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/register"
	"minyi/store"
)

// TestItemListTotals: a list of items received in whole days, of some
// channels or any, all or only the closed, or the answered of any channel
// — what the report's opinions collected and resolved, its items answered
// and closed, and the online desk's questions link to — has a
// total, counted from the breakdown counters, that is the number of items
// it lists: an item received on the last day is counted, one received the
// day after not. Any other filter has no total.
func TestItemListTotals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		officer := org.User{Name: "oa", Role: org.RoleOfficer, UnitCode: "a"}
		headA := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
		byPhone := func(text string) archive.Item {
			t.Helper()
			it, _, err := svc.Submit(ctx, &officer, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelPhone,
				Category: "hukou", Unit: "a", Text: text})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		closed := submit(t, svc, "3月1日网上信箱，已销号") // 2021-03-01 09:00
		for _, cmd := range []archive.Command{{Action: archive.ActDispatch, Unit: "a"}, {Action: archive.ActSign}, {Action: archive.ActAnswer, Body: "已答复"},
			{Action: archive.ActVisit, Satisfaction: archive.Satisfied}, {Action: archive.ActClose}} {
			clock.Advance(time.Hour)
			u := headA
			if cmd.Action == archive.ActDispatch {
				u = leader
			}
			actNow(t, db, svc, u, closed.Number, cmd)
		}
		clock.Set(time.Date(2021, 3, 2, 23, 59, 0, 0, calendar.Zone))
		submit(t, svc, "3月2日网上信箱")
		byPhone("3月2日电话")
		clock.Set(time.Date(2021, 3, 3, 0, 0, 0, 0, calendar.Zone))
		submit(t, svc, "3月3日零点网上信箱")

		day := func(d string) *time.Time {
			v, _ := time.ParseInLocation(time.DateOnly, d, calendar.Zone)
			return &v
		}
		noon := time.Date(2021, 3, 2, 12, 0, 0, 0, calendar.Zone)
		for _, tc := range []struct {
			name string
			f    archive.Filter
			want int // -1: no total
		}{
			{"every item of two days", archive.Filter{From: day("2021-03-01"), To: day("2021-03-03")}, 3},
			{"a channel, its last day", archive.Filter{Channel: archive.ChannelOnlineBox, From: day("2021-03-02"), To: day("2021-03-03")}, 1},
			{"a channel, the day after", archive.Filter{Channel: archive.ChannelOnlineBox, From: day("2021-03-03"), To: day("2021-03-04")}, 1},
			{"two channels", archive.Filter{Channels: []archive.Channel{archive.ChannelOnlineBox, archive.ChannelPhone}, From: day("2021-03-02"), To: day("2021-03-03")}, 2},
			{"closed", archive.Filter{Statuses: []archive.Status{archive.StatusClosed}, Channel: archive.ChannelOnlineBox, From: day("2021-03-01"), To: day("2021-04-01")}, 1},
			{"unbounded", archive.Filter{}, 4},
			// With no period and no channel the counters by unit and
			// status answer: the inbox's every-item list.
			{"unbounded, a unit", archive.Filter{Unit: "a"}, 4},
			{"unbounded, another unit", archive.Filter{Unit: "b"}, 0},
			{"unbounded, closed", archive.Filter{Statuses: []archive.Status{archive.StatusClosed}}, 1},
			{"unbounded, a unit's closed", archive.Filter{Unit: "a", Statuses: []archive.Status{archive.StatusClosed}}, 1},
			{"unbounded, another unit's closed", archive.Filter{Unit: "b", Statuses: []archive.Status{archive.StatusClosed}}, 0},
			{"unbounded, a channel", archive.Filter{Channel: archive.ChannelPhone}, 1},
			{"until a day", archive.Filter{To: day("2021-03-03")}, 3},
			{"from a day", archive.Filter{From: day("2021-03-03")}, 1},
			{"a unit", archive.Filter{Unit: "a", From: day("2021-03-01"), To: day("2021-04-01")}, 4},
			{"another unit", archive.Filter{Unit: "b", From: day("2021-03-01"), To: day("2021-04-01")}, 0},
			// The items answered (the report's) are the valid answered,
			// whatever came after: the closed one.
			{"answered", archive.Filter{Answered: true, From: day("2021-03-01"), To: day("2021-04-01")}, 1},
			{"answered, a unit", archive.Filter{Answered: true, Unit: "a", From: day("2021-03-01"), To: day("2021-04-01")}, 1},
			{"answered, another unit", archive.Filter{Answered: true, Unit: "b"}, 0},
			{"answered, the day after", archive.Filter{Answered: true, From: day("2021-03-02"), To: day("2021-04-01")}, 0},
			{"answered, a channel", archive.Filter{Answered: true, Channel: archive.ChannelOnlineBox}, -1},
			{"an officer's", archive.Filter{Assignee: "oa"}, -1},
			{"words", archive.Filter{Filter: register.Filter{Query: "信箱"}}, -1},
			{"an open status", archive.Filter{Statuses: []archive.Status{archive.StatusReceived}}, -1},
			{"a kind", archive.Filter{Kind: archive.KindHelp}, -1},
			{"not a whole day", archive.Filter{From: &noon}, -1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				f.Limit = 100
				page, err := svc.List(ctx, leader, f)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case tc.want < 0 && page.Total != nil:
					t.Errorf("a total %d", *page.Total)
				case tc.want >= 0 && (page.Total == nil || *page.Total != tc.want || len(page.Items) != tc.want):
					n := -1
					if page.Total != nil {
						n = *page.Total
					}
					t.Errorf("total %d of %d listed, want %d", n, len(page.Items), tc.want)
				}
			})
		}
		// A unit head's every-item list: the units the head sees.
		for _, tc := range []struct {
			name string
			head org.User
			want int
		}{
			{"a unit head's", headA, 4},
			{"another unit head's", org.User{Name: "hb", Role: org.RoleUnitHead, UnitCode: "b"}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page, err := svc.List(ctx, tc.head, archive.Filter{Filter: register.Filter{Limit: 100}})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total == nil || *page.Total != tc.want || len(page.Items) != tc.want {
					t.Errorf("total %v of %d listed, want %d", page.Total, len(page.Items), tc.want)
				}
			})
		}
	})
}
