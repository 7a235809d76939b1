package xlsx

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
// numbers and dates under five styles.
//
// The sheets are made side by side, up to sheetsAtOnce of them (the
// cores, at least two, at most four): each sheet's rows are read in a
// goroutine of their own (the database's reading) while its XML is
// written and deflated in another into a part of its own (memory, or a
// temporary file past spillAt), with its CRC-32 and sizes. So the
// ledgers' archive (民意档案, half a year's rows) is read while the other
// sheets are made rather than after them. Once every row of every sheet
// is read, the parts are copied in order into the zip as they are
// (zip.Writer.CreateRaw) straight to w: nothing is sent before the last
// row is read. Read (excelize) and LibreOffice read it back in the tests.
//
// Where the writing's time goes (BenchmarkWriteTables, a CPU profile):
// half of it was escaping the texts a byte at a time and checking each
// for what XML cannot hold a rune at a time; both are now one scan of
// the bytes by a class table, runs copied whole (appendText), which
// halved a row's time. Deflating (BestSpeed) is now about two fifths of
// the rest. Deflating a sheet on a core of its own beside the XML's
// writing (tried: the XML handed in buffers of 64 KiB to a goroutine of
// deflating; pgzip's chunks deflated in parallel would gain no more on
// two cores) did not pay: the two cores are already taken by two sheets,
// each read from the database beside its writing, and the hand-over cost
// more than it saved (100,000 rows alone at a load average of 9–12:
// 0.45–0.59 s a workbook against 0.39–0.42 s), so it is not done.

// WriteTables writes a workbook of a sheet per table to w: the header row
// bold and frozen, a filter on every column (an Excel table), days and
// moments as real dates with a date format, numbers as numbers, texts as
// texts (neutralised all the same, as in CSV, for whoever copies them
// out), and widths that fit the header and the first rows. The sheets are
// begun several at once, those marked Large first, the others in the
// tables' order.
// Nothing is written to w before every row of every table is read: a
// table's error is WriteTables' (the other tables' reading stopped at
// their next batch of rows) and w has had nothing.
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
	sheets, err := writeSheets(tables)
	defer func() {
		for _, s := range sheets {
			if s != nil {
				s.part.remove()
			}
		}
	}()
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	zw := zip.NewWriter(bw)
	// BestSpeed, as the sheets: the other parts are small.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	for i, s := range sheets {
		zf, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml", Method: zip.Deflate,
			CreatorVersion: zipVersion20, ReaderVersion: zipVersion20,
			CRC32: s.crc, UncompressedSize64: uint64(s.size), CompressedSize64: uint64(s.part.n)})
		if err != nil {
			return err
		}
		if err := s.part.copyTo(zf); err != nil {
			return err
		}
	}
	for i, t := range tables {
		if err := writePart(zw, "xl/tables/table"+strconv.Itoa(i+1)+".xml", tableXML(t, i+1, sheets[i].rows)); err != nil {
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
	return bw.Flush()
}

// zipVersion20 is the zip version (2.0) archive/zip's Create writes as
// made by and needed: deflate, no zip64.
const zipVersion20 = 20

// sheetsAtOnce is how many of n sheets are made at once: as many as the
// cores, at least two (one sheet's reading mostly waits on the database),
// at most four, since each holds one of the database's connections while
// read and the server's pool is shared with every other request. It has a
// price in memory: the ledgers' workbook of 2024 from a million-item
// SQLite archive (167,337 archive rows and 166,908 cases) peaked at
// 235–273 MB of the server's RSS with its two large sheets read at once,
// against 151–165 MB one after the other, the difference outside Go's
// heap (SQLite's, two queries' at once); returning 1 here makes the
// sheets one after another again, every other gain kept.
func sheetsAtOnce(n int) int {
	return min(n, max(2, min(runtime.GOMAXPROCS(0), 4)))
}

// writeSheets makes the tables' worksheets, sheetsAtOnce of them at a
// time, the large first, else in the tables' order, and returns them in
// the tables' order; on an error
// (the first table's to fail: its reading's, or its writing's) the sheets
// not yet begun are not, those under way stop at their next batch, and
// the sheets returned (some nil) must still be removed.
func writeSheets(tables []Table) ([]*sheet, error) {
	sheets := make([]*sheet, len(tables))
	next := make(chan int, len(tables))
	for _, large := range []bool{true, false} {
		for i, t := range tables {
			if t.Large == large {
				next <- i
			}
		}
	}
	close(next)
	stop := make(chan struct{})
	var once sync.Once
	var failed error
	var wg sync.WaitGroup
	for range sheetsAtOnce(len(tables)) {
		wg.Go(func() {
			for i := range next {
				select {
				case <-stop:
					return
				default:
				}
				s, err := writeSheet(tables[i], i+1, stop)
				sheets[i] = s
				if err != nil {
					// The first error is the cause; the sheets it stops
					// end with errStopped, or whatever their reading makes
					// of it, after it.
					once.Do(func() { failed = err; close(stop) })
				}
			}
		})
	}
	wg.Wait()
	return sheets, failed
}

// A sheet is a worksheet written: its XML deflated (raw deflate, as a zip
// entry holds it) with the XML's CRC-32 and size, and its rows but the
// header.
type sheet struct {
	part *spill
	crc  uint32
	size int64
	rows int
}

// spillAt is the size of a deflated sheet held in memory: past it the
// sheet goes to a temporary file. The small sheets stay in memory; a
// large one (the archive's of a year: tens of megabytes) would weigh on
// the server's memory while the others are made.
const spillAt = 1 << 20

// spill is a deflated sheet: in memory up to spillAt, then in a temporary
// file.
type spill struct {
	mem []byte
	f   *os.File
	bw  *bufio.Writer
	n   int64
}

func (s *spill) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	if s.f == nil {
		if len(s.mem)+len(p) <= spillAt {
			s.mem = append(s.mem, p...)
			return len(p), nil
		}
		f, err := os.CreateTemp("", "minyi-sheet-*.xml.deflate")
		if err != nil {
			return 0, err
		}
		s.f, s.bw = f, bufio.NewWriterSize(f, 256<<10)
		if _, err := s.bw.Write(s.mem); err != nil {
			return 0, err
		}
		s.mem = nil
	}
	return s.bw.Write(p)
}

