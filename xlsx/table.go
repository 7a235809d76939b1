package xlsx

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// A Table is one list exported: a sheet of a workbook or a CSV file. Its
// rows come one at a time from Rows, so a list of a hundred thousand
// records is never held whole; excelize's stream writer keeps what it has
// been given in a temporary file beyond a few megabytes.
type Table struct {
	// Sheet names the worksheet (at most 31 characters, none of []:*?/\).
	Sheet   string
	Columns []Column
	// Rows calls yield with each row in turn, a value per column (see
	// Kind), and returns yield's error, or its own.
	Rows func(yield func(row []any) error) error
}

// Column is a table's column: its header in Chinese, the kind of its
// values, and its width in characters (zero: fitted to the header and the
// first rows).
type Column struct {
	Header string
	Kind   Kind
	Width  float64
}

// Kind is what a column holds, and so how a cell is written: a text
// (string), a number (int, int64 or float64), a day or a moment
// (time.Time, written as its wall clock: give it in the zone it is read
// in). nil or a zero time is an empty cell in every kind.
type Kind int

// The kinds of column.
const (
	Text Kind = iota
	Number
	Date
	DateTime
)

// Formats of the days and moments: Excel's, and the text of a CSV cell.
const (
	dateFormat     = "yyyy-mm-dd"
	dateTimeFormat = "yyyy-mm-dd hh:mm"
	csvDate        = "2006-01-02"
	csvDateTime    = "2006-01-02 15:04"
)

// excelEpoch is day 0 of Excel's serial days (1900 date system; right from
// 1 March 1900, long before any record).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// widthRows is how many rows are read before the columns' widths are set:
// a stream writer must know them before the first row.
const widthRows = 200

// maxWidth bounds a fitted column (a long text wraps past it in Excel).
const maxWidth = 60

// Neutralise returns s made harmless to a spreadsheet: a text beginning
// with =, +, -, @, a tab or a carriage return is one a spreadsheet may run
// as a formula (CSV injection: =HYPERLINK(…), @SUM(…), -2+3), so it gets a
// leading apostrophe, which Excel shows as text. Numbers of a Number
// column are written as numbers and never pass here.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// TextWidth is how wide s shows in a spreadsheet's default font, in
// characters: a Chinese character (any wide East Asian one) counts as two.
func TextWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// isWide reports whether r shows twice as wide as a Latin letter.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6)
}

// CellText is how a value of kind k reads as text: in a CSV cell, and to
// measure a column. A text is neutralised.
func CellText(k Kind, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return Neutralise(v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		if k == Date {
			return v.Format(csvDate)
		}
		return v.Format(csvDateTime)
	case *time.Time:
		if v == nil {
			return ""
		}
		return CellText(k, *v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return Neutralise(fmt.Sprint(v))
}

// WriteCSV writes t as CSV to w: UTF-8 with a byte order mark (so that
// Excel reads the Chinese as Chinese), the headers first, days as
// YYYY-MM-DD and moments as YYYY-MM-DD hh:mm, texts neutralised.
func WriteCSV(w io.Writer, t Table) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // as Excel writes it
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Header
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	err := t.Rows(func(row []any) error {
		for i, c := range t.Columns {
			rec[i] = ""
			if i < len(row) {
				rec[i] = CellText(c.Kind, row[i])
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteTables writes a workbook of a sheet per table to w: the header row
// bold and frozen, a filter on every column (an Excel table), days and
// moments as real dates with a date format, numbers as numbers, texts as
// texts (neutralised all the same, as in CSV, for whoever copies them
// out), and widths that fit the header and the first rows.
func WriteTables(w io.Writer, tables []Table) error {
	if len(tables) == 0 {
		return errors.New("xlsx: no tables")
	}
	f := excelize.NewFile()
	defer f.Close()
	// The zip goes straight to w as it is made: excelize's own writer
	// holds the whole file in a buffer first (a year's ledgers of a large
	// bureau: tens of megabytes, a server's memory target passed), and
	// deflates at its fastest level, the streamed sheets' XML being most
	// of the work of a large workbook and compressing well all the same.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return fastZip(w) })
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Sheet)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err != nil {
			return err
		}
		if err := writeTable(f, st, t, i+1); err != nil {
			return err
		}
	}
	// The first sheet is the active one as the new file made it (its view
	// tabSelected, activeTab 0). SetActiveSheet would read every streamed
	// sheet back into memory to mark its view: seconds and hundreds of
	// megabytes for a year's ledgers.
	// The file went to w through fastZip; excelize's buffer stays empty.
	return f.Write(io.Discard)
}

// fastZip is a zip archive written to w, deflated at flate.BestSpeed.
func fastZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// styles are the cell styles of an exported table.
type styles struct{ head, text, date, dateTime int }

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	bold := &excelize.Font{Bold: true}
	if st.head, err = f.NewStyle(&excelize.Style{Font: bold, Alignment: &excelize.Alignment{Vertical: "center"}}); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": a code such as 001 stays text
		return st, err
	}
	date, dateTime := dateFormat, dateTimeFormat
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &date}); err != nil {
		return st, err
	}
	st.dateTime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateTime})
	return st, err
}

