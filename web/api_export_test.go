package web_test

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
	"minyi/web"
)

// sheetRows opens an answered workbook and returns the rows of its first
// sheet, failing unless its header row is frozen and filtered.
func sheetRows(t *testing.T, a answer) (*excelize.File, [][]string) {
	t.Helper()
	if a.status != 200 || a.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("xlsx: %d %s %.300s", a.status, a.header.Get("Content-Type"), a.body)
	}
	f, err := excelize.OpenReader(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("sheet %s: panes %+v %v, want the header frozen", sheet, p, err)
	}
	if tb, err := f.GetTables(sheet); err != nil || len(tb) != 1 || !strings.HasPrefix(tb[0].Range, "A1:") {
		t.Errorf("sheet %s: tables %+v %v, want a filter from A1", sheet, tb, err)
	}
	return f, rows
}

// csvRows reads an answered CSV, failing without its byte order mark.
func csvRows(t *testing.T, a answer) [][]string {
	t.Helper()
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s %.300s", a.status, a.header.Get("Content-Type"), a.body)
	}
	body, ok := strings.CutPrefix(a.body, "\uFEFF")
	if !ok {
		t.Fatalf("csv without a byte order mark: %.40q", a.body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// column returns the cells of rows under header.
func column(t *testing.T, rows [][]string, header string) []string {
	t.Helper()
	i := slices.Index(rows[0], header)
	if i < 0 {
		t.Fatalf("no column %s in %q", header, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		if i < len(r) {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

func TestListExports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		texts := []string{"=1+1", "+cmd", "-2+3", "@SUM(A1)"}
		for _, text := range texts { // unit a's, through the category 户籍
			if st, b := e.do("POST", "/api/v1/items", "", citizenItem(text+" 户籍")); st != 201 {
				t.Fatalf("item: %d %v", st, b)
			}
		}
		other := map[string]any{"kind": "help", "channel": "phone", "text": "乙站的求助", "unit": "b", "contact": map[string]any{"phone": "13900002222"}}
		if st, b := e.do("POST", "/api/v1/items", "officer-b", other); st != 201 || b["unit"] != "b" {
			t.Fatalf("unit b's item: %d %v", st, b)
		}

		// officer-a's items as a workbook: unit a's four, never b's, the
		// formulas neutralised, the phone masked, the days real dates.
		a := e.send("GET", "/api/v1/items?format=xlsx&sort=oldest", "officer-a", "", "")
		f, rows := sheetRows(t, a)
		if len(rows) != 5 {
			t.Fatalf("officer-a exported %d rows: %q", len(rows)-1, rows)
		}
		for i, text := range column(t, rows, "内容") {
			if want := "'" + texts[i] + " 户籍"; text != want {
				t.Errorf("row %d text %q, want %q", i+2, text, want)
			}
		}
		for _, p := range column(t, rows, "联系电话") {
			if p != "139****1111" {
				t.Errorf("phone %q, want it masked", p)
			}
		}
		if cats := column(t, rows, "分类"); cats[0] != "户籍" {
			t.Errorf("category %q, want its name 户籍", cats[0])
		}
		if units := column(t, rows, "承办单位"); slices.Contains(units, "乙站") || slices.Contains(units, "b") {
			t.Errorf("another unit's item exported: %q", units)
		}
		col := slices.Index(rows[0], "收集时间") + 1
		cell, _ := excelize.CoordinatesToCellName(col, 2)
		if typ, _ := f.GetCellType(f.GetSheetList()[0], cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("收集时间 is a text, want a date")
		}
		if raw, _ := f.GetCellValue(f.GetSheetList()[0], cell, excelize.Options{RawCellValue: true}); !strings.Contains(raw, ".") {
			t.Errorf("收集时间 raw %q, want Excel's serial day and time", raw)
		}
		cd := a.header.Get("Content-Disposition")
		if !strings.HasPrefix(cd, "attachment; filename=\"items-") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("民意档案")) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if cc := a.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}

		// The leader's CSV of the same list holds both units', the filter
		// applied as in the JSON list.
		rows = csvRows(t, e.send("GET", "/api/v1/items?format=csv&unit=b", "leader", "", ""))
		if len(rows) != 2 || column(t, rows, "内容")[0] != "乙站的求助" || column(t, rows, "联系电话")[0] != "139****2222" {
			t.Errorf("leader's CSV of unit b: %q", rows)
		}
		rows = csvRows(t, e.send("GET", "/api/v1/items?format=csv&limit=2", "leader", "", ""))
		if len(rows) != 6 {
			t.Errorf("leader's CSV holds %d rows, want all 5 whatever the page size", len(rows)-1)
		}
		if !strings.HasPrefix(column(t, rows, "收集时间")[0], "20") {
			t.Errorf("CSV day %q", column(t, rows, "收集时间")[0])
		}

		// A ledger: the matters, beneficiary masked, another unit's never.
		for _, who := range []string{"officer-a", "officer-b"} {
			if st, b := e.do("POST", "/api/v1/matters", who, matterBody("=帮助"+who, map[string]string{"officer-a": "a", "officer-b": "b"}[who])); st != 201 {
				t.Fatalf("matter: %d %v", st, b)
			}
		}
		_, rows = sheetRows(t, e.send("GET", "/api/v1/matters?format=xlsx", "officer-a", "", ""))
		if len(rows) != 2 || column(t, rows, "实事名称")[0] != "'=帮助officer-a" || column(t, rows, "服务对象电话")[0] != "139****5678" ||
			column(t, rows, "服务对象")[0] != "巴*" {
			t.Errorf("officer-a's matters: %q", rows)
		}

		// A bad format, or a bad filter, is refused naming it; so is an export
		// without a token.
		for path, field := range map[string]string{"/api/v1/items?format=pdf": "format", "/api/v1/matters?format=docx": "format",
			"/api/v1/disputes?format=xls": "format", "/api/v1/items?format=csv&kind=sad": "kind"} {
			st, b := e.do("GET", path, "leader", nil)
			if _, ok := fieldsOf(b)[field]; st != 400 || !ok {
				t.Errorf("%s: %d %v, want 400 naming %s", path, st, b, field)
			}
		}
		if st, _ := e.raw("GET", "/api/v1/items?format=csv", ""); st != 401 {
			t.Errorf("anonymous export: %d", st)
		}
	})
}

func TestListExportCap(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, withConfig(web.Config{MaxBodyBytes: 64 << 10, Dialect: db.Dialect(), ExportMaxRows: 2}))
		for i := range 3 {
			if st, b := e.do("POST", "/api/v1/items", "", citizenItem(fmt.Sprint("落户", i))); st != 201 {
				t.Fatalf("item: %d %v", st, b)
			}
			if st, b := e.do("POST", "/api/v1/matters", "officer-a", matterBody(fmt.Sprint("实事", i), "a")); st != 201 {
				t.Fatalf("matter: %d %v", st, b)
			}
		}
		for _, path := range []string{"/api/v1/items?format=csv", "/api/v1/items?format=xlsx", "/api/v1/matters?format=xlsx", "/api/v1/matters?format=csv"} {
			a := e.send("GET", path, "leader", "", "")
			if a.status != 400 || !strings.Contains(a.body, `"from"`) || !strings.Contains(a.body, "2") {
				t.Errorf("%s over the cap: %d %.200s, want 400 naming from", path, a.status, a.body)
			}
			if a.header.Get("Content-Disposition") != "" {
				t.Errorf("%s: a refusal with a file's headers", path)
			}
		}
		// A filter within the cap gets its file.
		if rows := csvRows(t, e.send("GET", "/api/v1/matters?format=csv&status=planned&unit=b", "leader", "", "")); len(rows) != 1 {
			t.Errorf("rows %q, want the header alone", rows)
		}
	})
}

func TestLedgerWorkbookAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if st, b := e.do("POST", "/api/v1/items", "", citizenItem("=落户 户籍")); st != 201 {
			t.Fatalf("item: %d %v", st, b)
		}
		other := map[string]any{"kind": "help", "channel": "phone", "text": "乙站的求助", "unit": "b", "contact": map[string]any{"phone": "13900002222"}}
		if st, b := e.do("POST", "/api/v1/items", "officer-b", other); st != 201 {
			t.Fatalf("unit b's item: %d %v", st, b)
		}
		if st, b := e.do("POST", "/api/v1/matters", "officer-b", matterBody("乙站的实事", "b")); st != 201 {
			t.Fatalf("matter: %d %v", st, b)
		}
		// officer-a's workbook (this year by default) holds unit a's item
		// alone; the leader's both.
		for who, want := range map[string]int{"officer-a": 1, "leader": 2} {
			f, rows := sheetRows(t, e.send("GET", "/api/v1/ledgers/export", who, "", ""))
			if len(rows)-1 != want || f.GetSheetList()[1] != "实事台账" {
				t.Errorf("%s: 民意档案 %q, sheets %q", who, rows, f.GetSheetList())
			}
			if who == "officer-a" && column(t, rows, "内容")[0] != "'=落户 户籍" {
				t.Errorf("officer-a's item %q", rows[1])
			}
		}
		// Another unit is 403 naming unit; a bad period 400 naming it.
		for path, want := range map[string]struct {
			status int
			field  string
		}{
			"/api/v1/ledgers/export?unit=b":                        {403, "unit"},
			"/api/v1/ledgers/export?from=2021-13-01&to=2021-12-31": {400, "from"},
			"/api/v1/ledgers/export?from=2021-12-01&to=2021-01-01": {400, "to"},
		} {
			st, b := e.do("GET", path, "officer-a", nil)
			if _, ok := fieldsOf(b)[want.field]; st != want.status || !ok {
				t.Errorf("%s: %d %v, want %d naming %s", path, st, b, want.status, want.field)
			}
		}
		if st, _ := e.raw("GET", "/api/v1/ledgers/export", ""); st != 401 {
			t.Errorf("anonymous workbook: %d", st)
		}
	})
}

