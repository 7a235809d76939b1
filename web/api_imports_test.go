package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/campaign"
	"minyi/internal/testdb"
	"minyi/ledgerimport"
	"minyi/org"
	"minyi/store"
	"minyi/web"
	"minyi/xlsx"
)

// importEnv is an environment with the party branches and named staff an
// import refers to, and a body limit that takes a workbook.
func importEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := newEnv(t, db, withConfig(web.Config{MaxBodyBytes: 32 << 20, Dialect: db.Dialect()}),
		withUsers(org.User{Name: "wang", DisplayName: "王警官", Role: org.RoleOfficer, UnitCode: "a"},
			org.User{Name: "zhao", DisplayName: "赵辅警", Role: org.RoleAuxiliary, UnitCode: "a"}))
	for _, b := range []org.Branch{{Code: "a1", Name: "甲派出所党支部", UnitCode: "a"}, {Code: "b1", Name: "乙派出所党支部", UnitCode: "b"}} {
		if err := org.NewService(db).AddBranch(ctx, org.Operator("test"), &b); err != nil {
			t.Fatal(err)
		}
	}
	e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
	e.addTokenUser(org.User{Name: "aux-a", Role: org.RoleAuxiliary, UnitCode: "a"})
	c := campaign.Campaign{Name: "我为群众办实事", From: "2021-01-01", To: "2021-12-31", CreatedBy: "leader", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := db.CreateCampaign(ctx, &c); err != nil {
		t.Fatal(err)
	}
	return e
}

// template downloads a ledger's template as user.
func (e *env) template(ledger, user string) []byte {
	e.t.Helper()
	a := e.send("GET", "/api/v1/imports/"+ledger+"/template.xlsx", user, "", "")
	if a.status != http.StatusOK || a.header.Get("Content-Type") != xlsx.ContentType {
		e.t.Fatalf("template %s: %d %s %s", ledger, a.status, a.header.Get("Content-Type"), a.body)
	}
	return []byte(a.body)
}

