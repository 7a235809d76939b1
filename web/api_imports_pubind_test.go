package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestAPIImportIndicators imports a year's monthly values from the
// template: every bad row named by its row and column (nothing written,
// dry run or not), a good file written at once and refused the second
// time, and a later file correcting a month, whose history then holds
// both values.
func TestAPIImportIndicators(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		tmpl := e.template("indicator-entries", "officer-a")
		f, err := excelize.OpenReader(bytes.NewReader(tmpl))
		if err != nil {
			t.Fatal(err)
		}
		if notes, _ := f.GetRows("填写说明"); !strings.Contains(strings.Join(notes[2], "|"), "criminal_cases_solved（破获刑事案件）") {
			t.Errorf("the indicator's notes do not list the indicators: %v", notes[2])
		}
		headers := []string{"单位", "指标", "月份", "数值", "备注"}
		good := []any{"甲派出所", "破获刑事案件", "2021-01", 12, ""}
		bad := func(col int, v any) []any {
			r := append([]any(nil), good...)
			r[col] = v
			return r
		}
		rows := [][]any{good,
			bad(0, "丙派出所"),                 // row 3: no such unit
			bad(0, "b"),                    // row 4: another unit's (officer-a)
			bad(1, "破获案件"),                 // row 5: no such indicator
			bad(2, "2021-13"),              // row 6: not a month
			bad(2, "2999-01"),              // row 7: a month ahead (the register's own rule)
			bad(3, "十二"),                   // row 8: not a number
			bad(3, -1),                     // row 9: out of range
			bad(3, ""),                     // row 10: required
			good,                           // row 11: the same month again
			bad(2, excelDay("2021-02-15")), // row 12: a day of February: good
		}
		want := []struct {
			row    int
			column string
		}{{3, "单位"}, {4, "单位"}, {5, "指标"}, {6, "月份"}, {7, "月份"}, {8, "数值"}, {9, "月份"}, {9, "数值"}, {10, "数值"}, {11, "月份"}}
		book := filled(t, tmpl, headers, rows)
		for _, dry := range []bool{true, false} {
			st, res, body := e.upload("indicator-entries", "officer-a", book, dry)
			if st != http.StatusUnprocessableEntity || res.Written != 0 || res.ErrorCount != len(want) {
				t.Fatalf("dry run %v: %d %s", dry, st, body)
			}
			for i, w := range want {
				if got := res.Errors[i]; got.Row != w.row || got.Column != w.column || got.MessageZh == "" || got.MessageEn == "" {
					t.Errorf("problem %d = %+v, want row %d column %s", i, got, w.row, w.column)
				}
			}
		}
		if _, b := e.do("GET", "/api/v1/indicator-entries?history=1", "leader", nil); ledgerCount(t, b) != 0 {
			t.Fatalf("a refused import wrote: %v", b)
		}

		book = filled(t, tmpl, headers, [][]any{good, {"a", "administrative_cases", "2021年2月", "30", ""}, {"a", "criminal cases solved", excelDay("2021-02-01"), 9, ""}})
		if st, res, body := e.upload("indicator-entries", "officer-a", book, true); st != http.StatusOK || res.Written != 0 || len(res.Preview) != 3 {
			t.Fatalf("dry run: %d %s", st, body)
		}
		if st, res, body := e.upload("indicator-entries", "officer-a", book, false); st != http.StatusCreated || res.Written != 3 {
			t.Fatalf("import: %d %s", st, body)
		}
		if st, _, body := e.upload("indicator-entries", "officer-a", book, false); st != http.StatusConflict {
			t.Errorf("the same file again: %d %s", st, body)
		}
		_, b := e.do("GET", "/api/v1/ledgers/summary?from=2021-01-01&to=2021-12-31", "leader", nil)
		if f := b["figures"].(map[string]any)["indicators"].(map[string]any); f["criminal_cases_solved"] != 21.0 || f["administrative_cases"] != 30.0 {
			t.Fatalf("figures after the import: %v", f)
		}

		correction := filled(t, tmpl, headers, [][]any{{"a", "破获刑事案件", "2021-01", 13, "漏报一起"}})
		if st, res, body := e.upload("indicator-entries", "officer-a", correction, false); st != http.StatusCreated || res.Written != 1 {
			t.Fatalf("correction: %d %s", st, body)
		}
		_, b = e.do("GET", "/api/v1/indicator-entries?indicator=criminal_cases_solved&unit=a&from=2021-01&to=2021-01&history=1", "officer-a", nil)
		if items := b["items"].([]any); len(items) != 2 || items[0].(map[string]any)["value"] != 13.0 || items[1].(map[string]any)["current"] != false {
			t.Errorf("the corrected month's history: %v", b)
		}
	})
}

// TestAPIImportPublicity imports publicity pieces naming their channel by
// code or Chinese name; a channel the bureau does not list is refused
// naming its column.
func TestAPIImportPublicity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		tmpl := e.template("publicity", "officer-a")
		headers := []string{"发布日期", "发布渠道", "发布媒体", "标题", "链接", "单位", "活动"}
		rows := [][]any{
			{"2021-09-13", "微信公众号", "平安鄂托克", "民警帮助牧民追回被盗牛羊", "https://mp.weixin.qq.com/s/abc", "甲派出所", "我为群众办实事"},
			{"2021-09-14", "tiktok", "鄂托克公安", "短视频", "", "a", ""},
			{"2021-09-15", "抖音", "鄂托克公安", "短视频", "", "a", ""},
			{"2021-09-16", "short_video", "鄂托克公安", "短视频", "javascript:alert(1)", "a", ""},
		}
		st, res, body := e.upload("publicity", "officer-a", filled(t, tmpl, headers, rows), true)
		if st != http.StatusUnprocessableEntity || res.ErrorCount != 3 || res.Errors[0].Row != 3 || res.Errors[0].Column != "发布渠道" ||
			res.Errors[1].Row != 4 || res.Errors[1].Column != "发布渠道" || res.Errors[2].Row != 5 || res.Errors[2].Column != "链接" {
			t.Fatalf("bad pieces: %d %s", st, body)
		}
		rows = [][]any{rows[0], {"2021-09-16", "short_video", "鄂托克公安", "短视频", "", "a", ""}}
		book := filled(t, tmpl, headers, rows)
		if st, res, body := e.upload("publicity", "officer-a", book, false); st != http.StatusCreated || res.Written != 2 {
			t.Fatalf("import: %d %s", st, body)
		}
		if st, _, body := e.upload("publicity", "officer-a", book, false); st != http.StatusConflict {
			t.Errorf("the same file again: %d %s", st, body)
		}
		_, b := e.do("GET", "/api/v1/publicity?channel=wechat&campaign=1", "officer-a", nil)
		if ledgerCount(t, b) != 1 {
			t.Errorf("the imported WeChat piece of the campaign: %v", b)
		}
	})
}