func TestListExportReveal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"})
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		st, b := e.do("POST", "/api/v1/items", "", citizenItem("落户 户籍"))
		if st != 201 {
			t.Fatalf("item: %d %v", st, b)
		}
		number := b["number"].(string)
		other := map[string]any{"kind": "help", "channel": "phone", "text": "乙站的求助", "unit": "b", "contact": map[string]any{"phone": "13900002222"}}
		if st, b := e.do("POST", "/api/v1/items", "officer-b", other); st != 201 {
			t.Fatalf("unit b's item: %d %v", st, b)
		}
		mid := newMatter(t, e, "officer-a")
		newDispute(t, e, "officer-a")
		before, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}

		// officer-a's export with reveal=1: unit a's contacts in full, never
		// unit b's, and a reveal recorded on each record, naming the export,
		// without moving the record.
		rows := csvRows(t, e.send("GET", "/api/v1/items?format=csv&reveal=1", "officer-a", "", ""))
		if got := column(t, rows, "联系电话"); !slices.Equal(got, []string{"13900001111"}) {
			t.Errorf("revealed phones %q, want unit a's in full", got)
		}
		_, rows = sheetRows(t, e.send("GET", "/api/v1/matters?format=xlsx&reveal=1", "officer-a", "", ""))
		if got := column(t, rows, "服务对象电话"); !slices.Equal(got, []string{"13912345678"}) {
			t.Errorf("revealed beneficiaries %q", got)
		}
		rows = csvRows(t, e.send("GET", "/api/v1/disputes?format=csv&reveal=1", "officer-a", "", ""))
		if got := column(t, rows, "当事人"); len(got) != 1 || !strings.Contains(got[0], "巴特尔 13912345678") {
			t.Errorf("revealed parties %q", got)
		}
		evs, err := db.ItemEvents(ctx, itemID(t, e, number))
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Type != "contact_revealed" || last.Actor != "officer-a" || !strings.HasPrefix(last.Data["export"], "/api/v1/items?format=csv") {
			t.Errorf("the item's last event %+v, want the export's reveal", last)
		}
		after, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for reg, n := range map[string]int64{"items": 1, "matters": 1, "disputes": 1} {
			if after[reg]-before[reg] != n {
				t.Errorf("%s: %d events logged by the exports, want %d", reg, after[reg]-before[reg], n)
			}
		}
		if st, b := e.do("GET", fmt.Sprintf("/api/v1/matters/%d", mid), "officer-a", nil); st != 200 || b["version"].(float64) != 1 {
			t.Errorf("the matter after the export: %d %v, want version 1", st, b)
		}

		// Masked stays masked and unrecorded; those who may not reveal are
		// refused; reveal is for exports of the lists that hold personal data.
		rows = csvRows(t, e.send("GET", "/api/v1/items?format=csv&reveal=0", "officer-a", "", ""))
		if got := column(t, rows, "联系电话"); !slices.Equal(got, []string{"139****1111"}) {
			t.Errorf("reveal=0 phones %q", got)
		}
		for _, c := range []struct {
			path, who, field string
			status           int
		}{
			{"/api/v1/items?format=csv&reveal=1", "aux-a", "", 403},
			{"/api/v1/matters?format=xlsx&reveal=1", "partner", "", 403},
			{"/api/v1/disputes?format=csv&reveal=1", "aux-a", "", 403},
			{"/api/v1/items?reveal=1", "officer-a", "reveal", 400},
			{"/api/v1/matters?reveal=1", "officer-a", "reveal", 400},
			{"/api/v1/items?format=csv&reveal=yes", "officer-a", "reveal", 400},
			{"/api/v1/publicity?format=csv&reveal=1", "officer-a", "reveal", 400},
		} {
			a := e.send("GET", c.path, c.who, "", "")
			if a.status != c.status || (c.field != "" && !strings.Contains(a.body, `"`+c.field+`"`)) {
				t.Errorf("%s by %s: %d %.200s, want %d naming %q", c.path, c.who, a.status, a.body, c.status, c.field)
			}
		}
		final, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for reg := range map[string]bool{"items": true, "matters": true, "disputes": true} {
			if final[reg] != after[reg] {
				t.Errorf("%s: %d events logged by masked or refused exports", reg, final[reg]-after[reg])
			}
		}
	})
}

