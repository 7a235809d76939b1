package xlsx

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The tables' workbook is written here rather than through excelize: its
// stream writer spent about 16 µs a row of 21 cells (SetRow: a cell name
// and a style looked up per cell, each text escaped through a
// strings.Builder and a regular expression), the sheets went to temporary
// files and were zipped only at the end, and it held up to 32 MB of each
// sheet's XML in memory (BENCHMARKS.md, issue 14). A table's workbook is
// a handful of fixed parts and one worksheet per table of inline strings,
// numbers and dates under five styles; the rows are made in one goroutine
// (the database's reading) and written as XML, deflated, in another, the
// whole zip going to a temporary file so that nothing is sent before the
// last row is read. Read (excelize) and LibreOffice read it back in the
// tests.

// WriteTables writes a workbook of a sheet per table to w: the header row
// bold and frozen, a filter on every column (an Excel table), days and
// moments as real dates with a date format, numbers as numbers, texts as
// texts (neutralised all the same, as in CSV, for whoever copies them
// out), and widths that fit the header and the first rows. Nothing is
// written to w before every row is read: a table's error is WriteTables'
// and w has had nothing.
func WriteTables(w io.Writer, tables []Table) error {
	if len(tables) == 0 {
		return errors.New("xlsx: no tables")
	}
	names := map[string]bool{}
	for _, t := range tables {
		if err := checkSheetName(t.Sheet); err != nil {
			return err
		}
		if names[strings.ToLower(t.Sheet)] {
			return errors.New("xlsx: two sheets named " + t.Sheet)
		}
		names[strings.ToLower(t.Sheet)] = true
	}
	tmp, err := os.CreateTemp("", "minyi-workbook-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	fw := bufio.NewWriterSize(tmp, 256<<10)
	zw := zip.NewWriter(fw)
	// BestSpeed: the sheets' XML is most of a large workbook's work and
	// compresses well all the same.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	rows := make([]int, len(tables))
	for i, t := range tables {
		if rows[i], err = writeSheet(zw, t, i+1); err != nil {
			return err
		}
	}
	for i, t := range tables {
		if err := writePart(zw, "xl/tables/table"+strconv.Itoa(i+1)+".xml", tableXML(t, i+1, rows[i])); err != nil {
			return err
		}
		if err := writePart(zw, "xl/worksheets/_rels/sheet"+strconv.Itoa(i+1)+".xml.rels", xmlHead+
			`<Relationships xmlns="`+nsRels+`"><Relationship Id="rId1" Type="`+nsDocRels+`/table" Target="../tables/table`+
			strconv.Itoa(i+1)+`.xml"/></Relationships>`); err != nil {
			return err
		}
	}
	for _, p := range fixedParts(tables) {
		if err := writePart(zw, p[0], p[1]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := fw.Flush(); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = io.Copy(w, tmp)
	return err
}

// checkSheetName refuses a name Excel would not open: empty, longer than
// 31 characters, or holding any of []:*?/\ (or an apostrophe at an end).
func checkSheetName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 31 || strings.ContainsAny(name, `[]:*?/\`) ||
		strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
		return errors.New("xlsx: sheet name " + strconv.Quote(name) + " is not one Excel allows")
	}
	return nil
}

const (
	xmlHead   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels    = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsDocRels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	ctPrefix  = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

// The cell styles of styles.xml (cellXfs), by index.
const (
	styleHead     = 1
	styleText     = 2
	styleDate     = 3
	styleDateTime = 4
)

// stylesXML: the default font and a bold one; text ("@", 49), the date
// and the moment formats.
const stylesXML = xmlHead + `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="2"><numFmt numFmtId="164" formatCode="` + dateFormat + `"/><numFmt numFmtId="165" formatCode="` + dateTimeFormat + `"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="center"/></xf>` +
	`<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`

// fixedParts are the workbook's parts besides its sheets and tables: the
// content types, the relationships, the workbook (the first sheet active)
// and the styles.
func fixedParts(tables []Table) [][2]string {
	var ct, sheets, rels strings.Builder
	ct.WriteString(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctPrefix + `sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + ctPrefix + `styles+xml"/>`)
	rels.WriteString(xmlHead + `<Relationships xmlns="` + nsRels + `">`)
	for i, t := range tables {
		n := strconv.Itoa(i + 1)
		ct.WriteString(`<Override PartName="/xl/worksheets/sheet` + n + `.xml" ContentType="` + ctPrefix + `worksheet+xml"/>` +
			`<Override PartName="/xl/tables/table` + n + `.xml" ContentType="` + ctPrefix + `table+xml"/>`)
		sheets.WriteString(`<sheet name="` + attr(t.Sheet) + `" sheetId="` + n + `" r:id="rId` + n + `"/>`)
		rels.WriteString(`<Relationship Id="rId` + n + `" Type="` + nsDocRels + `/worksheet" Target="worksheets/sheet` + n + `.xml"/>`)
	}
	ct.WriteString(`</Types>`)
	rels.WriteString(`<Relationship Id="rId` + strconv.Itoa(len(tables)+1) + `" Type="` + nsDocRels + `/styles" Target="styles.xml"/></Relationships>`)
	return [][2]string{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", xmlHead + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsDocRels +
			`/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", xmlHead + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsDocRels + `">` +
			`<bookViews><workbookView activeTab="0"/></bookViews><sheets>` + sheets.String() + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", stylesXML},
	}
}

// tableXML is the Excel table (a filter on every column) of t's header and
// its rows, the n-th of the workbook; a table without rows spans the
// header and one empty row, as Excel makes one.
func tableXML(t Table, n, rows int) string {
	ref := "A1:" + colName(len(t.Columns)) + strconv.Itoa(max(rows+1, 2))
	var b strings.Builder
	b.WriteString(xmlHead + `<table xmlns="` + nsMain + `" id="` + strconv.Itoa(n) + `" name="Table` + strconv.Itoa(n) +
		`" displayName="Table` + strconv.Itoa(n) + `" ref="` + ref + `"><autoFilter ref="` + ref + `"/><tableColumns count="` +
		strconv.Itoa(len(t.Columns)) + `">`)
	for i, c := range t.Columns {
		b.WriteString(`<tableColumn id="` + strconv.Itoa(i+1) + `" name="` + attr(c.Header) + `"/>`)
	}
	b.WriteString(`</tableColumns><tableStyleInfo name="TableStyleLight1" showFirstColumn="0" showLastColumn="0" ` +
		`showRowStripes="0" showColumnStripes="0"/></table>`)
	return b.String()
}

func writePart(zw *zip.Writer, name, content string) error {
	w, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, content)
	return err
}

// batchRows is how many rows the reading hands the writing at a time.
const batchRows = 256

// errStopped ends a table's reading when its writing failed.
var errStopped = errors.New("xlsx: writing stopped")

// writeSheet writes t as the n-th worksheet and returns its rows but the
// header. The rows are read (t.Rows: the database, the records' cells) in
// a goroutine of their own while the XML is written and deflated here: two
// cores when there are two.
func writeSheet(zw *zip.Writer, t Table, n int) (int, error) {
	batches := make(chan [][]any, 4)
	stop := make(chan struct{})
	read := make(chan error, 1)
	go func() {
		var b [][]any
		send := func() error {
			select {
			case batches <- b:
				b = make([][]any, 0, batchRows)
				return nil
			case <-stop:
				return errStopped
			}
		}
		err := t.Rows(func(row []any) error {
			// A table's rows may share their arrays (built by appending to
			// one prefix): each is copied before it is handed over.
			if b = append(b, slices.Clone(row)); len(b) == batchRows {
				return send()
			}
			return nil
		})
		if err == nil && len(b) > 0 {
			err = send()
		}
		close(batches)
		read <- err
	}()
	rows, werr := writeRows(zw, t, n, batches)
	if werr != nil {
		close(stop)
		for range batches { // the reading ends at its next row
		}
	}
	if err := <-read; err != nil && !errors.Is(err, errStopped) {
		return 0, err
	}
	return rows, werr
}

// writeRows writes the worksheet of t from the batches of its rows: the
// first rows held until the columns' widths are known (a worksheet gives
// them before its rows).
func writeRows(zw *zip.Writer, t Table, n int, batches <-chan [][]any) (int, error) {
	var first [][]any
	var more [][]any
	for b := range batches {
		first = append(first, b...)
		if len(first) >= widthRows {
			more, first = first[widthRows:], first[:widthRows]
			break
		}
	}
	zf, err := zw.Create("xl/worksheets/sheet" + strconv.Itoa(n) + ".xml")
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(zf, 256<<10)
	sel := ""
	if n == 1 {
		sel = ` tabSelected="1"`
	}
	w.WriteString(xmlHead + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsDocRels + `"><sheetViews><sheetView` + sel +
		` workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>`)
	for c, col := range t.Columns {
		w.WriteString(`<col min="` + strconv.Itoa(c+1) + `" max="` + strconv.Itoa(c+1) + `" width="` +
			strconv.FormatFloat(colWidth(col, c, first), 'f', -1, 64) + `" customWidth="1"/>`)
	}
	w.WriteString(`</cols><sheetData>`)
	e := rowEncoder{cols: make([]string, len(t.Columns)), kinds: make([]Kind, len(t.Columns))}
	for c, col := range t.Columns {
		e.cols[c], e.kinds[c] = colName(c+1), col.Kind
	}
	head := make([]any, len(t.Columns))
	for c, col := range t.Columns {
		head[c] = col.Header
	}
	e.head = true
	w.Write(e.row(1, head))
	e.head = false
	r := 1
	put := func(rows [][]any) error {
		for _, row := range rows {
			r++
			if _, err := w.Write(e.row(r, row)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(first); err != nil {
		return 0, err
	}
	if err := put(more); err != nil {
		return 0, err
	}
	for b := range batches {
		if err := put(b); err != nil {
			return 0, err
		}
	}
	w.WriteString(`</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`)
	return r - 1, w.Flush()
}

// colWidth is the width of column c: its own, or fitted to the header (and
// the filter's button) and the first rows, at most maxWidth.
func colWidth(col Column, c int, first [][]any) float64 {
	if col.Width > 0 {
		return col.Width
	}
	width := TextWidth(col.Header) + 4
	for _, row := range first {
		if c < len(row) {
			width = max(width, TextWidth(CellText(col.Kind, row[c]))+2)
		}
	}
	return min(width, maxWidth)
}

// colName is the letters of the 1-based column c (1: A, 27: AA).
func colName(c int) string {
	var b []byte
	for ; c > 0; c = (c - 1) / 26 {
		b = append(b, byte('A'+(c-1)%26))
	}
	slices.Reverse(b)
	return string(b)
}

// rowEncoder writes a row's XML into a buffer it reuses.
type rowEncoder struct {
	cols  []string // the columns' letters
	kinds []Kind
	head  bool // the header: bold texts, not neutralised
	buf   []byte
}

func (e *rowEncoder) row(r int, row []any) []byte {
	b := append(e.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `">`...)
	for c := range e.cols {
		if c < len(row) {
			b = e.cell(b, c, r, row[c])
		}
	}
	b = append(b, `</row>`...)
	e.buf = b
	return b
}

// cell appends the cell of v in column c, row r: nothing for nil or a zero
// time (an empty cell); a number of a Number column as a number; a time as
// Excel's serial day of its wall clock (Excel's dates have no zone) in the
// column's date or moment format; anything else as its text.
func (e *rowEncoder) cell(b []byte, c, r int, v any) []byte {
	k := e.kinds[c]
	start := func(style int, typ string) []byte {
		b = append(b, `<c r="`...)
		b = append(b, e.cols[c]...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `" s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
		if typ != "" {
			b = append(b, ` t="`...)
			b = append(b, typ...)
			b = append(b, '"')
		}
		return append(b, '>')
	}
	number := func(v []byte) []byte {
		b = append(b, `<c r="`...)
		b = append(b, e.cols[c]...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, `"><v>`...)
		b = append(b, v...)
		return append(b, `</v></c>`...)
	}
	var text string
	switch v := v.(type) {
	case nil:
		return b
	case *time.Time:
		if v == nil {
			return b
		}
		return e.cell(b, c, r, *v)
	case time.Time:
		if v.IsZero() {
			return b
		}
		day := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
		serial := float64(day.Sub(excelEpoch) / (24 * time.Hour))
		style := styleDate
		if k != Date {
			style = styleDateTime
			serial += float64(v.Hour()*3600+v.Minute()*60+v.Second()) / 86400
		}
		b = start(style, "")
		b = append(b, `<v>`...)
		b = strconv.AppendFloat(b, serial, 'f', -1, 64)
		return append(b, `</v></c>`...)
	case int:
		if k == Number && !e.head {
			return number(strconv.AppendInt(nil, int64(v), 10))
		}
		text = CellText(k, v)
	case int64:
		if k == Number && !e.head {
			return number(strconv.AppendInt(nil, v, 10))
		}
		text = CellText(k, v)
	case float64:
		if k == Number && !e.head {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return b // Excel holds no such number
			}
			return number(strconv.AppendFloat(nil, v, 'f', -1, 64))
		}
		text = CellText(k, v)
	case string:
		if e.head {
			text = v
		} else {
			text = Neutralise(v)
		}
	default:
		text = CellText(k, v)
	}
	style := styleText
	if e.head {
		style = styleHead
	}
	b = start(style, "inlineStr")
	text = cellLimit(text)
	if text != "" && (strings.ContainsRune(" \t\n\r", rune(text[0])) || strings.ContainsRune(" \t\n\r", rune(text[len(text)-1]))) {
		b = append(b, `<is><t xml:space="preserve">`...)
	} else {
		b = append(b, `<is><t>`...)
	}
	b = appendText(b, text)
	return append(b, `</t></is></c>`...)
}

// maxCellChars is the most UTF-16 units Excel holds in a cell.
const maxCellChars = 32767

// cellLimit cuts s to what a cell holds.
func cellLimit(s string) string {
	if len(s) <= maxCellChars { // a UTF-16 unit takes at least a byte of UTF-8
		return s
	}
	n := 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > maxCellChars {
			return s[:i]
		}
	}
	return s
}

// appendText appends s escaped as the text of an element: & < > as
// entities, a carriage return as one (XML would read it as a newline),
// what XML cannot hold dropped (sanitize), and an underscore that would
// begin Excel's escape of a character (_x000D_) escaped itself (_x005F_),
// so the text reads back as written.
func appendText(b []byte, s string) []byte {
	s = sanitize(s)
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '\r':
			b = append(b, "&#xD;"...)
		case '_':
			if isEscapeAt(s, i) {
				b = append(b, "_x005F"...)
			}
			b = append(b, '_')
		default:
			b = append(b, ch)
		}
	}
	return b
}

// isEscapeAt reports whether s holds _xHHHH_ at i.
func isEscapeAt(s string, i int) bool {
	if i+7 > len(s) || s[i+1] != 'x' || s[i+6] != '_' {
		return false
	}
	for _, h := range []byte(s[i+2 : i+6]) {
		if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
			return false
		}
	}
	return true
}

// attr is s escaped for an attribute's value.
func attr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", "&#xA;", "\r", "&#xD;", "\t", "&#x9;").Replace(sanitize(s))
}
