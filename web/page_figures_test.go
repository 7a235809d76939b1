package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestFiguresPage checks the figures of the ledgers page: the pieces a
// unit records show in its publicity table with a link to the same
// records, every register the summary answers has a table, a bad period
// is shown again with its field named, and a unit's officer asking for
// another unit is refused, as by the API.
func TestFiguresPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		for _, channel := range []string{"wechat", "wechat", "short_video"} {
			form := url.Values{"title": {"民警进牧区" + channel}, "date": {"2021-09-13"}, "channel": {channel}, "outlet": {"平安鄂托克"}}
			a.fill("/staff/publicity/new", "/staff/publicity", form)
			if p := a.post("/staff/publicity", form); p.status != http.StatusSeeOther {
				t.Fatalf("recording a piece: %d %s", p.status, p.body)
			}
		}
		period := "from=2021-01-01&to=2021-10-31"
		_, api := e.do("GET", "/api/v1/ledgers/summary?"+period, "officer-a", nil)
		figures, _ := api["figures"].(map[string]any)
		if len(figures) == 0 {
			t.Fatalf("the summary answers no register: %v", api)
		}

		tests := []struct {
			name, query string
			status      int
			wants       []string
		}{
			{"the unit's figures", period, 200, []string{"工作数据汇总", "统计期间：2021-01-01 至 2021-10-31", `id="reg-publicity"`,
				`<tr data-key="channel_wechat"><th scope="row">微信公众号报道篇数</th><td class="num"><a href="/staff/publicity?channel=wechat&amp;from=2021-01-01&amp;to=2021-10-31">2</a>`,
				`<tr data-key="channel_short_video"><th scope="row">短视频个数</th><td class="num"><a href="/staff/publicity?channel=short_video&amp;from=2021-01-01&amp;to=2021-10-31">1</a>`,
				`<tr data-key="pieces"><th scope="row">宣传报道篇数</th><td class="num"><a href="/staff/publicity?from=2021-01-01&amp;to=2021-10-31">3</a>`}},
			{"another year", "from=2020-01-01&to=2020-12-31", 200, []string{`<tr data-key="pieces"><th scope="row">宣传报道篇数</th><td class="num"><a href="/staff/publicity?from=2020-01-01&amp;to=2020-12-31">0</a>`}},
			{"a bad period", "from=yesterday", 400, []string{`id="errors"`, `value="yesterday"`}},
			{"a bad campaign", "campaign=x", 400, []string{`id="errors"`, "活动编号须为正整数"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { mustSee(t, tt.name, a.get("/staff/figures?"+tt.query), tt.status, tt.wants...) })
		}
		page := a.open("/staff/figures?" + period)
		for register := range figures {
			if !strings.Contains(page, `id="reg-`+register+`"`) {
				t.Errorf("the summary's register %s has no table", register)
			}
		}
		noMissingMessages(t, "/staff/figures", page)
		// The link leads to a list of the same count.
		mustSee(t, "the linked list", a.get("/staff/publicity?channel=wechat&from=2021-01-01&to=2021-10-31"), 200, "共2条")

		mustSee(t, "another unit's figures", e.loggedIn(t, "officer-b").get("/staff/figures?unit=a&"+period), http.StatusForbidden, "只能查看本单位的数据")
		mustSee(t, "the other unit's own figures", e.loggedIn(t, "officer-b").get("/staff/figures?"+period), 200,
			`<tr data-key="pieces"><th scope="row">宣传报道篇数</th><td class="num"><a href="/staff/publicity?from=2021-01-01&amp;to=2021-10-31">0</a>`)
	})
}
