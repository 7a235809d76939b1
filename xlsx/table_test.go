package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi/xlsx"
)

// sample is a table of n rows holding every kind of cell, and the texts a
// spreadsheet could take for formulas.
func sample(n int) xlsx.Table {
	day := time.Date(2021, 9, 13, 15, 4, 0, 0, time.FixedZone("CST", 8*3600))
	texts := []string{"=1+1", "+cmd", "-2+3", "@SUM(A1)", "户籍办理", "001"}
	return xlsx.Table{Sheet: "民意档案",
		Columns: []xlsx.Column{{Header: "编号", Kind: xlsx.Text}, {Header: "内容", Kind: xlsx.Text}, {Header: "数量", Kind: xlsx.Number},
			{Header: "受理日期", Kind: xlsx.Date}, {Header: "办结时间", Kind: xlsx.DateTime}},
		Rows: func(yield func([]any) error) error {
			for i := range n {
				var closed *time.Time
				if i%2 == 0 {
					closed = &day
				}
				if err := yield([]any{fmt.Sprintf("2021-%06d", i+1), texts[i%len(texts)], i - 3, day, closed}); err != nil {
					return err
				}
			}
			return nil
		}}
}

func TestWriteTablesXLSX(t *testing.T) {
	for _, n := range []int{0, 6, 450} { // none, fewer rows than fit the widths, more
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var buf bytes.Buffer
			if err := xlsx.WriteTables(&buf, []xlsx.Table{sample(n), {Sheet: "实事", Columns: []xlsx.Column{{Header: "标题"}},
				Rows: func(yield func([]any) error) error { return yield([]any{"=HYPERLINK(\"x\")"}) }}}); err != nil {
				t.Fatal(err)
			}
			book := bytes.Clone(buf.Bytes())
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"民意档案", "实事"}) {
				t.Fatalf("sheets = %q", got)
			}
			rows, err := f.GetRows("民意档案")
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != n+1 || !reflect.DeepEqual(rows[0], []string{"编号", "内容", "数量", "受理日期", "办结时间"}) {
				t.Fatalf("%d rows, header %q", len(rows), rows[0])
			}
			if n > 0 {
				want := []string{"2021-000001", "'=1+1", "-3", "2021-09-13", "2021-09-13 15:04"}
				if !reflect.DeepEqual(rows[1], want) {
					t.Errorf("row 2 = %q, want %q", rows[1], want)
				}
				for i, w := range []string{"'+cmd", "'-2+3", "'@SUM(A1)", "户籍办理"} {
					if rows[i+2][1] != w {
						t.Errorf("row %d text = %q, want %q", i+3, rows[i+2][1], w)
					}
				}
				if typ, _ := f.GetCellType("民意档案", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
					t.Errorf("C2 is of type %v, want a number", typ)
				}
				raw, _ := f.GetCellValue("民意档案", "D2", excelize.Options{RawCellValue: true})
				if raw != "44452" { // 2021-09-13 as Excel's serial day
					t.Errorf("D2 raw = %q, want the serial day 44452", raw)
				}
				raw, _ = f.GetCellValue("民意档案", "E2", excelize.Options{RawCellValue: true})
				if !strings.HasPrefix(raw, "44452.6") {
					t.Errorf("E2 raw = %q, want 44452.6…", raw)
				}
				if v, _ := f.GetCellValue("民意档案", "E3"); v != "" {
					t.Errorf("E3 (no time) = %q, want empty", v)
				}
			}
			panes, err := f.GetPanes("民意档案")
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("panes = %+v, %v: want the header row frozen", panes, err)
			}
			tables, err := f.GetTables("民意档案")
			if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:E") {
				t.Errorf("tables = %+v, %v: want one filtered table from A1", tables, err)
			}
			want := 8.0 // 内容, two wide characters, and the filter's button
			if n > 0 {
				want = 10 // 户籍办理
			}
			if w, _ := f.GetColWidth("民意档案", "B"); w < want {
				t.Errorf("column B is %v wide, want at least %v", w, want)
			}
			if i := f.GetActiveSheetIndex(); i != 0 {
				t.Errorf("the active sheet is %d, want the first", i)
			}
			if selected := sheetsSelected(t, book); !reflect.DeepEqual(selected, []bool{true, false}) {
				t.Errorf("sheets' tabs selected = %v, want only the first", selected)
			}
			if v, _ := f.GetCellValue("实事", "A2"); v != "'=HYPERLINK(\"x\")" {
				t.Errorf("second sheet A2 = %q", v)
			}
		})
	}
}

