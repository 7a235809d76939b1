package demo_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/archive"
	"minyi/calendar"
	"minyi/demo"
	"minyi/indicator"
	"minyi/internal/wire"
	"minyi/onestop"
	"minyi/publicity"
	"minyi/reporting"
	"minyi/store"
	"minyi/web"
)

// checkWorkbook reads the ledgers' workbook of the report's period
// (GET /api/v1/ledgers/export) and finds in each sheet the records behind
// the summary's figures of the same period: the seed's 404 matters done,
// 27 measures, 1,126 volunteer activities and 173 disputes found, the
// archive's items received, the publicity pieces and the indicators'
// figures.
func checkWorkbook(t *testing.T, db *store.DB, items *archive.Service, token string) {
	srv, err := web.New(wire.Web(db, items, wire.Options{}), web.Config{AgencyName: "鄂托克旗公安局", Dialect: db.Dialect()},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/ledgers/export?from="+campaignFrom+"&to="+campaignTo, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "ledgers-"+campaignFrom) {
		t.Fatalf("workbook: %s %s %.300s", resp.Status, resp.Header.Get("Content-Disposition"), body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := []string{"民意档案", "实事台账", "便民利民措施", "便民服务站点", "志愿服务活动", "矛盾纠纷", "工作指标", "一件事一次办", "宣传报道", "问卷结果"}
	if got := f.GetSheetList(); !slices.Equal(got, sheets) {
		t.Fatalf("sheets %q, want %q", got, sheets)
	}
	rows := map[string][][]string{}
	for _, s := range sheets {
		if rows[s], err = f.GetRows(s); err != nil {
			t.Fatal(err)
		}
		if p, err := f.GetPanes(s); err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: panes %+v %v, want the header frozen", s, p, err)
		}
	}
	var sum struct {
		Figures map[string]reporting.Figures `json:"figures"`
	}
	apiGet(t, db, items, token, "/api/v1/ledgers/summary?from="+campaignFrom+"&to="+campaignTo, &sum)
	from, _ := time.ParseInLocation(time.DateOnly, campaignFrom, calendar.Zone)
	to, _ := time.ParseInLocation(time.DateOnly, campaignTo, calendar.Zone)
	to = to.AddDate(0, 0, 1)
	received := len(all(t, db, archive.Filter{From: &from, To: &to}))
	if received < 60 {
		t.Fatalf("%d items received in the period, want the seed's opinions at least", received)
	}
	for _, c := range []struct {
		sheet string
		want  int
	}{
		{"民意档案", received}, {"实事台账", demo.MattersDone}, {"便民利民措施", demo.MeasuresImplemented},
		{"志愿服务活动", demo.VolunteerActivities}, {"矛盾纠纷", demo.DisputesFound},
		{"宣传报道", int(sum.Figures[publicity.Register]["pieces"])},
		{"一件事一次办", int(sum.Figures[onestop.Register]["opened"])}, // read by its streamed door
	} {
		if got := len(rows[c.sheet]) - 1; got != c.want {
			t.Errorf("%s holds %d rows, want %d", c.sheet, got, c.want)
		}
	}
	if got := len(rows["便民服务站点"]) - 1; got < demo.ServicePoints {
		t.Errorf("%d service points, want at least the %d open", got, demo.ServicePoints)
	}
	// The cases' sheet is in the order opened (受理日期 shown yyyy-mm-dd).
	cases := rows["一件事一次办"]
	opened := slices.Index(cases[0], "受理日期")
	for i := 2; i < len(cases); i++ {
		if cases[i][opened] < cases[i-1][opened] {
			t.Fatalf("cases' row %d opened %s after row %d's %s", i, cases[i][opened], i-1, cases[i-1][opened])
		}
	}
	// The matters' sheet: done on a real date, the beneficiaries masked.
	head := rows["实事台账"][0]
	doneCol := slices.Index(head, "办结日期") + 1
	cell, _ := excelize.CoordinatesToCellName(doneCol, 2)
	if raw, _ := f.GetCellValue("实事台账", cell, excelize.Options{RawCellValue: true}); !isSerial(raw) {
		t.Errorf("办结日期 %s raw %q, want a serial day", cell, raw)
	}
	phones := slices.Index(head, "服务对象电话")
	for _, r := range rows["实事台账"][1:] {
		if phones < len(r) && r[phones] != "" && !strings.Contains(r[phones], "*") {
			t.Fatalf("a beneficiary's phone unmasked: %q", r[phones])
		}
	}
	// The indicators: a column per month of the period, and the rows'
	// figures add up to the summary's.
	grid := rows["工作指标"]
	if !slices.Contains(grid[0], "2021-01") || !slices.Contains(grid[0], "2021-11") || slices.Contains(grid[0], "2020-12") {
		t.Errorf("indicator months %q", grid[0])
	}
	var gridSum, want int64
	for _, r := range grid[1:] {
		n, _ := strconv.ParseInt(r[len(grid[0])-1], 10, 64)
		gridSum += n
	}
	for _, v := range sum.Figures[indicator.Register] {
		want += v
	}
	if gridSum != want || want == 0 {
		t.Errorf("indicator rows add up to %d, the summary's figures to %d", gridSum, want)
	}
}

// isSerial reports whether raw is Excel's serial day.
func isSerial(raw string) bool {
	n, err := strconv.ParseFloat(raw, 64)
	return err == nil && n > 40000 && n < 50000
}
