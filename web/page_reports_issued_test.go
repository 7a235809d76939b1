package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// TestIssuedReportPages issues the report shown on /staff/reports with its
// button, on both databases: the form sent twice issues once; the report's
// page shows it as issued with the log's position and, after a later
// publicity piece, the figure that changed (issued vs now, linked to the
// live list); the list shows both issues with the count changed; the new
// reports are listed on /staff/reports; an officer has no button and
// cannot post the form; another unit's staff cannot read the bureau's.
func TestIssuedReportPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUsers(org.User{Name: "head-a", Role: org.RoleUnitHead, UnitCode: "a"}))
		a := e.loggedIn(t, "officer-a")
		piece := func(title string) {
			t.Helper()
			form := url.Values{"title": {title}, "date": {"2021-09-13"}, "channel": {"wechat"}, "outlet": {"平安鄂托克"}}
			a.fill("/staff/publicity/new", "/staff/publicity", form)
			if p := a.post("/staff/publicity", form); p.status != http.StatusSeeOther {
				t.Fatalf("recording a piece: %d %s", p.status, p.body)
			}
		}
		piece("民警进牧区")
		period := "/staff/reports?from=2021-09-01&to=2021-09-30"
		leader := e.loggedIn(t, "leader")
		form := url.Values{}
		leader.fill(period, "/staff/reports/issue", form)
		if form.Get("form_token") == "" || !strings.Contains(leader.open(period), `name="from" value="2021-09-01"`) {
			t.Fatal("the issue form carries no form token or period")
		}
		for k, v := range map[string]string{"from": "2021-09-01", "to": "2021-09-30", "script": "hans"} {
			form.Set(k, v)
		}
		first := leader.post("/staff/reports/issue", form)
		if first.status != http.StatusSeeOther || !strings.HasPrefix(first.location, "/staff/reports/issued/") {
			t.Fatalf("issue: %d %s %s", first.status, first.location, first.body)
		}
		if again := leader.post("/staff/reports/issue", form); again.status != http.StatusSeeOther || again.location != first.location {
			t.Errorf("the form sent again: %d → %s, want %s", again.status, again.location, first.location)
		}
		mustSee(t, "the issued report", leader.get(first.location), 200, "测试局工作综述", "签发时日志位置", `id="unchanged"`, "微信公众号")

		piece("民警进社区") // a late entry for September
		form.Set("form_token", strings.Repeat("b", 43))
		if p := leader.post("/staff/reports/issue", form); p.status != http.StatusSeeOther || p.location == first.location {
			t.Fatalf("re-issue: %d %s", p.status, p.location)
		}
		mustSee(t, "the changes since", leader.get(first.location), 200, "签发后的变化", "<code>publicity.pieces</code>",
			`<a href="/staff/publicity?from=2021-09-01&amp;to=2021-09-30">2</a>`)
		mustSee(t, "the bureau's", leader.get("/staff/reports/issued?unit=*"), 200, "共2条")
		mustSee(t, "a unit's", leader.get("/staff/reports/issued?unit=a"), 200, "共0条")
		mustSee(t, "a search", leader.get("/staff/reports/issued?q=测试局"), 200, "共2条")
		list := leader.open("/staff/reports/issued")
		if !strings.Contains(list, "共2条") || strings.Count(list, "项数字有变化") != 1 || !strings.Contains(list, "无变化") {
			t.Errorf("the issued list: %s", list)
		}
		noMissingMessages(t, "/staff/reports/issued", list)
		if strings.Contains(list, "[issued.") || strings.Contains(list, "[report_kind.") {
			t.Error("a missing message on the issued list")
		}
		mustSee(t, "new reports", leader.get(period), 200, "新报告", first.location)
		mustSee(t, "the file as issued", leader.get(first.location+"/file?format=md"), 200, "# 测试局工作综述")
		if p := leader.get(first.location + "/file?format=docx"); p.status != 200 || !strings.HasPrefix(p.body, "PK") {
			t.Errorf("the Word file as issued: %d", p.status)
		}
		mustSee(t, "a bad format", leader.get(first.location+"/file?format=pdf"), http.StatusBadRequest)

		t.Run("who may", func(t *testing.T) {
			if page := a.open(period); strings.Contains(page, `action="/staff/reports/issue"`) {
				t.Error("an officer sees the issue button")
			}
			f := url.Values{"from": {"2021-09-01"}, "to": {"2021-09-30"}, "unit": {"a"}, "form_token": {strings.Repeat("c", 43)}, "csrf_token": {a.token(period)}}
			mustSee(t, "an officer issues", a.post("/staff/reports/issue", f), http.StatusForbidden)
			mustSee(t, "an officer reads the bureau's", a.get(first.location), http.StatusForbidden)
			head := e.loggedIn(t, "head-a")
			if page := head.open(period + "&unit=a"); !strings.Contains(page, `action="/staff/reports/issue"`) {
				t.Error("a unit's head has no issue button for their unit")
			}
			if page := head.open(period); strings.Contains(page, `action="/staff/reports/issue"`) {
				t.Error("a unit's head has an issue button for the bureau")
			}
		})
	})
}
