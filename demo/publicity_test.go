package demo_test

import (
	"context"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/indicator"
	"minyi/internal/testdb"
	"minyi/internal/wire"
	"minyi/publicity"
	"minyi/register"
	"minyi/reporting"
	"minyi/store"
)

// TestPublicityAndIndicators loads the demo on each database and reads the
// seed's publicity and indicator figures back from the records through the
// ledger summary and its API: 156 mainstream-media pieces, 370 WeChat
// articles and 20 short videos; 293 criminal cases solved and 854
// administrative cases handled, summed from monthly entries one of which
// was corrected.
func TestPublicityAndIndicators(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		items := archive.NewService(db, archive.Policy{Calendar: calendar.Default()})
		res, err := demo.Load(ctx, demo.Env{Store: db, Policy: items.Policy()})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		leader, err := db.UserByName(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			register, key string
			n             int64
		}{
			{publicity.Register, "channel_mainstream_media", demo.MainstreamPieces},
			{publicity.Register, "channel_wechat", demo.WeChatPieces},
			{publicity.Register, "channel_short_video", demo.ShortVideos},
			{publicity.Register, "pieces", demo.MainstreamPieces + demo.WeChatPieces + demo.ShortVideos},
			{indicator.Register, "criminal_cases_solved", demo.CriminalCasesSolved},
			{indicator.Register, "administrative_cases", demo.AdministrativeCases},
		}
		check := func(t *testing.T, figs map[string]reporting.Figures) {
			for _, w := range want {
				if got := figs[w.register][w.key]; got != w.n {
					t.Errorf("%s.%s = %d, want %d", w.register, w.key, got, w.n)
				}
			}
		}
		t.Run("summary", func(t *testing.T) {
			r, err := wire.Reports(db, items).Summary(ctx, leader, reporting.Filter{From: "2021-01-01", To: "2021-10-31"})
			if err != nil {
				t.Fatal(err)
			}
			check(t, r.Registers)
		})
		t.Run("summary through the API", func(t *testing.T) {
			var got struct {
				Figures map[string]reporting.Figures `json:"figures"`
			}
			apiGet(t, db, items, res.AdminToken, "/api/v1/ledgers/summary?from=2021-01-01&to=2021-10-31", &got)
			check(t, got.Figures)
		})
		t.Run("pieces report matters and the campaign", func(t *testing.T) {
			pieces := &publicity.Service{Store: db, Settings: db}
			page, err := pieces.List(ctx, leader, publicity.Filter{Filter: registerQuery("牲畜盗窃案退赃大会")})
			if err != nil || *page.Total != 2 || len(page.Items[0].Matters) != 1 || page.Items[0].Campaign == 0 {
				t.Fatalf("the livestock story's pieces: %+v, %v", page, err)
			}
			all, err := pieces.List(ctx, leader, publicity.Filter{Campaign: page.Items[0].Campaign})
			if err != nil || *all.Total < 50 || *all.Total >= demo.MainstreamPieces+demo.WeChatPieces+demo.ShortVideos {
				t.Errorf("the campaign's pieces: %v, %v", *all.Total, err)
			}
			wechat, err := pieces.List(ctx, leader, publicity.Filter{Channel: publicity.ChannelWeChat, Filter: registerQuery("鄂托克公安")})
			if err != nil || *wechat.Total == 0 {
				t.Errorf("the WeChat pieces of 鄂托克公安: %v", err)
			}
		})
		t.Run("a corrected month", func(t *testing.T) {
			c := demo.CorrectedEntry
			svc := &indicator.Service{Store: db}
			page, err := svc.List(ctx, leader, indicator.Filter{Indicator: c.Indicator, Unit: c.Unit, From: c.Month, To: c.Month, History: true})
			if err != nil || len(page.Items) != 2 || !page.Items[0].Current || page.Items[1].Current ||
				page.Items[0].Supersedes != page.Items[1].ID || page.Items[1].Value != page.Items[0].Value+1 {
				t.Fatalf("the corrected month's history: %+v, %v", page.Items, err)
			}
			months, err := svc.List(ctx, leader, indicator.Filter{Indicator: c.Indicator, Unit: c.Unit, From: "2021-01", To: "2021-12"})
			if err != nil || *months.Total != 10 {
				t.Errorf("%v current entries of %s, want one a month", *months.Total, c.Unit)
			}
		})
	})
}

// registerQuery is a list's filter by words.
func registerQuery(q string) register.Filter { return register.Filter{Query: q} }
