package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

func TestAPIPublicity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		matterA := newMatter(t, e, "officer-a")
		st, mb := e.do("POST", "/api/v1/matters", "officer-b", matterBody("乙所的事", "b"))
		if st != 201 {
			t.Fatalf("matter of b: %d %v", st, mb)
		}
		piece := func(day, channel, title, unit string) map[string]any {
			return map[string]any{"date": day, "channel": channel, "outlet": "平安鄂托克", "title": title, "unit": unit,
				"link": "https://mp.weixin.qq.com/s/abc"}
		}
		first := piece("2021-09-13", "wechat", "民警幫助牧民追回被盜牛羊", "a")
		first["matters"] = []any{matterA}
		st, p := e.do("POST", "/api/v1/publicity", "officer-a", first)
		if st != 201 || p["version"] != float64(1) || p["created_by"] != "officer-a" || fmt.Sprint(p["matters"]) != fmt.Sprintf("[%d]", matterA) {
			t.Fatalf("create: %d %v", st, p)
		}
		path := fmt.Sprintf("/api/v1/publicity/%v", p["id"])
		for _, pc := range []map[string]any{
			piece("2021-09-20", "wechat", "反诈宣传进社区", "a"),
			piece("2021-09-25", "mainstream_media", "鄂托克公安为民办实事", "a"),
			piece("2021-10-02", "short_video", "草原上的警察", "a"),
			piece("2021-09-14", "short_video", "乙所反诈短视频", "b"),
		} {
			user := "officer-a"
			if pc["unit"] == "b" {
				user = "officer-b"
			}
			if st, b := e.do("POST", "/api/v1/publicity", user, pc); st != 201 {
				t.Fatalf("create %v: %d %v", pc["title"], st, b)
			}
		}

		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)
		if err := conforms(schemas["PublicityPiece"], p); err != nil {
			t.Errorf("the piece does not fit its schema: %v", err)
		}
		lists := []struct {
			name, user, query string
			total             int
		}{
			{"own unit", "officer-a", "", 4},
			{"leader, all", "leader", "", 5},
			{"partner reads its unit", "partner", "", 4},
			{"channel", "leader", "?channel=short_video", 2},
			{"unit", "leader", "?unit=b", 1},
			{"period", "officer-a", "?from=2021-09-14&to=2021-09-30", 2},
			{"search, simplified", "leader", "?q=帮助牧民", 1},
			{"search, traditional", "leader", "?q=反詐", 2},
			{"page", "officer-a", "?limit=2", 4},
		}
		for _, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				st, b := e.do("GET", "/api/v1/publicity"+l.query, l.user, nil)
				if st != 200 || ledgerCount(t, b) != l.total {
					t.Errorf("%d %v, want total %d", st, b, l.total)
				}
				if err := conforms(schemas["PublicityPage"], b); err != nil {
					t.Errorf("the list does not fit its schema: %v", err)
				}
			})
		}
		st, b := e.do("GET", "/api/v1/publicity?limit=2", "officer-a", nil)
		cursor, _ := b["next_cursor"].(string)
		if st != 200 || len(ledgerIDs(b)) != 2 || cursor == "" {
			t.Fatalf("first page: %d %v", st, b)
		}
		if st, b2 := e.do("GET", "/api/v1/publicity?limit=2&cursor="+cursor, "officer-a", nil); st != 200 || len(ledgerIDs(b2)) != 2 ||
			b2["next_cursor"] != nil || ledgerIDs(b2)[0] == ledgerIDs(b)[0] {
			t.Errorf("second page: %d %v", st, b2)
		}
		if st, b := e.do("GET", "/api/v1/publicity?channel=Tik%20Tok&from=yesterday", "officer-a", nil); st != 400 ||
			fieldsOf(b)["channel"] == nil || fieldsOf(b)["from"] == nil {
			t.Errorf("bad list parameters: %d %v", st, b)
		}

		// Bad input names every field in both languages and writes nothing.
		refusals := []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"everything wrong", map[string]any{"date": "2099-01-01", "channel": "tiktok", "outlet": " ", "title": "", "unit": "a",
				"link": "javascript:alert(1)"}, []string{"date", "channel", "outlet", "title", "link"}},
			{"unknown matter", map[string]any{"date": "2021-09-13", "channel": "wechat", "outlet": "x", "title": "y", "unit": "a",
				"matters": []any{999999}}, []string{"matters"}},
			{"another unit's matter", map[string]any{"date": "2021-09-13", "channel": "wechat", "outlet": "x", "title": "y", "unit": "a",
				"matters": []any{mb["id"]}}, []string{"matters"}},
			{"unknown campaign", map[string]any{"date": "2021-09-13", "channel": "wechat", "outlet": "x", "title": "y", "unit": "a",
				"campaign": 999999}, []string{"campaign"}},
		}
		for _, r := range refusals {
			t.Run(r.name, func(t *testing.T) {
				st, b := e.do("POST", "/api/v1/publicity", "officer-a", r.body)
				if st != 400 {
					t.Errorf("%d %v, want 400", st, b)
				}
				for _, f := range r.fields {
					msg, _ := fieldsOf(b)[f].(string)
					if msg == "" {
						t.Errorf("%v does not name %s", b, f)
					}
				}
			})
		}
		if _, b := e.do("GET", "/api/v1/publicity", "leader", nil); ledgerCount(t, b) != 5 {
			t.Errorf("a refused piece was written: %v", b)
		}

		// Another unit's staff neither see nor change it, nor create into it.
		if st, _ := e.do("GET", path, "officer-b", nil); st != 403 {
			t.Errorf("officer-b reads a's: %d", st)
		}
		if st, _ := e.do("PATCH", path, "officer-b", map[string]any{"version": 1, "title": "改"}); st != 403 {
			t.Errorf("officer-b changes a's: %d", st)
		}
		if st, b := e.do("POST", "/api/v1/publicity", "officer-b", piece("2021-09-13", "wechat", "代录", "a")); st != 403 || fieldsOf(b)["unit"] == nil {
			t.Errorf("officer-b creates into a: %d %v", st, b)
		}
		// Partners read their unit's, and only read.
		if st, _ := e.do("GET", path, "partner", nil); st != 200 {
			t.Errorf("partner reads: %d", st)
		}
		if st, _ := e.do("PATCH", path, "partner", map[string]any{"version": 1, "title": "改"}); st != 403 {
			t.Errorf("partner changes: %d", st)
		}
		if st, _ := e.do("POST", "/api/v1/publicity", "partner", piece("2021-09-13", "wechat", "代录", "a")); st != 403 {
			t.Errorf("partner creates: %d", st)
		}

		// A change needs the version read; a stale one is 409.
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"title": "改"}); st != 400 || fieldsOf(b)["version"] == nil {
			t.Errorf("without version: %d %v", st, b)
		}
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "channel": "radio_tv", "link": ""})
		if st != 200 || b["version"] != float64(2) || b["channel"] != "radio_tv" || b["link"] != nil || b["title"] != "民警幫助牧民追回被盜牛羊" {
			t.Fatalf("change: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "title": "抢先"}); st != 409 {
			t.Errorf("stale: %d %v", st, b)
		}
		if st, b := e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "link": "ftp://x/y"}); st != 400 || fieldsOf(b)["link"] == nil {
			t.Errorf("bad change: %d %v", st, b)
		}
		if st, b := e.do("GET", path, "officer-a", nil); st != 200 || b["channel"] != "radio_tv" || b["version"] != float64(2) {
			t.Errorf("after the refusals: %d %v", st, b)
		}
		if st, _ := e.do("GET", "/api/v1/publicity/999999", "leader", nil); st != 404 {
			t.Errorf("unknown id: %d", st)
		}

		// The ledger summary counts the pieces per channel.
		for _, tt := range []struct {
			user, query                                     string
			pieces, wechat, mainstream, shortVideo, radioTV float64
		}{
			{"leader", "", 4, 1, 1, 1, 1},
			{"leader", "&unit=b", 1, 0, 0, 1, 0},
			{"officer-a", "", 3, 1, 1, 0, 1},
		} {
			st, b := e.do("GET", "/api/v1/ledgers/summary?from=2021-09-01&to=2021-09-30"+tt.query, tt.user, nil)
			f, _ := b["figures"].(map[string]any)["publicity"].(map[string]any)
			if st != 200 || f["pieces"] != tt.pieces || f["channel_wechat"] != tt.wechat || f["channel_mainstream_media"] != tt.mainstream ||
				f["channel_short_video"] != tt.shortVideo || f["channel_radio_tv"] != tt.radioTV || f["channel_newspaper"] != float64(0) {
				t.Errorf("%s%s: publicity %d %v", tt.user, tt.query, st, f)
			}
			if err := conforms(schemas["LedgerSummary"], b); err != nil {
				t.Errorf("the summary does not fit its schema: %v", err)
			}
		}
	})
}

