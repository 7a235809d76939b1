package xlsx_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/internal/officetest"
	"minyi/xlsx"
)

// awkward is a table of the texts a hand-written sheet could get wrong:
// XML's special characters, Excel's own escape (_x000D_), white space at
// the ends, a line break, control characters XML cannot hold, a text
// longer than a cell holds, and numbers, days and moments.
func awkward() (xlsx.Table, [][]string) {
	at := time.Date(2024, 2, 29, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	long := strings.Repeat("长", 40000)
	t := xlsx.Table{Sheet: "问卷&结果", Columns: []xlsx.Column{{Header: "文字<备注>"}, {Header: "数", Kind: xlsx.Number},
		{Header: "日期", Kind: xlsx.Date}, {Header: "时间", Kind: xlsx.DateTime}},
		Rows: func(yield func([]any) error) error {
			for _, r := range [][]any{
				{`a & b <c> "d" 'e'`, 12, at, at},
				{"_x000D_ stays", 2.5, nil, (*time.Time)(nil)},
				{"  两端空格 ", int64(-7), time.Time{}, at},
				{"第一行\n第二行", "不是数", at, nil},
				{"控制\x01字符\x7f", nil, nil, nil},
				{long, 0, nil, nil},
			} {
				if err := yield(r); err != nil {
					return err
				}
			}
			return nil
		}}
	want := [][]string{{"文字<备注>", "数", "日期", "时间"},
		{`a & b <c> "d" 'e'`, "12", "2024-02-29", "2024-02-29 08:30"},
		{"_x000D_ stays", "2.5"},
		{"  两端空格 ", "-7", "", "2024-02-29 08:30"},
		{"第一行\n第二行", "不是数", "2024-02-29"},
		{"控制字符\x7f"},
		{strings.Repeat("长", 32767), "0"}}
	return t, want
}

// TestWriteTablesReadBack: the awkward table's workbook reads back as
// written, through excelize and through LibreOffice Calc (the first sheet
// as CSV: its shown values).
func TestWriteTablesReadBack(t *testing.T) {
	tb, want := awkward()
	var buf bytes.Buffer
	if err := xlsx.WriteTables(&buf, []xlsx.Table{tb, sample(3)}); err != nil {
		t.Fatal(err)
	}
	book := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"问卷&结果", "民意档案"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("问卷&结果")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows, want) {
		for i := range max(len(rows), len(want)) {
			var g, w []string
			if i < len(rows) {
				g = rows[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("row %d: %.80q, want %.80q", i+1, g, w)
			}
		}
	}
	if typ, _ := f.GetCellType("问卷&结果", "B4"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B4 is of type %v, want a number", typ)
	}
	if raw, _ := f.GetCellValue("问卷&结果", "D2", excelize.Options{RawCellValue: true}); raw != "45351.354166666664" {
		t.Errorf("D2 raw %q, want 2024-02-29 08:30 as a serial day", raw)
	}
	tables, err := f.GetTables("问卷&结果")
	if err != nil || len(tables) != 1 || tables[0].Range != "A1:D7" {
		t.Errorf("tables %+v %v, want one over A1:D7", tables, err)
	}
	t.Run("LibreOffice", func(t *testing.T) {
		out := officetest.Convert(t, book, "xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "csv")
		got, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want[:5] {
			w = append(w, "", "", "")[:4]
			if i >= len(got) || !reflect.DeepEqual(got[i], w) {
				t.Errorf("LibreOffice reads row %d as %q, want %q", i+1, got[min(i, len(got)-1)], w)
			}
		}
		if len(got) != 7 || got[6][0] != want[6][0] {
			t.Errorf("LibreOffice reads %d rows (the long text %d bytes)", len(got), len(got[min(6, len(got)-1)][0]))
		}
	})
}

// TestWriteTablesRefusesSheetNames: names Excel would not open are refused
// before anything is read.
func TestWriteTablesRefusesSheetNames(t *testing.T) {
	read := false
	rows := func(func([]any) error) error { read = true; return nil }
	for _, names := range [][]string{{""}, {"a/b"}, {strings.Repeat("名", 32)}, {"台账", "台账"}} {
		var tables []xlsx.Table
		for _, n := range names {
			tables = append(tables, xlsx.Table{Sheet: n, Columns: []xlsx.Column{{Header: "a"}}, Rows: rows})
		}
		if err := xlsx.WriteTables(&bytes.Buffer{}, tables); err == nil || read {
			t.Errorf("sheets %q: %v (read %v)", names, err, read)
		}
	}
}

// TestWriteTablesStopsWriting: a writing that fails (here, a table's rows
// refused midway) stops the reading and leaves w untouched.
func TestWriteTablesStopsWriting(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	tb := xlsx.Table{Sheet: "x", Columns: []xlsx.Column{{Header: "a"}}, Rows: func(yield func([]any) error) error {
		for range 100_000 {
			if n++; n == 5_000 {
				return stop
			}
			if err := yield([]any{"a"}); err != nil {
				return err
			}
		}
		return nil
	}}
	var w bytes.Buffer
	if err := xlsx.WriteTables(&w, []xlsx.Table{tb}); !errors.Is(err, stop) || w.Len() != 0 {
		t.Fatalf("err %v, %d bytes written", err, w.Len())
	}
}
