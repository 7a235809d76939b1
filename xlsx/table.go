package xlsx

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A Table is one list exported: a sheet of a workbook or a CSV file. Its
// rows come one at a time from Rows, so a list of a hundred thousand
// records is never held whole: WriteTables deflates each row's XML into a
// temporary file as it comes.
type Table struct {
	// Sheet names the worksheet (at most 31 characters, none of []:*?/\).
	Sheet   string
	Columns []Column
	// Rows calls yield with each row in turn, a value per column (see
	// Kind), and returns yield's error, or its own. WriteTables calls
	// several tables' Rows at once, each in a goroutine of its own: what
	// they share must bear it.
	Rows func(yield func(row []any) error) error
	// Large marks a table expected to be far larger than the others of
	// its workbook: the large tables are begun first, side by side, and
	// the others after, whatever their place in the workbook, so that the
	// large do not wait for the small (WriteTables).
	Large bool
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

// excelUnixDay is 1970-01-01 as Excel's serial day (the 1900 date system,
// whose day 0 is 1899-12-30: right from 1 March 1900, long before any
// record).
const excelUnixDay = 25569

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

// sanitize drops what XML cannot hold (control characters other than tab,
// newline and carriage return, U+FFFE and U+FFFF, bytes that are not
// UTF-8), which would make the workbook unreadable.
func sanitize(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, n) {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for i += n; i < len(s); i += n {
				if r, n = utf8.DecodeRuneInString(s[i:]); xmlChar(r, n) {
					b.WriteString(s[i : i+n])
				}
			}
			return b.String()
		}
		i += n
	}
	return s
}

// xmlChar reports whether the rune r decoded from n bytes is one XML holds.
func xmlChar(r rune, n int) bool {
	return !(r == utf8.RuneError && n == 1 || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF)
}