// itemID is the id of the item numbered number.
func itemID(t *testing.T, e *env, number string) int64 {
	t.Helper()
	it, err := e.db.Item(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	return it.ID
}

// TestLedgerWorkbookCampaign: with campaign= the registers that carry a
// campaign hold its records only (the publicity sheet here), while the
// archive, which carries none, is the period's whole; a campaign that is
// not a number is 400 naming it.
func TestLedgerWorkbookCampaign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		if st, b := e.do("POST", "/api/v1/items", "", citizenItem("落户 户籍")); st != 201 {
			t.Fatalf("item: %d %v", st, b)
		}
		id := newCampaign(t, e, "我为群众办实事")
		today := time.Now().In(calendar.Zone).Format(time.DateOnly)
		for title, camp := range map[string]int64{"活动中的报道": id, "平常的报道": 0} {
			body := map[string]any{"date": today, "channel": "wechat", "outlet": "平安鄂托克", "title": title, "unit": "a"}
			if camp != 0 {
				body["campaign"] = camp
			}
			if st, b := e.do("POST", "/api/v1/publicity", "officer-a", body); st != 201 {
				t.Fatalf("piece: %d %v", st, b)
			}
		}
		for query, want := range map[string][]string{"": {"平常的报道", "活动中的报道"}, fmt.Sprintf("?campaign=%d", id): {"活动中的报道"}} {
			a := e.send("GET", "/api/v1/ledgers/export"+query, "leader", "", "")
			f, items := sheetRows(t, a)
			if len(items) != 2 {
				t.Errorf("%q: the archive holds %d items, want 1", query, len(items)-1)
			}
			rows, err := f.GetRows("宣传报道")
			if err != nil {
				t.Fatal(err)
			}
			got := column(t, rows, "标题")
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%q: publicity %q, want %q", query, got, want)
			}
			if query != "" && !strings.Contains(a.header.Get("Content-Disposition"), fmt.Sprintf("campaign-%d", id)) {
				t.Errorf("%q: file %q does not name the campaign", query, a.header.Get("Content-Disposition"))
			}
		}
		for _, bad := range []string{"x", "0", "-3"} {
			st, b := e.do("GET", "/api/v1/ledgers/export?campaign="+bad, "leader", nil)
			if _, ok := fieldsOf(b)["campaign"]; st != 400 || !ok {
				t.Errorf("campaign=%s: %d %v, want 400 naming campaign", bad, st, b)
			}
		}
	})
}
