package web_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/locale"
	"minyi/org"
	"minyi/store"
)

// postSheet sends the import form as the page does: the form's fields and
// the workbook as its file.
func (s *staffer) postSheet(form url.Values, name string, book []byte) page {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if book != nil {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(book)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/staff/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(req)
}

var hiddenData = regexp.MustCompile(`name="data" value="([^"]+)"`)

// The import page's journey: template, check, problems by row and column,
// confirmation, a reload of the confirmation writing nothing more.
func TestImportPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		st := e.loggedIn(t, "officer-a")
		body := st.open("/staff/import?ledger=volunteer-activities")
		for _, want := range []string{`action="/staff/import"`, `enctype="multipart/form-data"`, `href="/staff/import/matters/template.xlsx"`,
			`<option value="volunteer-activities" selected>`, `name="mode" value="check"`, `href="/staff/import"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		tpl := st.get("/staff/import/volunteer-activities/template.xlsx")
		if tpl.status != http.StatusOK || len(tpl.body) < 1000 {
			t.Fatalf("template: %d", tpl.status)
		}
		token := st.token("/staff/import")
		headers := []string{"活动日期", "活动名称", "单位", "志愿者人数"}

		// Problems: named by row and column, nothing written.
		bad := filled(t, []byte(tpl.body), headers, [][]any{{"2021-10-12", "巡逻", "a", 2}, {"2021-10-45", "", "b", "两个"}})
		p := st.postSheet(url.Values{"csrf_token": {token}, "ledger": {"volunteer-activities"}, "mode": {"import"}}, "活动.xlsx", bad)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad rows: %d %s", p.status, p.body)
		}
		text := html.UnescapeString(p.body)
		for _, want := range []string{"<td class=\"num\">3</td><td>活动日期</td>", "<td>活动名称</td>", "<td>单位</td>", "<td>志愿者人数</td>", "发现4个问题"} {
			if !strings.Contains(text, want) {
				t.Errorf("the problems lack %s", want)
			}
		}
		if _, b := e.do("GET", "/api/v1/volunteer-activities", "officer-a", nil); ledgerCount(t, b) != 0 {
			t.Fatalf("bad rows wrote %v", b)
		}
		// A Mongolian reader reads the problems in Mongolian (locale/errors.json).
		st.lang = "mn"
		p = st.postSheet(url.Values{"csrf_token": {token}, "ledger": {"volunteer-activities"}, "mode": {"import"}}, "活动.xlsx", bad)
		if want, _ := locale.Default().ErrorText(locale.Mn, "须为整数：两个"); want == "" || !strings.Contains(html.UnescapeString(p.body), want) {
			t.Errorf("the problems in Mongolian lack %q: %s", want, p.body)
		}
		st.lang = "zh-CN"

		// A clean check shows the first rows and a confirmation carrying the file.
		good := filled(t, []byte(tpl.body), headers, [][]any{{"2021-10-12", "巡逻", "a", 2}, {excelDay("2021-10-13"), "宣传", "甲派出所", 3}})
		p = st.postSheet(url.Values{"csrf_token": {token}, "ledger": {"volunteer-activities"}, "mode": {"check"}}, "活动.xlsx", good)
		m := hiddenData.FindStringSubmatch(p.body)
		if p.status != http.StatusOK || m == nil || !strings.Contains(p.body, "宣传") || !strings.Contains(p.body, "确认导入2条") ||
			!strings.Contains(p.body, "<td>2021-10-13</td>") {
			t.Fatalf("check: %d %s", p.status, p.body)
		}
		if _, b := e.do("GET", "/api/v1/volunteer-activities", "officer-a", nil); ledgerCount(t, b) != 0 {
			t.Fatalf("a check wrote %v", b)
		}
		confirm := url.Values{"csrf_token": {token}, "ledger": {"volunteer-activities"}, "mode": {"import"}, "data": {html.UnescapeString(m[1])}, "file_name": {"活动.xlsx"}}
		p = st.postSheet(confirm, "", nil)
		if p.status != http.StatusSeeOther || p.location != "/staff/volunteer" {
			t.Fatalf("confirm: %d %s %s", p.status, p.location, p.body)
		}
		if list := st.open("/staff/volunteer"); !strings.Contains(list, "已导入2条志愿服务活动") || !strings.Contains(list, "宣传") {
			t.Errorf("the list after the import lacks the flash or the rows")
		}
		// The confirmation sent again (a reload, a double click): refused, nothing more written.
		p = st.postSheet(confirm, "", nil)
		if p.status != http.StatusConflict || !strings.Contains(p.body, "不能重复导入") && !strings.Contains(p.body, "未重复导入") {
			t.Errorf("the confirmation again: %d %s", p.status, p.body)
		}
		if _, b := e.do("GET", "/api/v1/volunteer-activities", "officer-a", nil); ledgerCount(t, b) != 2 {
			t.Errorf("after the second confirmation: %v", b)
		}

		// The page in every language.
		for lang, want := range map[string]string{"en": "Import a ledger", "zh-TW": "導入", "zh-CN": "导入台账"} {
			st.lang = lang
			if body := st.open("/staff/import"); !strings.Contains(body, want) || strings.Contains(body, "import.") {
				t.Errorf("%s: the page lacks %s or shows a message key", lang, want)
			}
		}
		st.lang = "zh-CN"

		// Not a workbook; no file; without the anti-forgery token.
		if p := st.postSheet(url.Values{"csrf_token": {token}, "ledger": {"matters"}, "mode": {"check"}}, "a.xlsx", []byte("标题,内容")); p.status != http.StatusBadRequest || !strings.Contains(p.body, "不是有效的Excel") {
			t.Errorf("not a workbook: %d %s", p.status, p.body)
		}
		if p := st.postSheet(url.Values{"csrf_token": {token}, "ledger": {"matters"}, "mode": {"check"}}, "", nil); p.status != http.StatusBadRequest {
			t.Errorf("no file: %d", p.status)
		}
		if p := st.postSheet(url.Values{"ledger": {"matters"}, "mode": {"check"}}, "a.xlsx", good); p.status != http.StatusForbidden {
			t.Errorf("without the token: %d", p.status)
		}
	})
}

// Partners read only: neither the page nor the form nor a template.
func TestImportPagePartner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withUsers(org.User{Name: "partner-a", Role: org.RolePartner, UnitCode: "a"}))
		st := e.loggedIn(t, "partner-a")
		if p := st.get("/staff/import"); p.status != http.StatusForbidden {
			t.Errorf("page: %d", p.status)
		}
		if p := st.get("/staff/import/matters/template.xlsx"); p.status != http.StatusForbidden {
			t.Errorf("template: %d", p.status)
		}
		if strings.Contains(st.open("/staff/matters"), `href="/staff/import"`) {
			t.Errorf("the navigation offers partners the import")
		}
		token := st.tokenIn("/staff/matters", st.open("/staff/matters"))
		if p := st.postSheet(url.Values{"csrf_token": {token}, "ledger": {"matters"}, "mode": {"check"}}, "a.xlsx", []byte("x")); p.status != http.StatusForbidden {
			t.Errorf("form: %d", p.status)
		}
	})
}
