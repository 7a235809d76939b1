package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"minyi"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/publicity"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

// puPiece is a WeChat piece of unit a about the matters ms.
func puPiece(day, title string, ms ...int64) publicity.Piece {
	return publicity.Piece{Date: day, Channel: publicity.ChannelWeChat, Outlet: "平安鄂托克", Title: title,
		Link: "https://mp.weixin.qq.com/s/abc", Unit: "a", Matters: ms}
}

func TestPublicityStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		matters := maFixture(t, db)
		m, err := matters.Create(bg, maOfficerA, maNew("追回被盗牲畜"))
		if err != nil {
			t.Fatal(err)
		}
		mb := maNew("乙所的事")
		mb.Unit, mb.Branch, mb.Lead, mb.Participants = "b", "", "officer-b", nil
		if mb, err = matters.Create(bg, maOfficerB, mb); err != nil {
			t.Fatal(err)
		}
		svc := &publicity.Service{Store: db, Now: testkit.NewClock(vaNow).Now}

		pc := puPiece("2021-09-13", "派出所民警帮助牧民追回被盗牛羊", m.ID, m.ID)
		pc.Branch = "branch-a"
		got, err := svc.Create(bg, maOfficerA, pc)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == 0 || got.Version != 1 || !slices.Equal(got.Matters, []int64{m.ID}) {
			t.Fatalf("created %+v", got)
		}
		read, err := svc.Get(bg, maOfficerA, got.ID)
		if err != nil || read.Title != pc.Title || read.Channel != publicity.ChannelWeChat || read.Branch != "branch-a" ||
			!slices.Equal(read.Matters, []int64{m.ID}) || read.Link != pc.Link {
			t.Fatalf("read %+v, %v", read, err)
		}
		if _, err := svc.Get(bg, maOfficerB, got.ID); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("another unit's officer reads: %v", err)
		}

		refusals := []struct {
			name  string
			pc    publicity.Piece
			field string
		}{
			{"unknown matter", puPiece("2021-09-13", "x", 99999), "matters"},
			{"another unit's matter", puPiece("2021-09-13", "x", mb.ID), "matters"},
			{"unknown campaign", func() publicity.Piece { p := puPiece("2021-09-13", "x"); p.Campaign = 999; return p }(), "campaign"},
			{"another unit's branch", func() publicity.Piece { p := puPiece("2021-09-13", "x"); p.Branch = "nope"; return p }(), "branch"},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				_, err := svc.Create(bg, maOfficerA, r.pc)
				if fields := testkit.Fields(err); !slices.Contains(fields, r.field) {
					t.Errorf("refusal names %v (%v), want %s", fields, err, r.field)
				}
			})
		}

		// A change names its version; a stale one is refused and writes nothing.
		title := "民警帮助牧民追回被盗牛羊"
		changed, err := svc.Update(bg, maOfficerA, got.ID, 1, publicity.Patch{Title: &title})
		if err != nil || changed.Version != 2 || changed.Title != title {
			t.Fatalf("changed %+v, %v", changed, err)
		}
		other := "别的标题"
		if _, err := svc.Update(bg, maOfficerA, got.ID, 1, publicity.Patch{Title: &other}); minyi.ErrorCode(err) != minyi.EConflict {
			t.Errorf("stale change: %v", err)
		}
		if read, _ := svc.Get(bg, maOfficerA, got.ID); read.Title != title || read.Version != 2 {
			t.Errorf("after the stale change: %+v", read)
		}
		var n int
		if err := testdb.Raw(t, db).QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM events WHERE register = 'publicity' AND record_id = %d", got.ID)).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d events in the log (%v), want recorded and changed", n, err)
		}

		// More pieces: another channel, another day, another unit.
		video := puPiece("2021-10-02", "短视频：草原上的警察")
		video.Channel, video.Link = publicity.ChannelShortVideo, ""
		if _, err := svc.Create(bg, maOfficerA, video); err != nil {
			t.Fatal(err)
		}
		b := puPiece("2021-10-05", "乙所开展反诈宣传")
		b.Unit = "b"
		if _, err := svc.Create(bg, maOfficerB, b); err != nil {
			t.Fatal(err)
		}

		lists := []struct {
			name string
			u    org.User
			f    publicity.Filter
			want []string
		}{
			{"own unit", maOfficerA, publicity.Filter{}, []string{"短视频：草原上的警察", title}},
			{"leader sees all", maLeader, publicity.Filter{}, []string{"乙所开展反诈宣传", "短视频：草原上的警察", title}},
			{"channel", maLeader, publicity.Filter{Channel: publicity.ChannelWeChat}, []string{"乙所开展反诈宣传", title}},
			{"period", maLeader, publicity.Filter{From: "2021-10-01", To: "2021-10-03"}, []string{"短视频：草原上的警察"}},
			{"branch", maLeader, publicity.Filter{Branch: "branch-a"}, []string{title}},
			{"search, traditional script", maLeader, publicity.Filter{Filter: register.Filter{Query: "幫助"}}, []string{title}},
		}
		for _, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				page, err := svc.List(bg, l.u, l.f)
				if err != nil {
					t.Fatal(err)
				}
				var titles []string
				for _, p := range page.Items {
					titles = append(titles, p.Title)
				}
				if !slices.Equal(titles, l.want) || page.Total == nil || *page.Total != len(l.want) {
					t.Errorf("listed %v (total %v), want %v", titles, page.Total, l.want)
				}
			})
		}

		figs, err := svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-10-31"})
		if err != nil {
			t.Fatal(err)
		}
		if figs["pieces"] != 3 || figs["channel_wechat"] != 2 || figs["channel_short_video"] != 1 || figs["channel_radio_tv"] != 0 {
			t.Errorf("figures %v", figs)
		}
		if figs, _ := svc.Figures(bg, reporting.Filter{From: "2021-09-01", To: "2021-10-31", Units: []string{"b"}}); figs["pieces"] != 1 {
			t.Errorf("unit b's figures %v", figs)
		}
	})
}

// TestPublicityConcurrentChanges: changes from the same version sent at
// once: one wins, the others are conflicts, and the log holds one change.
func TestPublicityConcurrentChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		maFixture(t, db)
		svc := &publicity.Service{Store: db, Now: testkit.NewClock(vaNow).Now}
		pc, err := svc.Create(bg, maOfficerA, puPiece("2021-09-13", "并发"))
		if err != nil {
			t.Fatal(err)
		}
		ok := raceWrites(t, 4, func(i int) error {
			title := fmt.Sprintf("并发%d", i)
			_, err := svc.Update(bg, maOfficerA, pc.ID, 1, publicity.Patch{Title: &title})
			return err
		})
		got, _ := db.Piece(bg, pc.ID)
		if ok != 1 || got.Version != 2 {
			t.Errorf("%d succeeded; stored version %d", ok, got.Version)
		}
		if n, err := db.VerifyByRegister(bg); err != nil || n[publicity.Register] != 2 {
			t.Errorf("verify %v %v", n, err)
		}
	})
}
