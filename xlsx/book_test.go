package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
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

// TestWriteTablesEdgeSpaceDropped: white space at a text's end stays when
// what stands beyond it (bytes that are not UTF-8, U+FFFE, U+FFFF, control
// characters) is dropped in the writing: excelize reads the space back.
func TestWriteTablesEdgeSpaceDropped(t *testing.T) {
	texts := map[string]string{"a \xff": "a ", "\xfe\xff b": " b", "a \uFFFE": "a ", "\uFFFF\tb": "\tb",
		"a\n\xe4\xb8": "a\n", "\x01\xc0\xaf 两端 \uFFFF\x02": " 两端 ", "a\xffb": "ab"}
	var in []string
	for s := range texts {
		in = append(in, s)
	}
	var buf bytes.Buffer
	if err := xlsx.WriteTables(&buf, []xlsx.Table{{Sheet: "空格", Columns: []xlsx.Column{{Header: "文字"}},
		Rows: func(yield func([]any) error) error {
			for _, s := range in {
				if err := yield([]any{s}); err != nil {
					return err
				}
			}
			return nil
		}}}); err != nil {
		t.Fatal(err)
	}
	// Each text written with white space at an end is marked to keep it:
	// excelize reads it back either way, Excel and LibreOffice trim it.
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(sheet)
	inText, preserve := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "t"
			preserve = inText && len(tok.Attr) == 1 && tok.Attr[0].Name.Local == "space" && tok.Attr[0].Value == "preserve"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if s := string(tok); inText && s != strings.TrimSpace(s) && !preserve {
				t.Errorf("%q is written without xml:space=\"preserve\"", s)
			}
		}
	}
	sheet.Close()
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("空格")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range in {
		if i+1 >= len(rows) || len(rows[i+1]) != 1 || rows[i+1][0] != texts[s] {
			t.Errorf("%q reads back as %q, want %q", s, rows[min(i+1, len(rows)-1)], texts[s])
		}
	}
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

// numbered is a table of n rows, named sheet, whose cells say which sheet
// and row they are: a text, a number, a day. Its rows reuse one array, as
// a table appending to one prefix does, so each must be copied as it is
// handed over; pause, when given, runs before each row.
func numbered(sheet string, n int, pause func(i int)) xlsx.Table {
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return xlsx.Table{Sheet: sheet, Columns: []xlsx.Column{{Header: "编号"}, {Header: "序号", Kind: xlsx.Number}, {Header: "日期", Kind: xlsx.Date}},
		Rows: func(yield func([]any) error) error {
			row := make([]any, 3)
			for i := range n {
				if pause != nil {
					pause(i)
				}
				row[0], row[1], row[2] = fmt.Sprintf("%s-%d", sheet, i+1), i+1, day.AddDate(0, 0, i%366)
				if err := yield(row); err != nil {
					return err
				}
			}
			return nil
		}}
}

// readBack reads every sheet of a workbook back through excelize.
func readBack(t *testing.T, book []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		if out[s], err = f.GetRows(s); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestWriteTablesSideBySide: several tables read at once (the first waits
// until the second has begun, so they are) come out in their order, each
// sheet as the table written alone reads back, its Excel table over its
// rows, a table of no rows among them.
func TestWriteTablesSideBySide(t *testing.T) {
	second := make(chan struct{})
	var once sync.Once
	tables := []xlsx.Table{
		numbered("民意档案", 3000, func(i int) {
			if i == 0 {
				select {
				case <-second:
				case <-time.After(time.Minute):
					t.Error("the second table was not begun while the first was read")
				}
			}
			if i%97 == 0 {
				runtime.Gosched()
			}
		}),
		numbered("实事", 1500, func(i int) {
			once.Do(func() { close(second) })
			if i%89 == 0 {
				runtime.Gosched()
			}
		}),
		numbered("举措", 0, nil),
		numbered("志愿活动", 700, nil),
		numbered("一站式", 2500, nil),
		numbered("纠纷", 1, nil),
	}
	var buf bytes.Buffer
	if err := xlsx.WriteTables(&buf, tables); err != nil {
		t.Fatal(err)
	}
	got := readBack(t, buf.Bytes())
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Sheet)
	}
	if list := f.GetSheetList(); !reflect.DeepEqual(list, names) {
		t.Fatalf("sheets %q, want %q", list, names)
	}
	for i, tb := range tables {
		t.Run(tb.Sheet, func(t *testing.T) {
			var alone bytes.Buffer
			if err := xlsx.WriteTables(&alone, []xlsx.Table{numbered(tb.Sheet, len(got[tb.Sheet])-1, nil)}); err != nil {
				t.Fatal(err)
			}
			want := readBack(t, alone.Bytes())[tb.Sheet]
			if !reflect.DeepEqual(got[tb.Sheet], want) {
				t.Errorf("%d rows, want %d as written alone (first %q, last %q)", len(got[tb.Sheet]), len(want), got[tb.Sheet][min(1, len(got[tb.Sheet])-1)], got[tb.Sheet][len(got[tb.Sheet])-1])
			}
			rows := []int{3000, 1500, 0, 700, 2500, 1}[i]
			if len(want) != rows+1 || rows > 0 && want[rows][0] != fmt.Sprintf("%s-%d", tb.Sheet, rows) {
				t.Errorf("written alone: %d rows, want %d", len(want)-1, rows)
			}
			ts, err := f.GetTables(tb.Sheet)
			if ref := fmt.Sprintf("A1:C%d", max(rows+1, 2)); err != nil || len(ts) != 1 || ts[0].Range != ref {
				t.Errorf("tables %+v %v, want one over %s", ts, err, ref)
			}
		})
	}
}