// finish writes out what the file's buffer holds.
func (s *spill) finish() error {
	if s.bw == nil {
		return nil
	}
	return s.bw.Flush()
}

// copyTo writes the deflated sheet to w.
func (s *spill) copyTo(w io.Writer) error {
	if s.f == nil {
		_, err := w.Write(s.mem)
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.CopyBuffer(w, s.f, make([]byte, 256<<10))
	return err
}

// remove closes and removes the temporary file, if any.
func (s *spill) remove() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f, s.bw = nil, nil
	}
	s.mem = nil
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

// The cell styles of styles.xml (cellXfs), by index, as a cell's s
// attribute says it.
const (
	styleHead     = "1"
	styleText     = "2"
	styleDate     = "3"
	styleDateTime = "4"
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

// errStopped ends a table's reading when its writing failed, or another
// table's.
var errStopped = errors.New("xlsx: writing stopped")

// A batch is rows read, their values copied into one array: a table's rows
// may share their arrays (built by appending to one prefix), so each is
// copied before it is handed over, and a batch's array is used again once
// written rather than a slice allocated per row.
type batch struct {
	rows [][]any
	vals []any
}

// add copies row into b, at most cols values (the cells written).
func (b *batch) add(row []any, cols int) {
	n := len(b.vals)
	b.vals = append(b.vals, row[:min(len(row), cols)]...)
	b.rows = append(b.rows, b.vals[n:len(b.vals):len(b.vals)])
}

// writeSheet writes t as the n-th worksheet. Its rows are read (t.Rows:
// the database, the records' cells) in a goroutine of their own while the
// XML is written and deflated here: two cores when there are two. A
// closed stop (another sheet failed) ends both at the next batch.
func writeSheet(t Table, n int, stop <-chan struct{}) (*sheet, error) {
	cols := len(t.Columns)
	batches := make(chan *batch, 4)
	free := make(chan *batch, 8)
	quit := make(chan struct{})
	read := make(chan error, 1)
	newBatch := func() *batch {
		select {
		case b := <-free:
			return b
		default:
			return &batch{rows: make([][]any, 0, batchRows), vals: make([]any, 0, batchRows*cols)}
		}
	}
	go func() {
		b := newBatch()
		send := func() error {
			select {
			case batches <- b:
				b = newBatch()
				return nil
			case <-quit:
				return errStopped
			case <-stop:
				return errStopped
			}
		}
		err := t.Rows(func(row []any) error {
			if b.add(row, cols); len(b.rows) == batchRows {
				return send()
			}
			return nil
		})
		if err == nil && len(b.rows) > 0 {
			err = send()
		}
		close(batches)
		read <- err
	}()
	s := &sheet{part: &spill{}}
	werr := writeRows(s, t, n, batches, free, stop)
	if werr != nil {
		close(quit)
		for range batches { // the reading ends at its next batch
		}
	}
	rerr := <-read
	if rerr != nil && (werr == nil || !errors.Is(rerr, errStopped)) {
		werr = rerr
	}
	if werr != nil {
		s.part.remove()
		return nil, werr
	}
	return s, nil
}

// sheetBuf is how much XML is gathered before it is deflated.
const sheetBuf = 64 << 10

// writeRows writes the worksheet of t into s from the batches of its rows
// (each handed back to free once written): the first rows held until the
// columns' widths are known (a worksheet gives them before its rows).
func writeRows(s *sheet, t Table, n int, batches <-chan *batch, free chan<- *batch, stop <-chan struct{}) error {
	var held []*batch
	var first [][]any
	for len(first) < widthRows {
		b, ok := <-batches
		if !ok {
			break
		}
		held = append(held, b)
		first = append(first, b.rows[:min(len(b.rows), widthRows-len(first))]...)
	}
	fw, err := flate.NewWriter(s.part, flate.BestSpeed)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, sheetBuf+sheetBuf/4)
	flush := func() error {
		s.crc = crc32.Update(s.crc, crc32.IEEETable, buf)
		s.size += int64(len(buf))
		_, err := fw.Write(buf)
		buf = buf[:0]
		return err
	}
	sel := ""
	if n == 1 {
		sel = ` tabSelected="1"`
	}
	buf = append(buf, xmlHead+`<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsDocRels+`"><sheetViews><sheetView`+sel+
		` workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>`...)
	for c, col := range t.Columns {
		buf = append(buf, `<col min="`+strconv.Itoa(c+1)+`" max="`+strconv.Itoa(c+1)+`" width="`+
			strconv.FormatFloat(colWidth(col, c, first), 'f', -1, 64)+`" customWidth="1"/>`...)
		if len(buf) >= sheetBuf {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	buf = append(buf, `</cols><sheetData>`...)
	e := rowEncoder{cols: make([]string, len(t.Columns)), kinds: make([]Kind, len(t.Columns))}
	for c, col := range t.Columns {
		e.cols[c], e.kinds[c] = `<c r="`+colName(c+1), col.Kind
	}
	head := make([]any, len(t.Columns))
	for c, col := range t.Columns {
		head[c] = col.Header
	}
	e.head = true
	buf = e.row(buf, 1, head)
	e.head = false
	r := 1
	put := func(b *batch) error {
		for _, row := range b.rows {
			r++
			if buf = e.row(buf, r, row); len(buf) >= sheetBuf {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		clear(b.vals) // nothing kept alive by a batch waiting in free
		b.rows, b.vals = b.rows[:0], b.vals[:0]
		select {
		case free <- b:
		default:
		}
		return nil
	}
	for _, b := range held {
		if err := put(b); err != nil {
			return err
		}
	}
	for done := false; !done; {
		select {
		case b, ok := <-batches:
			if !ok {
				done = true
				break
			}
			if err := put(b); err != nil {
				return err
			}
		case <-stop:
			return errStopped
		}
	}
	buf = append(buf, `</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`...)
	if err := flush(); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	s.rows = r - 1
	return s.part.finish()
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

// rowEncoder appends a row's XML to the sheet's buffer.
type rowEncoder struct {
	cols  []string // each column's cell as far as its letters: <c r="AB
	kinds []Kind
	head  bool   // the header: bold texts, not neutralised
	num   []byte // the row's number, after the letters of each cell
}

func (e *rowEncoder) row(b []byte, r int, row []any) []byte {
	e.num = strconv.AppendInt(e.num[:0], int64(r), 10)
	b = append(b, `<row r="`...)
	b = append(b, e.num...)
	b = append(b, `">`...)
	for c := range min(len(e.cols), len(row)) {
		b = e.cell(b, c, row[c])
	}
	return append(b, `</row>`...)
}

// cell appends the cell of v in column c: nothing for nil or a zero time
// (an empty cell); a number of a Number column as a number; a time as
// Excel's serial day of its wall clock (Excel's dates have no zone) in the
// column's date or moment format; anything else as its text.
func (e *rowEncoder) cell(b []byte, c int, v any) []byte {
	k := e.kinds[c]
	var text string
	switch v := v.(type) {
	case nil:
		return b
	case *time.Time:
		if v == nil {
			return b
		}
		return e.cell(b, c, *v)
	case time.Time:
		if v.IsZero() {
			return b
		}
		return e.moment(b, c, v)
	case string:
		if e.head {
			text = v
		} else {
			text = Neutralise(v)
		}
	case int:
		if k == Number && !e.head {
			return append(strconv.AppendInt(e.number(b, c), int64(v), 10), `</v></c>`...)
		}
		text = CellText(k, v)
	case int64:
		if k == Number && !e.head {
			return append(strconv.AppendInt(e.number(b, c), v, 10), `</v></c>`...)
		}
		text = CellText(k, v)
	case float64:
		if k == Number && !e.head {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return b // Excel holds no such number
			}
			return append(strconv.AppendFloat(e.number(b, c), v, 'f', -1, 64), `</v></c>`...)
		}
		text = CellText(k, v)
	default:
		text = CellText(k, v)
	}
	b = append(b, e.cols[c]...)
	b = append(b, e.num...)
	if e.head {
		b = append(b, `" s="`+styleHead+`" t="inlineStr"><is><t`...)
	} else {
		b = append(b, `" s="`+styleText+`" t="inlineStr"><is><t`...)
	}
	if text = cellLimit(text); edgeSpace(text) {
		b = append(b, ` xml:space="preserve">`...)
	} else {
		b = append(b, '>')
	}
	b = appendText(b, text)
	return append(b, `</t></is></c>`...)
}

// number appends the start of a number's cell in column c, as far as its
// value.
func (e *rowEncoder) number(b []byte, c int) []byte {
	b = append(b, e.cols[c]...)
	b = append(b, e.num...)
	return append(b, `"><v>`...)
}

// moment appends the cell of t in column c: its wall clock's serial day,
// and the fraction of the day of its second in a moment's column (or any
// but a day's).
func (e *rowEncoder) moment(b []byte, c int, t time.Time) []byte {
	_, off := t.Zone()
	sec := t.Unix() + int64(off)
	day, second := sec/86400, sec%86400
	if second < 0 {
		day, second = day-1, second+86400
	}
	b = append(b, e.cols[c]...)
	b = append(b, e.num...)
	if e.kinds[c] == Date {
		b = append(b, `" s="`+styleDate+`"><v>`...)
		b = strconv.AppendInt(b, day+excelUnixDay, 10)
	} else {
		b = append(b, `" s="`+styleDateTime+`"><v>`...)
		b = strconv.AppendFloat(b, float64(day+excelUnixDay)+float64(second)/86400, 'f', -1, 64)
	}
	return append(b, `</v></c>`...)
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
// what XML cannot hold dropped (control characters, U+FFFE and U+FFFF,
// bytes that are not UTF-8), and an underscore that would begin Excel's
// escape of a character (_x000D_) escaped itself (_x005F_), so the text
// reads back as written. This is most of a sheet's writing, so the bytes
// are scanned once, classed by textClass, and copied in runs; a Chinese
// character (three bytes led by E1–EC or EE) is checked there and then,
// anything else beyond ASCII decoded.
func appendText(b []byte, s string) []byte {
	start, last := len(b), 0
	for i := 0; i < len(s); {
		ch := s[i]
		class := textClass[ch]
		if class == textPlain {
			i++
			continue
		}
		if class == textWide && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		var esc string
		switch {
		case ch >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if xmlChar(r, size) {
				i += size
				continue
			}
			// Dropped: what it leaves between its neighbours could make
			// an escape of Excel's (_x00 and 41_), so the text is
			// cleaned whole and written again.
			return appendText(b[:start], sanitize(s))
		case ch == '&':
			esc = "&amp;"
		case ch == '<':
			esc = "&lt;"
		case ch == '>':
			esc = "&gt;"
		case ch == '\r':
			esc = "&#xD;"
		case ch == '_':
			if !isEscapeAt(s, i) {
				i++
				continue
			}
			esc = "_x005F_"
		default: // a control character XML cannot hold
			return appendText(b[:start], sanitize(s))
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i++
		last = i
	}
	return append(b, s[last:]...)
}

// The classes of a text's bytes for appendText.
const (
	textPlain   = iota // copied as it is
	textSpecial        // escaped, dropped or looked at
	textWide           // the lead of three bytes always valid if they are a character's
)

// textClass classes each byte for appendText: in ASCII what it escapes
// and the control characters XML cannot hold; beyond it, the leads of a
// character of three bytes whose continuations may be any (E1–EC, EE:
// most Chinese), and everything else to decode.
var textClass = func() (t [256]uint8) {
	for c := range 0x20 {
		if c != '\t' && c != '\n' {
			t[c] = textSpecial
		}
	}
	for _, c := range []byte("&<>_") {
		t[c] = textSpecial
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = textSpecial
		if c >= 0xE1 && c <= 0xEC || c == 0xEE {
			t[c] = textWide
		}
	}
	return t
}()

// edgeSpace reports whether s, once what appendText drops is gone from its
// ends (control characters, U+FFFE and U+FFFF, bytes that are not UTF-8),
// begins or ends with white space, which a reader would trim unless told
// to keep it. It looks at what is written, not at s: "a \xff" is written
// "a ".
func edgeSpace(s string) bool {
	i, j := 0, len(s)
	var first, last rune
	for i < j {
		r, n := utf8.DecodeRuneInString(s[i:j])
		if xmlChar(r, n) {
			first = r
			break
		}
		i += n
	}
	if i == j {
		return false // nothing is written
	}
	for j > i { // ends at the latest at first, which is kept
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if xmlChar(r, n) {
			last = r
			break
		}
		j -= n
	}
	space := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
	return space(first) || space(last)
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
