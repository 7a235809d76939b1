// Package xlsx reads and writes Office Open XML workbooks (.xlsx) as sheets
// of strings, with github.com/xuri/excelize/v2. It knows nothing of what the
// cells mean: the ledgers' columns are ledgerimport's.
package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"minyi"
)

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Limits on what Read unpacks: an .xlsx is a zip archive, and a small file
// can hold a huge sheet.
const (
	// MaxUnzipped bounds the size of the unpacked workbook.
	MaxUnzipped = 400 << 20
	// MaxSheetInMemory is the size of a sheet's XML above which excelize
	// works from a temporary file instead of memory.
	MaxSheetInMemory = 64 << 20
)

// Sheet is one worksheet: its name, rows of cells, and how wide to show
// each column (in characters; zero leaves the default).
type Sheet struct {
	Name   string
	Rows   [][]string
	Widths []float64
	// Bold makes the first row bold: the header of a table.
	Bold bool
}

// Write returns a workbook of the sheets, every cell text (so a code such as
// 001 or a date stays as it was written).
func Write(sheets []Sheet) ([]byte, error) {
	if len(sheets) == 0 {
		return nil, errors.New("xlsx: no sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return nil, err
		}
		cols := 0
		for _, r := range s.Rows {
			cols = max(cols, len(r))
		}
		if cols > 0 {
			last, _ := excelize.ColumnNumberToName(cols)
			if err := f.SetColStyle(s.Name, "A:"+last, text); err != nil {
				return nil, err
			}
		}
		for c, w := range s.Widths {
			if w <= 0 {
				continue
			}
			name, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(s.Name, name, name, w); err != nil {
				return nil, err
			}
		}
		for r, row := range s.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.Name, cell, &cells); err != nil {
				return nil, err
			}
		}
		if s.Bold && len(s.Rows) > 0 && cols > 0 {
			last, _ := excelize.CoordinatesToCellName(cols, 1)
			if err := f.SetCellStyle(s.Name, "A1", last, bold); err != nil {
				return nil, err
			}
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Read returns the rows of the workbook's first sheet, at most maxRows of
// them (more is too_large), each cell as stored: a number or a date as its
// raw value (a date is Excel's serial day number unless the cell is text).
// Trailing empty cells are dropped; empty rows in between are kept, so a
// row's index plus one is the row number Excel shows.
func Read(r io.Reader, maxRows int) ([][]string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxSheetInMemory})
	if err != nil {
		return nil, minyi.Invalid("file", "文件不是有效的Excel工作簿（.xlsx）", "the file is not an Excel workbook (.xlsx)")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, minyi.Invalid("file", "工作簿中没有工作表", "the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, minyi.Invalid("file", "无法读取第一个工作表", "the first sheet cannot be read")
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		if len(out) >= maxRows {
			return nil, minyi.Errorf(minyi.ETooLarge, "%s", fmt.Sprintf("表格超过%d行 / the sheet has more than %d rows", maxRows, maxRows))
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, minyi.Invalid("file", "无法读取第一个工作表", "the first sheet cannot be read")
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, minyi.Invalid("file", "无法读取第一个工作表", "the first sheet cannot be read")
	}
	return out, nil
}