// filled is the template with rows written under its headers, as a clerk
// fills it in Excel; a row's cells go under the headers named in order.
func filled(t *testing.T, tmpl []byte, headers []string, rows [][]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	top, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range top[0] {
		col[h] = i + 1
	}
	for r, cells := range rows {
		for i, v := range cells {
			c, ok := col[headers[i]]
			if !ok {
				t.Fatalf("no column %s in the template", headers[i])
			}
			cell, _ := excelize.CoordinatesToCellName(c, r+2)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importResult is an import's answer.
type importResult struct {
	Ledger     string                  `json:"ledger"`
	Rows       int                     `json:"rows"`
	Written    int                     `json:"written"`
	DryRun     bool                    `json:"dry_run"`
	ErrorCount int                     `json:"error_count"`
	Preview    []any                   `json:"preview"`
	Errors     []ierr                  `json:"errors"`
	Previous   *struct{ Actor string } `json:"previous_import"`
}

type ierr struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Field     string `json:"field"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// upload sends a workbook to the import of ledger as user.
func (e *env) upload(ledger, user string, body []byte, dryRun bool) (int, importResult, string) {
	e.t.Helper()
	path := "/api/v1/imports/" + ledger
	if dryRun {
		path += "?dry_run=true"
	}
	a := e.send("POST", path, user, xlsx.ContentType, string(body))
	var res importResult
	json.Unmarshal([]byte(a.body), &res)
	return a.status, res, a.body
}

func TestAPIImportTemplate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		for _, l := range ledgerimport.Ledgers {
			t.Run(string(l), func(t *testing.T) {
				b := e.template(string(l), "officer-a")
				f, err := excelize.OpenReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				sheets := f.GetSheetList()
				if len(sheets) != 4 || sheets[1] != "填写说明" || sheets[2] != "示例" {
					t.Fatalf("sheets = %q", sheets)
				}
				rows, _ := f.GetRows(sheets[0])
				cols, _ := ledgerimport.Columns(l)
				if len(rows) != 1 || len(rows[0]) != len(cols) || rows[0][0] != cols[0].Header {
					t.Errorf("data sheet = %q, want the headers alone", rows)
				}
				notes, _ := f.GetRows(sheets[1])
				if len(notes) < len(cols)+1 || notes[1][0] != cols[0].Header {
					t.Errorf("notes = %q", notes)
				}
				units, _ := f.GetRows(sheets[3])
				text := fmt.Sprint(units)
				if !strings.Contains(text, "甲派出所") || strings.Contains(text, "乙派出所") {
					t.Errorf("officer-a's units and branches = %q, want unit a's alone", units)
				}
			})
		}
		if a := e.send("GET", "/api/v1/imports/matters/template.xlsx", "partner", "", ""); a.status != http.StatusForbidden {
			t.Errorf("partner's template: %d, want 403", a.status)
		}
		if a := e.send("GET", "/api/v1/imports/cases/template.xlsx", "officer-a", "", ""); a.status != http.StatusNotFound {
			t.Errorf("unknown ledger: %d, want 404", a.status)
		}
		if a := e.send("GET", "/api/v1/imports/matters/template.xlsx", "", "", ""); a.status != http.StatusUnauthorized {
			t.Errorf("nobody's template: %d, want 401", a.status)
		}
	})
}

// The template round-trips: filled in and imported, each ledger's rows
// come back from its API as written; a dry run writes nothing, and the same
// file is not imported twice.
func TestAPIImportRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		cases := []struct {
			ledger, list string
			headers      []string
			rows         [][]any
			want         []map[string]any // fields of the listed records, oldest first
		}{
			{"volunteer-activities", "/api/v1/volunteer-activities", []string{"活动日期", "活动名称", "单位", "党支部", "参加民警", "志愿者人数", "服务时长（小时）", "服务群众人数", "乡镇", "村（社区）", "地点", "活动内容", "活动"},
				[][]any{{"2021-10-12", "秋收护农", "甲派出所", "甲派出所党支部", "王警官、zhao", 6, 3.5, 40, "巴彦塔拉镇", "东村", "玉米地", "帮助抢收", "我为群众办实事"},
					{"2021/9/13", "法治宣传", "a", "a1", "", "2", "1", "", "", "", "", "", ""}},
				[]map[string]any{{"date": "2021-10-12", "title": "秋收护农", "unit": "a", "branch": "a1", "participants": []any{"wang", "zhao"}, "volunteers": 6.0, "hours": 3.5, "served": 40.0, "village": "东村", "campaign": 1.0},
					{"date": "2021-09-13", "title": "法治宣传", "unit": "a", "branch": "a1", "volunteers": 2.0, "hours": 1.0}}},
			{"service-points", "/api/v1/service-points", []string{"站点名称", "单位", "乡镇", "地址", "纬度", "经度", "开放时间", "错时服务", "延时服务", "服务项目", "联系电话", "状态"},
				[][]any{{"东村警务站", "甲派出所", "巴彦塔拉镇", "东村村委会", 43.65, 122.26, "8:00-19:00", "是", "否", "户籍办理、身份证受理", "0475-1234567", "服务中"},
					{"旧站", "a", "", "西街1号", "", "", "", "", "", "", "", "已关闭"}},
				[]map[string]any{{"name": "东村警务站", "unit": "a", "latitude": 43.65, "longitude": 122.26, "off_peak": true, "extended_hours": false, "services": []any{"户籍办理", "身份证受理"}, "status": "active"},
					{"name": "旧站", "address": "西街1号", "status": "closed"}}},
			{"matters", "/api/v1/matters", []string{"标题", "责任单位", "党支部", "领办人", "参与人员", "受益对象类型", "受益对象名称", "诉求类别", "立项日期", "状态", "办结日期", "成效故事", "成效数量", "公开"},
				[][]any{{"追回被盗牛羊", "甲派出所", "a1", "王警官", "赵辅警", "家庭", "张某某", "揪心事", "2021-09-05", "已办结", "2021-09-13", "追回牛5头、羊53只。", "cattle=5、sheep=53", "是"},
					{"护送学生返校", "a", "", "", "", "群体", "东村学生", "操心事", "2021-09-01", "办理中", "", "", "", ""},
					{"调解邻里纠纷", "a", "", "", "", "个人", "", "烦心事", "2021-09-01", "已终止", "", "", "", ""}},
				nil},
			{"measures", "/api/v1/measures", []string{"措施名称", "实施单位", "便民内容", "状态", "研究日期", "实施日期"},
				[][]any{{"户籍延时服务", "甲派出所", "工作日延时至19:00", "已实施", "2021-06-01", "2021-06-15"},
					{"预约上门办证", "a", "为行动不便群众上门办证", "", "2021-07-01", ""}},
				[]map[string]any{{"title": "户籍延时服务", "status": "implemented", "implemented_on": "2021-06-15"},
					{"title": "预约上门办证", "status": "researched", "researched_on": "2021-07-01"}}},
		}
		for _, c := range cases {
			t.Run(c.ledger, func(t *testing.T) {
				book := filled(t, e.template(c.ledger, "officer-a"), c.headers, c.rows)
				if c.ledger == "matters" {
					// A dropped matter needs its reason: one bad row holds back all.
					st, res, body := e.upload(c.ledger, "officer-a", book, false)
					if st != http.StatusUnprocessableEntity || res.Written != 0 || len(res.Errors) != 1 || res.Errors[0].Row != 4 || res.Errors[0].Column != "终止原因" {
						t.Fatalf("matters without the drop reason: %d %s", st, body)
					}
					if _, b := e.do("GET", c.list, "officer-a", nil); ledgerCount(t, b) != 0 {
						t.Fatalf("a refused import wrote %v", b)
					}
					c.headers = append(c.headers, "终止原因")
					for i := range c.rows {
						c.rows[i] = append(c.rows[i], map[bool]string{true: "群众已自行和解"}[i == 2])
					}
					book = filled(t, e.template(c.ledger, "officer-a"), c.headers, c.rows)
				}
				st, res, body := e.upload(c.ledger, "officer-a", book, true)
				if strings.Contains(body, "张某某") {
					t.Errorf("a dry run shows the beneficiary unmasked: %s", body)
				}
				if st != http.StatusOK || !res.DryRun || res.Rows != len(c.rows) || res.Written != 0 || len(res.Preview) != len(c.rows) || res.ErrorCount != 0 {
					t.Fatalf("dry run: %d %s", st, body)
				}
				if _, b := e.do("GET", c.list, "officer-a", nil); ledgerCount(t, b) != 0 {
					t.Fatalf("a dry run wrote %v", b)
				}
				st, res, body = e.upload(c.ledger, "officer-a", book, false)
				if st != http.StatusCreated || res.Written != len(c.rows) || res.DryRun {
					t.Fatalf("import: %d %s", st, body)
				}
				_, b := e.do("GET", c.list, "officer-a", nil)
				if ledgerCount(t, b) != len(c.rows) {
					t.Fatalf("after the import: %v", b)
				}
				items := b["items"].([]any)
				for i, want := range c.want {
					var got map[string]any // the record of the same title (or name)
					for _, it := range items {
						if m := it.(map[string]any); m["title"] == want["title"] && m["name"] == want["name"] {
							got = m
						}
					}
					for k, v := range want {
						if fmt.Sprint(got[k]) != fmt.Sprint(v) {
							t.Errorf("record %d: %s = %v, want %v", i+1, k, got[k], v)
						}
					}
				}
				// Twice the same file: refused, and a dry run says so.
				if st, _, body := e.upload(c.ledger, "officer-a", book, false); st != http.StatusConflict {
					t.Errorf("the same file again: %d %s", st, body)
				}
				if st, res, body := e.upload(c.ledger, "officer-a", book, true); st != http.StatusOK || res.Previous == nil || res.Previous.Actor != "officer-a" {
					t.Errorf("a dry run of the same file: %d %s", st, body)
				}
				if _, b := e.do("GET", c.list, "officer-a", nil); ledgerCount(t, b) != len(c.rows) {
					t.Errorf("the second import wrote: %v", b)
				}
			})
		}
		// The done matter came with its history: created, started, completed.
		_, b := e.do("GET", "/api/v1/matters?status=done", "officer-a", nil)
		if ledgerCount(t, b) != 1 {
			t.Fatalf("done matters: %v", b)
		}
		m := b["items"].([]any)[0].(map[string]any)
		if m["done_on"] != "2021-09-13" || m["story"] != "追回牛5头、羊53只。" || m["lead"] != "wang" || fmt.Sprint(m["outcomes"]) != "map[cattle:5 sheep:53]" ||
			m["published"] != true || fmt.Sprint(m["participants"]) != "[zhao]" {
			t.Errorf("the done matter: %v", m)
		}
		beneficiary := m["beneficiary"].(map[string]any)
		if beneficiary["name"] == "张某某" {
			t.Errorf("the beneficiary is not masked: %v", beneficiary)
		}
		// The log verifies and holds each matter's history and one event per import:
		// 3 created, 2 started, 1 completed, 1 dropped.
		counts, err := db.VerifyByRegister(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["matters"] != 7 || counts[ledgerimport.Register] != 4 || counts["measures"] != 3 {
			t.Errorf("events by register: %v", counts)
		}
	})
}

// excelDay is the serial number Excel stores for a day.
func excelDay(day string) float64 {
	d, _ := time.Parse("2006-01-02", day)
	return float64(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// Every kind of problem is named by its row and column, in both languages,
// and a file with one bad row writes nothing at all.
func TestAPIImportErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		headers := []string{"活动日期", "活动名称", "单位", "党支部", "参加民警", "志愿者人数", "服务时长（小时）", "服务群众人数", "活动"}
		good := []any{"2021-10-12", "巡逻", "a", "", "", 1, 1, 1, ""}
		bad := func(col int, v any) []any {
			r := append([]any(nil), good...)
			r[col] = v
			return r
		}
		rows := [][]any{good,
			bad(0, "2021-13-45"),           // row 3: not a date
			bad(0, "2099-01-01"),           // row 4: in the future (the register's own rule)
			bad(1, ""),                     // row 5: required
			bad(2, "丙派出所"),                 // row 6: no such unit
			bad(2, "b"),                    // row 7: another unit (officer-a)
			bad(3, "乙派出所党支部"),              // row 8: a branch of another unit
			bad(4, "钱警官"),                  // row 9: no such member of staff
			bad(5, "六个"),                   // row 10: not a number
			bad(6, -2),                     // row 11: out of range
			bad(8, "不存在的活动"),               // row 12: no such campaign
			bad(0, excelDay("2021-09-13")), // row 13: an Excel date: good
			good}
		want := []struct {
			row    int
			column string
		}{{3, "活动日期"}, {4, "活动日期"}, {5, "活动名称"}, {6, "单位"}, {7, "单位"}, {8, "党支部"}, {9, "参加民警"},
			{10, "志愿者人数"}, {11, "服务时长（小时）"}, {12, "活动"}}
		book := filled(t, e.template("volunteer-activities", "officer-a"), headers, rows)
		for _, dry := range []bool{true, false} {
			st, res, body := e.upload("volunteer-activities", "officer-a", book, dry)
			if st != http.StatusUnprocessableEntity || res.Written != 0 || res.Rows != len(rows) || res.ErrorCount != len(want) || len(res.Preview) != 0 {
				t.Fatalf("dry run %v: %d %s", dry, st, body)
			}
			for i, w := range want {
				got := res.Errors[i]
				if got.Row != w.row || got.Column != w.column || got.MessageZh == "" || got.MessageEn == "" || got.Field == "" {
					t.Errorf("problem %d = %+v, want row %d column %s", i, got, w.row, w.column)
				}
			}
		}
		if _, b := e.do("GET", "/api/v1/volunteer-activities", "leader", nil); ledgerCount(t, b) != 0 {
			t.Fatalf("a refused import wrote: %v", b)
		}
		if counts, err := db.VerifyByRegister(ctx); err != nil || counts[ledgerimport.Register] != 0 {
			t.Fatalf("a refused import is in the log: %v %v", counts, err)
		}

		// The columns themselves: unknown, repeated, a required one missing.
		book = filled(t, mustWorkbook(t, [][]string{{"活动日期", "活动名称", "名称", "活动名称"}}), []string{"活动日期", "活动名称"}, [][]any{{"2021-10-12", "巡逻"}})
		st, res, body := e.upload("volunteer-activities", "officer-a", book, true)
		if st != http.StatusUnprocessableEntity || len(res.Errors) < 3 {
			t.Fatalf("bad columns: %d %s", st, body)
		}
		for _, w := range []string{"名称", "活动名称", "单位"} {
			found := false
			for _, p := range res.Errors {
				found = found || (p.Row == 1 && p.Column == w)
			}
			if !found {
				t.Errorf("no problem of row 1 column %s in %s", w, body)
			}
		}

		// Refusals of the whole file.
		for _, c := range []struct {
			name, ledger, user, contentType string
			body                            []byte
			status                          int
		}{
			{"partner", "volunteer-activities", "partner", xlsx.ContentType, book, http.StatusForbidden},
			{"nobody", "volunteer-activities", "", xlsx.ContentType, book, http.StatusUnauthorized},
			{"unknown ledger", "cases", "officer-a", xlsx.ContentType, book, http.StatusNotFound},
			{"not a workbook", "volunteer-activities", "officer-a", xlsx.ContentType, []byte("活动日期,活动名称\n"), http.StatusBadRequest},
			{"empty", "volunteer-activities", "officer-a", xlsx.ContentType, nil, http.StatusBadRequest},
			{"JSON", "volunteer-activities", "officer-a", jsonType, []byte("{}"), http.StatusBadRequest},
			{"headers alone", "volunteer-activities", "officer-a", xlsx.ContentType, e.template("volunteer-activities", "officer-a"), http.StatusBadRequest},
			{"too large", "volunteer-activities", "officer-a", xlsx.ContentType, bytes.Repeat([]byte("x"), ledgerimport.MaxBytes+1), http.StatusRequestEntityTooLarge},
		} {
			t.Run(c.name, func(t *testing.T) {
				a := e.send("POST", "/api/v1/imports/"+c.ledger, c.user, c.contentType, string(c.body))
				if a.status != c.status || !strings.Contains(a.body, `"code"`) {
					t.Errorf("%d %s, want %d", a.status, a.body, c.status)
				}
			})
		}

		// A dropped matter's rights: an auxiliary may record a planned
		// matter, not a done one (the final word is an officer's).
		mh := []string{"标题", "责任单位", "受益对象类型", "诉求类别", "立项日期", "状态", "办结日期", "成效故事"}
		book = filled(t, e.template("matters", "aux-a"), mh, [][]any{{"护送", "a", "群体", "操心事", "2021-09-01", "已办结", "2021-09-13", "已护送"}})
		st, res, body = e.upload("matters", "aux-a", book, true)
		if st != http.StatusUnprocessableEntity || len(res.Errors) != 1 || res.Errors[0].Row != 2 {
			t.Errorf("an auxiliary's done matter: %d %s", st, body)
		}
	})
}

// mustWorkbook is a workbook of one sheet holding rows.
func mustWorkbook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	b, err := xlsx.Write([]xlsx.Sheet{{Name: "Sheet1", Rows: rows}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A month's volunteer activities of a county, 1,100 rows, import in one
// go as multipart upload (the page's way), all or nothing.
func TestAPIImportManyActivities(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		headers := []string{"活动日期", "活动名称", "单位", "党支部", "参加民警", "志愿者人数", "服务时长（小时）", "服务群众人数", "村（社区）"}
		rows := make([][]any, 1100)
		for i := range rows {
			rows[i] = []any{excelDay("2021-01-01") + float64(i%300), fmt.Sprintf("志愿服务第%d次", i+1), "甲派出所", "甲派出所党支部", "王警官、赵辅警", 3, 2.5, 20, "东村"}
		}
		book := filled(t, e.template("volunteer-activities", "leader"), headers, rows)
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "志愿服务.xlsx")
		fw.Write(book)
		mw.Close()
		a := e.send("POST", "/api/v1/imports/volunteer-activities", "leader", mw.FormDataContentType(), buf.String())
		var res importResult
		json.Unmarshal([]byte(a.body), &res)
		if a.status != http.StatusCreated || res.Written != 1100 {
			t.Fatalf("1,100 activities: %d %.300s", a.status, a.body)
		}
		_, b := e.do("GET", "/api/v1/ledgers/summary?from=2021-01-01&to=2021-12-31", "leader", nil)
		figures := b["figures"].(map[string]any)["volunteer_activities"].(map[string]any)
		if figures["activities"] != 1100.0 || figures["volunteer_hours"] != 8250.0 {
			t.Errorf("the summary after the import: %v", figures)
		}
	})
}

// Two uploads of one file at once: one is written, the other refused, and
// the records are there once.
func TestAPIImportSameFileAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := importEnv(t, db)
		book := filled(t, e.template("service-points", "leader"), []string{"站点名称", "单位", "地址"},
			[][]any{{"东村警务站", "a", "东村村委会"}, {"西村警务站", "b", "西村村委会"}})
		statuses := make(chan int, 2)
		for range 2 {
			go func() {
				a := e.send("POST", "/api/v1/imports/service-points", "leader", xlsx.ContentType, string(book))
				statuses <- a.status
			}()
		}
		got := []int{<-statuses, <-statuses}
		if !(got[0] == http.StatusCreated && got[1] == http.StatusConflict || got[0] == http.StatusConflict && got[1] == http.StatusCreated) {
			t.Errorf("statuses %v, want one 201 and one 409", got)
		}
		if _, b := e.do("GET", "/api/v1/service-points", "leader", nil); ledgerCount(t, b) != 2 {
			t.Errorf("the points: %v", b)
		}
	})
}
