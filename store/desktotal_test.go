package store_test

import (
	"strconv"
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestDeskTotalByUnit: the online desk's count of a period (the report's
// desk replies) counts, for a unit, exactly its answered and published
// questions received in the period, as the list of them holds; filtered by
// officer in charge, the desk has no count but the list's own (the
// questions li answered were never assigned to li).
func TestDeskTotalByUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		// ask submits a desk question, dispatched to unit and answered
		// in public when answer is set.
		ask := func(unit string, publish, answer bool) {
			t.Helper()
			now.Advance(time.Hour)
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
				Category: "hukou", Text: "户籍迁移需要什么材料？", Publish: publish})
			if err != nil {
				t.Fatal(err)
			}
			actNow(t, db, svc, leader, it.Number, archive.Command{Action: archive.ActDispatch, Unit: unit})
			if !answer {
				return
			}
			officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: unit}
			actNow(t, db, svc, officer, it.Number, archive.Command{Action: archive.ActSign})
			actNow(t, db, svc, officer, it.Number, archive.Command{Action: archive.ActAnswer, Body: "请带户口簿到窗口办理。"})
		}
		from := now.Now()
		ask("a", true, true)
		ask("a", true, true)
		ask("a", false, true) // not published
		ask("a", true, false) // not answered
		ask("b", true, true)
		to := now.Now().Add(time.Hour)
		later := to.Add(24 * time.Hour)
		tests := []struct {
			name string
			f    archive.Filter
			want int
			// listed: the count is the list's own or none (a filter the
			// desk's index cannot count).
			listed bool
		}{
			{"every unit", archive.Filter{From: &from, To: &to}, 3, false},
			{"unit a", archive.Filter{Unit: "a", From: &from, To: &to}, 2, false},
			{"unit b", archive.Filter{Unit: "b", From: &from, To: &to}, 1, false},
			{"units a and b", archive.Filter{Units: []string{"a", "b"}, From: &from, To: &to}, 3, false},
			{"unit a, no period", archive.Filter{Unit: "a"}, 2, false},
			{"unit a, another period", archive.Filter{Unit: "a", From: &to, To: &later}, 0, false},
			{"officer li", archive.Filter{Assignee: "li"}, 0, true},
			{"officer li, unit a, a period", archive.Filter{Assignee: "li", Unit: "a", From: &from, To: &to}, 0, true},
			{"the reader", archive.Filter{Assignee: archive.AssigneeMe}, 0, true},
			{"no officer", archive.Filter{Assignee: archive.AssigneeNone}, 0, true},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.f.Public = true
				page, err := svc.List(ctx, leader, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if tc.listed && len(page.Items) == tc.want && (page.Total == nil || *page.Total == tc.want) {
					return
				}
				if page.Total == nil || *page.Total != tc.want || len(page.Items) != tc.want {
					total := "none"
					if page.Total != nil {
						total = strconv.Itoa(*page.Total)
					}
					t.Fatalf("total %s, %d items, want %d", total, len(page.Items), tc.want)
				}
			})
		}
	})
}
