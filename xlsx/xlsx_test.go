package xlsx_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minyi"
	"minyi/xlsx"
)

func TestWriteRead(t *testing.T) {
	in := [][]string{{"标题", "日期", "数量"}, {"001", "2021-09-13", "53"}, {}, {"", "", "x"}}
	b, err := xlsx.Write([]xlsx.Sheet{{Name: "实事", Rows: in, Widths: []float64{20}, Bold: true}, {Name: "说明", Rows: [][]string{{"a"}}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := xlsx.Read(bytes.NewReader(b), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"标题", "日期", "数量"}, {"001", "2021-09-13", "53"}, nil, {"", "", "x"}}
	if len(got) != len(want) {
		t.Fatalf("rows = %q, want %q", got, want)
	}
	for i := range want {
		if len(want[i]) == 0 && len(got[i]) == 0 {
			continue
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i+1, got[i], want[i])
		}
	}
}

func TestReadRawDate(t *testing.T) {
	f := excelize.NewFile()
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellValue("Sheet1", "A1", "日期")
	f.SetCellValue("Sheet1", "A2", 44452) // 2021-09-13
	f.SetCellStyle("Sheet1", "A2", "A2", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := xlsx.Read(&buf, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got[1][0] != "44452" {
		t.Errorf("date cell = %q, want the serial 44452", got[1][0])
	}
}

// cellAt is a workbook whose first sheet holds a header and one cell at
// the name given.
func cellAt(t *testing.T, cell string) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "标题")
	if err := f.SetCellValue("Sheet1", cell, "x"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadRefuses(t *testing.T) {
	b, _ := xlsx.Write([]xlsx.Sheet{{Name: "s", Rows: [][]string{{"a"}, {"b"}, {"c"}}}})
	for _, tc := range []struct {
		name string
		body []byte
		max  int
		code string
	}{
		{"not a workbook", []byte("标题,日期\n"), 10, minyi.EInvalid},
		{"too many rows", b, 2, minyi.ETooLarge},
		// excelize fills the columns before a cell: XFD is the 16,384th.
		{"a cell in the last column", cellAt(t, "XFD2"), 10, minyi.EInvalid},
		{"a cell one column past MaxColumns", cellAt(t, "IW2"), 10, minyi.EInvalid},
		{"too many shared texts", xlsx.WithSharedStrings(t, xlsx.MaxSharedStrings+1), 10, minyi.ETooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := xlsx.Read(bytes.NewReader(tc.body), tc.max)
			if minyi.ErrorCode(err) != tc.code {
				t.Errorf("err = %v, want %s", err, tc.code)
			}
			if !strings.Contains(minyi.ErrorMessage(err), "/") {
				t.Errorf("message %q is not bilingual", minyi.ErrorMessage(err))
			}
		})
	}
}

// TestReadLastColumn checks that a cell in column MaxColumns (IV) is read.
func TestReadLastColumn(t *testing.T) {
	got, err := xlsx.Read(bytes.NewReader(cellAt(t, "IV2")), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[1]) != xlsx.MaxColumns || got[1][xlsx.MaxColumns-1] != "x" {
		t.Errorf("row 2 has %d cells, want %d ending in x", len(got[1]), xlsx.MaxColumns)
	}
}
