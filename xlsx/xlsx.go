// Package xlsx reads and writes Office Open XML workbooks (.xlsx) as sheets
// of strings, with github.com/xuri/excelize/v2, and writes the exports'
// tables (WriteTables) by its own small writer. It knows nothing of what
// the cells mean: the ledgers' columns are ledgerimport's.
package xlsx

import (
	"archive/zip"
	"bufio"
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
	// MaxUnzipped bounds the size of the unpacked workbook: the largest
	// import (20,000 rows of a ledger) unpacks to a few tens of megabytes.
	MaxUnzipped = 128 << 20
	// MaxSheetInMemory is the size of a sheet's XML above which excelize
	// works from a temporary file instead of memory.
	MaxSheetInMemory = 64 << 20
	// MaxColumns bounds the cells a row of Read may hold. excelize fills
	// every column before a cell with empty strings, so one cell in column
	// XFD (16,384) of each row would make a file of a few kilobytes take
	// gigabytes; no ledger has a tenth of this.
	MaxColumns = 256
	// MaxSharedStrings bounds the texts of a workbook's shared string
	// table, which excelize reads into memory whole at a cost of hundreds
	// of bytes a text however short: a file of tens of kilobytes holding a
	// million one-letter texts takes a gigabyte. 200,000 is ten texts of
	// their own in every row of the largest import (20,000 rows); texts
	// that repeat (units, branches, statuses, places) are stored once.
	MaxSharedStrings = 200_000
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
// row's index plus one is the row number Excel shows. A row with a cell
// beyond MaxColumns refuses the file, naming the row.
func Read(r io.Reader, maxRows int) ([][]string, error) {
	data, err := io.ReadAll(r) // as excelize.OpenReader does
	if err != nil {
		return nil, err
	}
	if err := checkSharedStrings(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
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
		if len(cols) > MaxColumns {
			return nil, minyi.Invalid("file", fmt.Sprintf("第%d行有内容超出第%d列，请删除表格右侧多余的内容", len(out)+1, MaxColumns),
				fmt.Sprintf("row %d has cells beyond column %d: remove what stands to the right of the table", len(out)+1, MaxColumns))
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, minyi.Invalid("file", "无法读取第一个工作表", "the first sheet cannot be read")
	}
	return out, nil
}

// checkSharedStrings refuses a workbook holding more than MaxSharedStrings
// shared texts (<si> elements), counted in every part of the archive, since
// the workbook's relations may name any part as its table, before
// excelize reads them. A file that is no zip, or a part too large to
// unpack, is left for excelize to refuse in its own words.
func checkSharedStrings(data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	n := 0
	for _, f := range z.File {
		if f.UncompressedSize64 > MaxUnzipped {
			return nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		n, err = countElements(bufio.NewReaderSize(rc, 64<<10), "si", n, MaxSharedStrings)
		rc.Close()
		if err != nil {
			return nil
		}
		if n > MaxSharedStrings {
			return minyi.Errorf(minyi.ETooLarge, "%s", fmt.Sprintf("工作簿中的文字超过%d段 / the workbook holds more than %d texts", MaxSharedStrings, MaxSharedStrings))
		}
	}
	return nil
}

// countElements adds to n the start tags named local (any namespace
// prefix) that r holds, stopping once n passes max. Character data holds
// no raw '<', so every '<' begins markup; a CDATA section holding such a
// tag only counts too many.
func countElements(r *bufio.Reader, local string, n, max int) (int, error) {
	for n <= max {
		if _, err := r.ReadSlice('<'); err == bufio.ErrBufferFull {
			continue
		} else if err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
		name, _ := r.Peek(len(local) + 34) // a prefix, the name and what ends it
		end := bytes.IndexAny(name, " \t\r\n/>")
		if end <= 0 {
			continue // a closing tag, or a name too long to be ours
		}
		name = name[:end]
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		if string(name) == local {
			n++
		}
	}
	return n, nil
}