// TestAPIPublicityCampaign: a piece names its campaign, the list filters by
// it, and a campaign's target on a channel counts the campaign's pieces.
func TestAPIPublicityCampaign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		body := campaignBody("我为群众办实事")
		body["targets"] = map[string]any{"publicity.channel_wechat": 2, "publicity.pieces": 4}
		st, c := e.do("POST", "/api/v1/campaigns", "leader", body)
		if st != 201 {
			t.Fatalf("campaign: %d %v", st, c)
		}
		today := time.Now().In(calendar.Zone).Format(time.DateOnly)
		for _, pc := range []map[string]any{
			{"date": today, "channel": "wechat", "outlet": "平安鄂托克", "title": "办实事", "unit": "a", "campaign": c["id"]},
			{"date": today, "channel": "short_video", "outlet": "鄂托克公安", "title": "短视频", "unit": "a", "campaign": c["id"]},
			{"date": today, "channel": "wechat", "outlet": "平安鄂托克", "title": "别的报道", "unit": "a"},
		} {
			if st, b := e.do("POST", "/api/v1/publicity", "officer-a", pc); st != 201 {
				t.Fatalf("piece: %d %v", st, b)
			}
		}
		if st, b := e.do("GET", fmt.Sprintf("/api/v1/publicity?campaign=%v", c["id"]), "officer-a", nil); st != 200 || ledgerCount(t, b) != 2 {
			t.Errorf("the campaign's pieces: %d %v", st, b)
		}
		st, b := e.do("GET", fmt.Sprintf("/api/v1/campaigns/%v/progress", c["id"]), "leader", nil)
		got := fmt.Sprint(b["targets"])
		if st != 200 || !strings.Contains(got, "actual:1 key:publicity.channel_wechat met:false percent:50 target:2") ||
			!strings.Contains(got, "actual:2 key:publicity.pieces met:false percent:50 target:4") {
			t.Errorf("progress: %d %v", st, got)
		}
	})
}
