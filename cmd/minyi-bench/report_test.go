package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi/xlsx"
)

func TestRowsOfRef(t *testing.T) {
	for _, c := range []struct {
		ref  string
		rows int
		bad  bool
	}{
		{ref: "A1:R166001", rows: 166000},
		{ref: "A1:AB2", rows: 1},
		{ref: "A1:C1", bad: true},
		{ref: "B2:C9", bad: true},
		{ref: "", bad: true},
	} {
		t.Run(c.ref, func(t *testing.T) {
			n, err := rowsOfRef(c.ref)
			if c.bad != (err != nil) || n != c.rows {
				t.Errorf("rowsOfRef(%q) = %d, %v; want %d (bad %v)", c.ref, n, err, c.rows, c.bad)
			}
		})
	}
}

// TestWorkbookRows counts the rows of each sheet of a workbook as the
// ledgers' export writes it, an empty sheet included.
func TestWorkbookRows(t *testing.T) {
	rows := func(n int) func(func([]any) error) error {
		return func(yield func([]any) error) error {
			for i := range n {
				if err := yield([]any{"户籍", i}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	cols := []xlsx.Column{{Header: "类别"}, {Header: "序号", Kind: xlsx.Number}}
	for _, c := range []struct {
		name   string
		tables []xlsx.Table
		want   []sheetRows
	}{
		{"one", []xlsx.Table{{Sheet: "民意档案", Columns: cols, Rows: rows(1)}}, []sheetRows{{"民意档案", 1}}},
		{"several", []xlsx.Table{{Sheet: "民意档案", Columns: cols, Rows: rows(1234)}, {Sheet: "实事", Columns: cols, Rows: rows(0)},
			{Sheet: "矛盾纠纷", Columns: cols, Rows: rows(250)}}, []sheetRows{{"民意档案", 1234}, {"实事", 0}, {"矛盾纠纷", 250}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := xlsx.WriteTables(&b, c.tables); err != nil {
				t.Fatal(err)
			}
			got, err := workbookRows(b.Bytes())
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("workbookRows = %v, %v; want %v", got, err, c.want)
			}
		})
	}
	if _, err := workbookRows([]byte("not a zip")); err == nil {
		t.Error("a body that is no workbook is counted")
	}
}

func TestStatusKB(t *testing.T) {
	status := "Name:\tminyi\nVmPeak:\t 2000000 kB\nVmHWM:\t  183204 kB\nVmRSS:\t  120110 kB\n"
	for field, want := range map[string]int64{"VmHWM:": 183204, "VmRSS:": 120110, "VmSwap:": 0} {
		t.Run(field, func(t *testing.T) {
			if got := statusKB(status, field); got != want {
				t.Errorf("statusKB(%s) = %d, want %d", field, got, want)
			}
		})
	}
}

// TestReportResults checks the arithmetic: rows per second over the whole
// download, the medians over runs, and the targets judged on them.
func TestReportResults(t *testing.T) {
	run := func(floor, bureau, unitMax time.Duration, secs float64, archive int, peakMB int64) reportRun {
		r := reportRun{floor: floor, bureau: map[string]time.Duration{}, unitP50: map[string]time.Duration{}, unitMax: map[string]time.Duration{}}
		for _, f := range reportFormats {
			r.bureau[f], r.unitP50[f], r.unitMax[f] = bureau, unitMax/2, unitMax
		}
		r.workbook = workbookRun{time: time.Duration(secs * float64(time.Second)), bytes: 10e6,
			sheets: []sheetRows{{"民意档案", archive}, {"实事", 1000}}, peakKB: peakMB * 1024, beforeKB: 60 * 1024}
		return r
	}
	if got := rate(166_000, 2*time.Second); got != 83_000 {
		t.Errorf("rate = %v", got)
	}
	if got := rate(10, 0); got != 0 {
		t.Errorf("rate over no time = %v", got)
	}
	res := reportResults{runs: []reportRun{
		run(time.Millisecond, 900*time.Millisecond, 200*time.Millisecond, 2, 100_000, 240),
		run(3*time.Millisecond, 1500*time.Millisecond, 400*time.Millisecond, 4, 100_000, 300),
		run(2*time.Millisecond, 800*time.Millisecond, 250*time.Millisecond, 1, 100_000, 200),
	}}
	for name, c := range map[string]struct {
		got, want float64
	}{
		"floor":          {res.med(func(r reportRun) float64 { return msOf(r.floor) }), 2},
		"bureau":         {res.med(func(r reportRun) float64 { return msOf(r.bureau["docx"]) }), 900},
		"archive rows/s": {res.med(func(r reportRun) float64 { return rate(r.workbook.archiveRows(), r.workbook.time) }), 50_000},
		"all rows":       {float64(res.runs[0].workbook.allRows()), 101_000},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", name, c.got, c.want)
		}
	}
	var out strings.Builder
	res.print(&out, 2024, 12, "2024-01-01", "2024-12-31", true)
	for _, want := range []string{"floor GET /healthz p50 2.00 ms", "docx bureau    900.0 ms (   450× floor, target 1000: met)",
		"max   250.0 ms (  125× floor, target 300: met)", "archive rows/s 50000 (target ≥ 50,000: met)", "peak 240 MB while making it (target ≤ 250: met)",
		"   100000 rows  民意档案"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "MISSED") {
		t.Errorf("a target met at the median is said missed:\n%s", out.String())
	}
	res.runs[0].bureau["md"] = 2 * time.Second
	res.runs[2].bureau["md"] = 2 * time.Second
	out.Reset()
	res.print(&out, 2024, 12, "2024-01-01", "2024-12-31", false)
	if !strings.Contains(out.String(), "target 1000: MISSED") || strings.Contains(out.String(), "workbook") {
		t.Errorf("md's median of 2 s is not missed, or the workbook not asked is shown:\n%s", out.String())
	}
}
