package store_test

import (
	"testing"
	"time"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestDeskTotalByUnit: the online desk's count of a period (the report's
// desk replies) counts, for a unit, exactly its answered and published
// questions received in the period, as the list of them holds.
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
		}{
			{"every unit", archive.Filter{From: &from, To: &to}, 3},
			{"unit a", archive.Filter{Unit: "a", From: &from, To: &to}, 2},
			{"unit b", archive.Filter{Unit: "b", From: &from, To: &to}, 1},
			{"units a and b", archive.Filter{Units: []string{"a", "b"}, From: &from, To: &to}, 3},
			{"unit a, no period", archive.Filter{Unit: "a"}, 2},
			{"unit a, another period", archive.Filter{Unit: "a", From: &to, To: &later}, 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.f.Public = true
				page, err := svc.List(ctx, leader, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total == nil || *page.Total != tc.want || len(page.Items) != tc.want {
					t.Fatalf("total %v, %d items, want %d", page.Total, len(page.Items), tc.want)
				}
			})
		}
	})
}