// TestWriteTablesLargeFirst: a table marked Large, last of the workbook,
// is begun before the small ones before it (each of which waits for it to
// begin: as many as the sheets made at once, so that they would all wait
// had it been left to its turn), and the sheets keep the tables' order.
func TestWriteTablesLargeFirst(t *testing.T) {
	begun := make(chan struct{})
	var once sync.Once
	var tables []xlsx.Table
	for _, name := range []string{"实事", "举措", "站点", "志愿活动"} {
		tables = append(tables, numbered(name, 3, func(i int) {
			if i == 0 {
				select {
				case <-begun:
				case <-time.After(10 * time.Second):
					t.Errorf("%s was begun, and waited, before the large table", name)
					once.Do(func() { close(begun) })
				}
			}
		}))
	}
	large := numbered("民意档案", 500, func(i int) {
		if i == 0 {
			once.Do(func() { close(begun) })
		}
	})
	large.Large = true
	tables = append(tables, large)
	var buf bytes.Buffer
	if err := xlsx.WriteTables(&buf, tables); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if list, want := f.GetSheetList(), []string{"实事", "举措", "站点", "志愿活动", "民意档案"}; !reflect.DeepEqual(list, want) {
		t.Fatalf("sheets %q, want %q", list, want)
	}
	if rows := readBack(t, buf.Bytes())["民意档案"]; len(rows) != 501 {
		t.Fatalf("the large sheet has %d rows, want 501", len(rows))
	}
}

// TestWriteTablesFailingTable: a table failing among others is
// WriteTables' error; the tables being read beside it stop at their next
// batch, the one not begun is never read, w has nothing, no temporary file
// is left and every goroutine ends.
func TestWriteTablesFailingTable(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	before := runtime.NumGoroutine()
	broken := errors.New("the database failed")
	var mu sync.Mutex
	read := map[string]int{}
	var stopped []error
	files := 0
	endless := func(sheet string, failAt int) xlsx.Table {
		return xlsx.Table{Sheet: sheet, Columns: []xlsx.Column{{Header: "a"}, {Header: "b", Kind: xlsx.Number}},
			Rows: func(yield func([]any) error) error {
				for i := range 10_000_000 {
					if i == failAt {
						spilled, _ := os.ReadDir(os.Getenv("TMPDIR"))
						mu.Lock()
						files = len(spilled)
						mu.Unlock()
						return broken
					}
					mu.Lock()
					read[sheet]++
					mu.Unlock()
					// Texts that do not deflate: the sheets spill to files.
					if err := yield([]any{fmt.Sprintf("%x", i*2654435761), i}); err != nil {
						mu.Lock()
						stopped = append(stopped, err)
						mu.Unlock()
						return err
					}
				}
				return nil
			}}
	}
	// At most four sheets are made at once: the fifth waits for one of
	// the first four to end, and none does but by the failure.
	tables := []xlsx.Table{endless("甲", -1), endless("乙", 200_000), endless("丙", -1), endless("丁", -1), endless("戊", -1)}
	var w bytes.Buffer
	if err := xlsx.WriteTables(&w, tables); !errors.Is(err, broken) || w.Len() != 0 {
		t.Fatalf("err %v, %d bytes written; want the failing table's error and nothing", err, w.Len())
	}
	if read["甲"] >= 10_000_000 || read["乙"] != 200_000 {
		t.Errorf("rows read: %v; want the first stopped early, the second to its failure", read)
	}
	if read["戊"] != 0 {
		t.Errorf("rows read: %v; want the table not begun before the failure never begun", read)
	}
	if len(stopped) == 0 {
		t.Error("no reading was told to stop")
	}
	if files == 0 {
		t.Error("no sheet had spilled to a temporary file when the table failed")
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines, %d before", n, before)
	}
}

// TestWriteTablesLarge: a sheet of 100,000 rows (deflated past what is held
// in memory, so through a temporary file) reads back whole, and leaves no
// file behind.
func TestWriteTablesLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows")
	}
	t.Setenv("TMPDIR", t.TempDir())
	const n = 100_000
	var buf bytes.Buffer
	if err := xlsx.WriteTables(&buf, []xlsx.Table{numbered("民意档案", n, nil), numbered("实事", 10, nil)}); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "xl/worksheets/sheet1.xml" && f.CompressedSize64 <= 1<<20 {
			t.Errorf("the sheet deflates to %d bytes: not past the 1 MiB held in memory", f.CompressedSize64)
		}
	}
	rows := readBack(t, buf.Bytes())["民意档案"]
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want %d", len(rows), n+1)
	}
	for _, i := range []int{1, 256, 257, 50_000, n} {
		if want := []string{fmt.Sprintf("民意档案-%d", i), fmt.Sprint(i)}; !reflect.DeepEqual(rows[i][:2], want) {
			t.Errorf("row %d = %q, want %q…", i+1, rows[i], want)
		}
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