// writeTable streams t into its sheet; n numbers its Excel table.
func writeTable(f *excelize.File, st styles, t Table, n int) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	// The first rows are held before anything is written: the widths come
	// before the rows in a sheet.
	var first [][]any
	r := 1
	cells := make([]any, len(t.Columns))
	put := func(row []any) error {
		r++
		for i, c := range t.Columns {
			var v any
			if i < len(row) {
				v = row[i]
			}
			cells[i] = cellOf(st, c.Kind, v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		return sw.SetRow(cell, cells)
	}
	started := false
	start := func() error {
		started = true
		if err := startSheet(sw, st, t.Columns, first); err != nil {
			return err
		}
		for _, row := range first {
			if err := put(row); err != nil {
				return err
			}
		}
		first = nil
		return nil
	}
	err = t.Rows(func(row []any) error {
		if started {
			return put(row)
		}
		first = append(first, append([]any(nil), row...))
		if len(first) >= widthRows {
			return start()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !started {
		if err := start(); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), max(r, 2))
	off := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Table" + strconv.Itoa(n), StyleName: "TableStyleLight1",
		ShowRowStripes: &off}); err != nil {
		return err
	}
	return sw.Flush()
}

// startSheet sets the columns' widths (fitted to the header and the rows
// first), freezes the header row and writes it.
func startSheet(sw *excelize.StreamWriter, st styles, cols []Column, first [][]any) error {
	for c, col := range cols {
		width := col.Width
		if width <= 0 {
			width = TextWidth(col.Header) + 4 // the filter's button
			for _, row := range first {
				if c < len(row) {
					width = max(width, TextWidth(CellText(col.Kind, row[c]))+2)
				}
			}
			width = min(width, maxWidth)
		}
		if err := sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.head, Value: c.Header}
	}
	return sw.SetRow("A1", head)
}

// cellOf is v written in a column of kind k.
func cellOf(st styles, k Kind, v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case *time.Time:
		if v == nil {
			return nil
		}
		return cellOf(st, k, *v)
	case time.Time:
		if v.IsZero() {
			return nil
		}
		// Excel's dates have no zone: the wall clock as given, as Excel's
		// serial day (excelize's own conversion makes a style per cell).
		day := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
		serial := float64(day.Sub(excelEpoch) / (24 * time.Hour))
		if k == Date {
			return excelize.Cell{StyleID: st.date, Value: serial}
		}
		secs := v.Hour()*3600 + v.Minute()*60 + v.Second()
		return excelize.Cell{StyleID: st.dateTime, Value: serial + float64(secs)/86400}
	case int, int64, float64:
		if k == Number {
			return v
		}
		return excelize.Cell{StyleID: st.text, Value: CellText(k, v)}
	case string:
		return excelize.Cell{StyleID: st.text, Value: sanitize(Neutralise(v))}
	}
	return excelize.Cell{StyleID: st.text, Value: sanitize(CellText(k, v))}
}

// sanitize drops what XML cannot hold (control characters other than tab,
// newline and carriage return, invalid UTF-8), which would make the
// workbook unreadable.
func sanitize(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
}
