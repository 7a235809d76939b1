package web_test

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// exportLinks are the hrefs of a page's export links, by format.
var exportLink = regexp.MustCompile(`<a href="([^"]*format=(xlsx|csv)[^"]*)" download>`)

// exportLinks returns the page's export links by format, failing unless
// it offers both.
func exportLinks(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range exportLink.FindAllStringSubmatch(body, -1) {
		out[m[2]] = html.UnescapeString(m[1])
	}
	if out["xlsx"] == "" || out["csv"] == "" || !strings.Contains(body, "导出 Excel") || !strings.Contains(body, "导出 CSV") {
		t.Fatalf("no export links (导出 Excel, 导出 CSV) on the page: %v", out)
	}
	return out
}

// download follows a link as the signed-in staffer.
func (s *staffer) download(href string) answer {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.base+href, nil)
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func TestPageExports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, text := range []string{"=1+1 户籍", "新生儿落户 户籍", "身份证补办 户籍"} {
			if st, b := e.do("POST", "/api/v1/items", "", citizenItem(text)); st != 201 {
				t.Fatalf("item: %d %v", st, b)
			}
		}
		other := map[string]any{"kind": "help", "channel": "phone", "text": "乙站的求助", "unit": "b", "contact": map[string]any{"phone": "13900002222"}}
		if st, b := e.do("POST", "/api/v1/items", "officer-b", other); st != 201 {
			t.Fatalf("unit b's item: %d %v", st, b)
		}
		for _, m := range []struct{ who, title, unit string }{{"officer-a", "帮助牧民秋收", "a"}, {"officer-a", "护送学生返校", "a"}, {"officer-b", "乙站实事", "b"}} {
			if st, b := e.do("POST", "/api/v1/matters", m.who, matterBody(m.title, m.unit)); st != 201 {
				t.Fatalf("matter: %d %v", st, b)
			}
		}
		s := e.loggedIn(t, "leader")

		// The inbox searched: its links carry the search, and the file holds
		// the rows the page shows, none of the others.
		body := s.open("/staff?queue=all&q=落户")
		links := exportLinks(t, body)
		if !strings.Contains(links["xlsx"], "q=") || strings.Contains(links["xlsx"], "cursor=") {
			t.Errorf("the inbox's link %q does not carry the search", links["xlsx"])
		}
		_, rows := sheetRows(t, s.download(links["xlsx"]))
		texts := column(t, rows, "内容")
		if !slices.Equal(texts, []string{"新生儿落户 户籍"}) || !strings.Contains(body, "新生儿落户") {
			t.Errorf("the searched inbox exported %q", texts)
		}
		rows = csvRows(t, s.download(links["csv"]))
		if !slices.Equal(column(t, rows, "内容"), []string{"新生儿落户 户籍"}) {
			t.Errorf("the searched inbox's CSV %q", rows)
		}

		// The matters of unit a: the page's two, in its order.
		body = s.open("/staff/matters?unit=a")
		links = exportLinks(t, body)
		rows = csvRows(t, s.download(links["csv"]))
		titles := column(t, rows, "实事名称")
		if len(titles) != 2 || slices.Contains(titles, "乙站实事") {
			t.Fatalf("unit a's matters exported %q", titles)
		}
		if strings.Index(body, titles[0]) > strings.Index(body, titles[1]) {
			t.Errorf("the file's order %q is not the page's", titles)
		}

		// Every ledger's list offers both links, and they download.
		for _, path := range []string{"/staff/measures", "/staff/volunteer", "/staff/points", "/staff/publicity", "/staff/disputes",
			"/staff/cases", "/staff/surveys", "/staff/campaigns", "/staff/bookings", "/staff/services", "/staff/indicators"} {
			links := exportLinks(t, s.open(path+"?q="))
			if a := s.download(links["xlsx"]); a.status != 200 || a.header.Get("Content-Disposition") == "" {
				t.Errorf("%s: the workbook %d %.200s", path, a.status, a.body)
			}
			csvRows(t, s.download(links["csv"]))
		}

		// A unit's officer downloads their own unit's rows only.
		o := e.loggedIn(t, "officer-a")
		rows = csvRows(t, o.download(exportLinks(t, o.open("/staff/matters"))["csv"]))
		if titles := column(t, rows, "实事名称"); len(titles) != 2 || slices.Contains(titles, "乙站实事") {
			t.Errorf("officer-a exported %q", titles)
		}

		// The figures page links to the period's workbook.
		body = s.open("/staff/figures")
		m := regexp.MustCompile(`<a href="(/staff/figures/ledgers\.xlsx\?[^"]*)" download>`).FindStringSubmatch(body)
		if m == nil || !strings.Contains(body, "下载本期台账") {
			t.Fatalf("no workbook link on the figures page")
		}
		f, rows := sheetRows(t, s.download(html.UnescapeString(m[1])))
		if len(rows) != 5 || f.GetSheetList()[1] != "实事台账" {
			t.Errorf("the figures' workbook: %d items, sheets %q", len(rows)-1, f.GetSheetList())
		}

		// The dashboard's tables: the units ranked, then the other tables.
		links = exportLinks(t, s.open("/staff/dashboard"))
		f, rows = sheetRows(t, s.download(links["xlsx"]))
		if sheets := f.GetSheetList(); !slices.Equal(sheets, []string{"单位排名", "超期件", "每周收件", "按分类", "按渠道"}) {
			t.Errorf("the dashboard's sheets %q", sheets)
		}
		if received := column(t, rows, "收件"); len(received) == 0 {
			t.Errorf("the dashboard's units %q", rows)
		}
		rows = csvRows(t, s.download(links["csv"]))
		if rows[0][1] != "单位" || len(rows) < 2 {
			t.Errorf("the dashboard's CSV %q", rows)
		}

		// A bad format is refused as the API refuses it.
		if p := s.get("/staff/matters?format=pdf"); p.status != 400 {
			t.Errorf("format=pdf: %d", p.status)
		}
	})
}
