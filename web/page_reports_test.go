package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/officetest"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestReportPages writes the summary report on its page: the publicity a
// unit records is stated with a link to its list, whose total is the
// figure; the downloads; refusals shown with the field; another unit 403;
// and the admins' template editor previews, refuses a template with its
// line (nothing saved) and saves a new version the report then uses.
func TestReportPages(t *testing.T) {
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
		link := `<a class="fig" href="/staff/publicity?channel=wechat&amp;from=2021-01-01&amp;to=2021-10-31" data-figure="publicity.channel_wechat"`
		for _, tt := range []struct {
			name, query string
			status      int
			wants       []string
		}{
			{"the unit's report", period, 200, []string{"工作综述", "微信公众号报道", link, `@page`, `href="/staff/reports/file?format=html&amp;from=2021-01-01&amp;to=2021-10-31"`,
				`href="/staff/reports/file?format=docx&amp;from=2021-01-01&amp;to=2021-10-31"`,
				`href="/staff/figures?from=2021-01-01&amp;to=2021-10-31"`}},
			{"traditional", period + "&script=hant", 200, []string{"宣傳報道", link}},
			{"a bad period", "from=2021-05-01&to=2021-01-01", 400, []string{`id="errors"`, "结束日期不能早于开始日期"}},
			{"a bad campaign", "campaign=x", 400, []string{`id="errors"`, "活动编号须为正整数"}},
			{"an empty period", "from=2001-01-01&to=2001-12-31", 200, []string{"暂无可统计的记录"}},
		} {
			t.Run(tt.name, func(t *testing.T) { mustSee(t, tt.name, a.get("/staff/reports?"+tt.query), tt.status, tt.wants...) })
		}
		page := a.open("/staff/reports?" + period)
		noMissingMessages(t, "/staff/reports", page)
		if strings.Contains(page, "[reports.") {
			t.Errorf("a missing message on the report page")
		}
		// The linked list's total is the figure.
		mustSee(t, "the linked list", a.get("/staff/publicity?channel=wechat&from=2021-01-01&to=2021-10-31"), 200, "共2条")
		mustSee(t, "another unit's report", e.loggedIn(t, "officer-b").get("/staff/reports?unit=a&"+period), http.StatusForbidden, "只能查看本单位的数据")

		t.Run("downloads", func(t *testing.T) {
			p := a.get("/staff/reports/file?format=md&" + period)
			if p.status != 200 || !strings.Contains(p.body, "微信公众号报道[2](/staff/publicity?channel=wechat&from=2021-01-01&to=2021-10-31)篇") {
				t.Errorf("Markdown: %d %s", p.status, p.body)
			}
			p = a.get("/staff/reports/file?format=html&" + period)
			if p.status != 200 || !strings.Contains(p.body, "<!doctype html>") || !strings.Contains(p.body, link) {
				t.Errorf("HTML: %d %s", p.status, p.body)
			}
			p = a.get("/staff/reports/file?format=docx&" + period)
			if p.status != 200 {
				t.Fatalf("Word: %d %s", p.status, p.body)
			}
			if text, _ := officetest.XMLText(t, []byte(p.body)); !strings.Contains(text, "微信公众号报道2篇") {
				t.Errorf("the Word document does not say 微信公众号报道2篇:\n%s", text)
			}
			if p := a.get("/staff/reports/file?format=pdf&" + period); p.status != 400 {
				t.Errorf("pdf: %d", p.status)
			}
		})

		t.Run("the template editor", func(t *testing.T) {
			if p := a.get("/staff/admin/report-template"); p.status != http.StatusForbidden {
				t.Errorf("an officer opens the editor: %d", p.status)
			}
			admin := e.loggedIn(t, "admin")
			mustSee(t, "the editor", admin.get("/staff/admin/report-template"), 200, "当前使用内置的默认模板", `{{define &#34;listening&#34;}}`)
			mine := "{{define \"intro\"}}本局宣传报道{{fig \"publicity.pieces\"}}篇。{{end}}"
			form := url.Values{"text": {mine}, "version": {"0"}, "action": {"preview"}}
			admin.fill("/staff/admin/report-template", "/staff/admin/report-template", form)
			mustSee(t, "a preview", admin.post("/staff/admin/report-template", form), 200, "本局宣传报道")
			bad := url.Values{"text": {"{{define \"intro\"}}\n\n{{fig \"publicity.bogus\"}}{{end}}"}, "version": {"0"}, "action": {"save"}}
			admin.fill("/staff/admin/report-template", "/staff/admin/report-template", bad)
			mustSee(t, "a bad template", admin.post("/staff/admin/report-template", bad), 400, "模板第3行有误", "publicity.bogus")
			save := url.Values{"text": {mine}, "version": {"0"}, "action": {"save"}}
			admin.fill("/staff/admin/report-template", "/staff/admin/report-template", save)
			if p := admin.post("/staff/admin/report-template", save); p.status != http.StatusSeeOther {
				t.Fatalf("save: %d %s", p.status, p.body)
			}
			mustSee(t, "the saved version", admin.get("/staff/admin/report-template"), 200, "当前使用第1版")
			mustSee(t, "the report with it", a.get("/staff/reports?"+period), 200, "本局宣传报道")
			admin.fill("/staff/admin/report-template", "/staff/admin/report-template", save)
			mustSee(t, "a stale save", admin.post("/staff/admin/report-template", save), http.StatusConflict, "不是最新版本")
		})
	})
}