// sheetsSelected reads whether each worksheet of a workbook shows its tab
// selected (the sheet a spreadsheet opens on).
func sheetsSelected(t *testing.T, b []byte) []bool {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var selected []bool
	for i := 1; ; i++ {
		f, err := z.Open(fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
		if err != nil {
			return selected
		}
		x, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		selected = append(selected, bytes.Contains(x, []byte(`tabSelected="1"`)) || bytes.Contains(x, []byte(`tabSelected="true"`)))
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsx.WriteCSV(&buf, sample(6)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"编号", "内容", "数量", "受理日期", "办结时间"},
		{"2021-000001", "'=1+1", "-3", "2021-09-13", "2021-09-13 15:04"},
		{"2021-000002", "'+cmd", "-2", "2021-09-13", ""},
		{"2021-000003", "'-2+3", "-1", "2021-09-13", "2021-09-13 15:04"},
		{"2021-000004", "'@SUM(A1)", "0", "2021-09-13", ""},
		{"2021-000005", "户籍办理", "1", "2021-09-13", "2021-09-13 15:04"},
		{"2021-000006", "001", "2", "2021-09-13", ""}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("csv = %q, want %q", rows, want)
	}
}

func TestWriteTablesStopsOnError(t *testing.T) {
	stop := errors.New("stop")
	tb := xlsx.Table{Sheet: "x", Columns: []xlsx.Column{{Header: "a"}}, Rows: func(yield func([]any) error) error {
		for range 300 {
			if err := yield([]any{"a"}); err != nil {
				return err
			}
		}
		return stop
	}}
	for name, write := range map[string]func() error{
		"xlsx": func() error { return xlsx.WriteTables(&bytes.Buffer{}, []xlsx.Table{tb}) },
		"csv":  func() error { return xlsx.WriteCSV(&bytes.Buffer{}, tb) },
	} {
		if err := write(); !errors.Is(err, stop) {
			t.Errorf("%s: err = %v, want the rows' error", name, err)
		}
	}
}

func TestNeutraliseAndWidth(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+cmd": "'+cmd", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b", "": "", "户籍": "户籍", "13800001111": "13800001111"} {
		if got := xlsx.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]float64{"abc": 3, "户籍": 4, "户籍ab": 6, "（）": 4} {
		if got := xlsx.TextWidth(in); got != want {
			t.Errorf("TextWidth(%q) = %v, want %v", in, got, want)
		}
	}
}

// archiveLike is a table shaped as the archive's export (21 columns:
// texts, moments, numbers) of n rows, named sheet.
func archiveLike(sheet string, n int) xlsx.Table {
	at := time.Date(2021, 9, 13, 15, 4, 0, 0, time.UTC)
	cols := make([]xlsx.Column, 21)
	for i := range cols {
		cols[i] = xlsx.Column{Header: fmt.Sprint("列", i)}
		switch i % 7 {
		case 1, 2:
			cols[i].Kind = xlsx.DateTime
		case 5:
			cols[i].Kind = xlsx.Number
		}
	}
	row := make([]any, 21)
	for i := range row {
		switch cols[i].Kind {
		case xlsx.DateTime:
			row[i] = at
		case xlsx.Number:
			row[i] = 12345
		default:
			row[i] = "新生儿落户需要带哪些材料？户口本、出生医学证明"
		}
	}
	return xlsx.Table{Sheet: sheet, Columns: cols, Rows: func(yield func([]any) error) error {
		for range n {
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	}}
}

// BenchmarkWriteTables writes a sheet shaped as the archive's export of
// 100,000 rows and reports rows/s: the writer's part of a workbook's time
// (the lists' reading is the rest).
func BenchmarkWriteTables(b *testing.B) {
	const n = 100_000
	t := archiveLike("民意档案", n)
	b.ResetTimer()
	for range b.N {
		if err := xlsx.WriteTables(io.Discard, []xlsx.Table{t}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriteTablesBook writes a workbook of the ledgers' shape: two
// large sheets (the archive and the one-stop cases, 100,000 rows each)
// and four of 10,000, and reports rows/s of all sheets.
func BenchmarkWriteTablesBook(b *testing.B) {
	tables := []xlsx.Table{archiveLike("民意档案", 100_000), archiveLike("实事", 10_000), archiveLike("举措", 10_000),
		archiveLike("志愿活动", 10_000), archiveLike("一站式", 100_000), archiveLike("纠纷", 10_000)}
	const n = 240_000
	b.ResetTimer()
	for range b.N {
		if err := xlsx.WriteTables(io.Discard, tables); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
