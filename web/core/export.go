package core

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/locale"
	"minyi/org"
	"minyi/register"
	"minyi/xlsx"
)

// Every list exports what it shows (issue 14 §4): the API's list doors
// with format=csv|xlsx, the staff pages' lists through links to the same
// filter. A register declares its table once (an Export: its columns and
// a row of a record, in exports.go), and WriteList pages through the list
// the register's own service answers — the same filter, the same
// authorisation, the same masking as the JSON — into the file.

// DefaultExportMaxRows is how many rows an export may hold unless
// Config.ExportMaxRows says otherwise: a year's archive of a large bureau
// fits; more is refused, asking for a narrower filter, rather than sent
// as a file nobody can open (Excel stops at 1,048,576 rows).
const DefaultExportMaxRows = 100_000

// exportPage is how many records an export reads at a time: the lists'
// largest page.
const exportPage = 100

// Formats of an exported list.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// ExportFormat reads a list's format parameter: "" for the JSON answer
// (format absent or json), csv or xlsx; anything else is refused naming
// format.
func ExportFormat(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		return "", nil
	case FormatCSV, FormatXLSX:
		return f, nil
	}
	return "", minyi.Invalid("format", "导出格式应为csv或xlsx", "format must be csv or xlsx (or json)")
}

// RevealParam reads an export's reveal parameter: absent, 0 or false keeps
// personal data masked (""); 1 or true asks for them in full, and the
// answer names the export for the events that record it: its path and
// filter (the page's cursor and size left out), e.g.
// /api/v1/items?format=xlsx&q=户籍&reveal=1. Anything else is refused
// naming reveal; so is reveal without a format (ExportFormat): only an
// export shows a list unmasked.
func RevealParam(r *http.Request) (string, error) {
	q := r.URL.Query()
	switch q.Get("reveal") {
	case "", "0", "false":
		return "", nil
	case "1", "true":
	default:
		return "", minyi.Invalid("reveal", "reveal应为1或0", "reveal must be 1 or 0")
	}
	if f := q.Get("format"); f != FormatCSV && f != FormatXLSX {
		return "", minyi.Invalid("reveal", "仅导出（format=csv或xlsx）时可显示完整个人信息", "reveal applies to exports only (format=csv or xlsx)")
	}
	q.Del("cursor")
	q.Del("limit")
	return r.URL.Path + "?" + q.Encode(), nil
}

// Export is a register's list as a table: its Chinese title, which names
// the file and the sheet; File, the file's name in ASCII for clients that
// cannot read the other; and its columns with the row of a record.
type Export[T any] struct {
	Title   string
	File    string
	Columns []xlsx.Column
	Row     func(Names, T) []any
	// Reveals says that the register's list door shows its personal data in
	// full when its filter's Reveal names the export (RevealParam), for
	// those the register lets reveal them, recording each record read;
	// reveal is refused on the others.
	Reveals bool
}

// Names is what a row shows instead of a code: units', branches' and
// campaigns' names, and the Chinese labels of the catalogue. A workbook's
// sheets are read side by side (xlsx.WriteTables), so its methods may be
// called at once: the campaigns' names, read as met, are under a lock.
type Names struct {
	units, branches map[string]string
	mu              *sync.Mutex // over campaigns
	campaigns       map[int64]string
	codes           map[codeList]map[string]string
	label           func(key string) (string, bool)
	campaign        func(id int64) (string, error)
}

// Unit is the name of the unit of code, or the code.
func (n Names) Unit(code string) string { return or(n.units[code], code) }

// Branch is the name of the party branch of code, or the code.
func (n Names) Branch(code string) string { return or(n.branches[code], code) }

// Campaign is the name of campaign id; empty for none (0) and for one the
// reader may not read.
func (n Names) Campaign(id int64) string {
	if id == 0 {
		return ""
	}
	n.mu.Lock()
	name, ok := n.campaigns[id]
	n.mu.Unlock()
	if ok {
		return name
	}
	name, _ = n.campaign(id)
	n.mu.Lock()
	n.campaigns[id] = name
	n.mu.Unlock()
	return name
}

// codeList names a list of codes the bureau configures.
type codeList int

const (
	codePublicity   codeList = iota // publicity channels
	codeDisputeKind                 // kinds of dispute
	codeIndicator                   // period indicators
	codeCategory                    // the archive's categories
)

// Code is the Chinese name of code in the bureau's list, or the code (one
// since dropped from the list).
func (n Names) Code(l codeList, code string) string { return or(n.codes[l][code], code) }

// Label is the catalogue's simplified Chinese for prefix+code (the pages'
// words, e.g. dispute_risk.high → 高), or code itself when it has none.
func (n Names) Label(prefix, code string) string {
	if code == "" {
		return ""
	}
	if l, ok := n.label(prefix + code); ok {
		return l
	}
	return code
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ExportNames reads the names rows show, as u may read them.
func (s *Base) ExportNames(ctx context.Context, u org.User) (Names, error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return Names{}, err
	}
	branches, err := s.Org.Branches(ctx)
	if err != nil {
		return Names{}, err
	}
	n := Names{units: map[string]string{}, branches: map[string]string{}, mu: &sync.Mutex{}, campaigns: map[int64]string{},
		label: func(key string) (string, bool) {
			if !s.Catalog.Has(key) {
				return "", false
			}
			return s.Catalog.T(locale.Hans, key), true
		},
		campaign: func(id int64) (string, error) {
			if s.Svc.Campaigns == nil {
				return "", nil
			}
			c, err := s.Svc.Campaigns.Get(ctx, u, id)
			return c.Name, err
		}}
	for _, un := range units {
		n.units[un.Code] = un.Name
	}
	n.codes = map[codeList]map[string]string{codePublicity: {}, codeDisputeKind: {}, codeIndicator: {}, codeCategory: {}}
	if s.Svc.Config != nil {
		cats, err := s.Svc.Config.Categories(ctx)
		if err != nil {
			return Names{}, err
		}
		for _, c := range cats {
			n.codes[codeCategory][c.Code] = c.Name
		}
	}
	if s.Svc.Publicity != nil {
		cs, err := s.Svc.Publicity.Channels(ctx)
		if err != nil {
			return Names{}, err
		}
		for _, c := range cs {
			n.codes[codePublicity][c.Code] = c.Zh
		}
	}
	if s.Svc.Disputes != nil {
		ks, err := s.Svc.Disputes.Kinds(ctx)
		if err != nil {
			return Names{}, err
		}
		for _, k := range ks {
			n.codes[codeDisputeKind][k.Code] = k.Zh
		}
	}
	if s.Svc.Indicators != nil {
		ds, err := s.Svc.Indicators.Definitions(ctx, u)
		if err != nil {
			return Names{}, err
		}
		for _, d := range ds {
			n.codes[codeIndicator][d.Code] = d.Name
		}
	}
	for _, b := range branches {
		n.branches[b.Code] = b.Name
	}
	return n, nil
}

// ExportMaxRows is the most rows an export may hold.
func (s *Base) ExportMaxRows() int {
	if s.Config.ExportMaxRows > 0 {
		return s.Config.ExportMaxRows
	}
	return DefaultExportMaxRows
}

// tooManyRows refuses an export of more than max rows, naming the period
// (from), the filter most lists narrow by.
func tooManyRows(max int) error {
	return minyi.Invalid("from", fmt.Sprintf("导出超过%d行，请缩小筛选范围（如时间段、单位）", max),
		fmt.Sprintf("the export would hold more than %d rows: narrow the filter (the period from–to, the unit)", max))
}

// ExportRows returns the rows of every record of a list, read a page at a
// time from page (given the previous page's cursor, "" first): the
// register's list door, which authorises and masks. More than max records
// is tooManyRows, refused before the first row when the list counts its
// total (a search's total_capped total is a lower bound, so it is refused
// when it passes max while read). A page is read while the one before is
// written. A cancelled request stops the reading.
func ExportRows[T any](ctx context.Context, max int, names Names, ex Export[T],
	page func(cursor string) (register.Page[T], error)) (xlsx.Table, error) {
	first, err := page("")
	if err != nil {
		return xlsx.Table{}, err
	}
	if first.Total != nil && *first.Total > max {
		return xlsx.Table{}, tooManyRows(max)
	}
	type read struct {
		page register.Page[T]
		err  error
	}
	return xlsx.Table{Sheet: ex.Title, Columns: ex.Columns, Rows: func(yield func([]any) error) error {
		p, n := first, 0
		for {
			// The next page is read while this one's rows are written: the
			// database and the writer each keep a core busy (a year's
			// archive is thousands of pages).
			var next chan read
			if p.NextCursor != "" && ctx.Err() == nil {
				next = make(chan read, 1)
				go func(cursor string) {
					p, err := page(cursor)
					next <- read{p, err}
				}(p.NextCursor)
			}
			err := func() error {
				for _, rec := range p.Items {
					if n++; n > max {
						return tooManyRows(max)
					}
					if err := yield(ex.Row(names, rec)); err != nil {
						return err
					}
				}
				if p.NextCursor == "" {
					return nil
				}
				return ctx.Err() // the download was cancelled
			}()
			if err != nil || p.NextCursor == "" {
				if next != nil {
					<-next // its reading ends before the list's
				}
				return err
			}
			r := <-next
			if r.err != nil {
				return r.err
			}
			p = r.page
		}
	}}, nil
}

// StreamRows is the table of ex's rows of the records each gives, one at a
// time as a register's streamed door (one query, authorised and masked by
// its service) reads them: a year's archive in one query rather than a
// list query per page. More than max records is tooManyRows, found while
// read, before anything is sent (WriteTables).
func StreamRows[T any](max int, names Names, ex Export[T], each func(fn func(T) error) error) xlsx.Table {
	return xlsx.Table{Sheet: ex.Title, Columns: ex.Columns, Rows: func(yield func([]any) error) error {
		n := 0
		return each(func(rec T) error {
			if n++; n > max {
				return tooManyRows(max)
			}
			return yield(ex.Row(names, rec))
		})
	}}
}

// WriteList answers GET of a register's list as a file of format (csv or
// xlsx, ExportFormat): every record the request's filter matches for u
// (ExportRows), read reading the filter from a request holding r's query
// with the page's cursor and size (every other parameter as asked), list
// the register's list door.
func WriteList[F, T any](s *Base, w http.ResponseWriter, r *http.Request, u org.User, format string, ex Export[T],
	read func(*http.Request) (F, error), list func(context.Context, org.User, F) (register.Page[T], error)) error {
	ctx := r.Context()
	if reveal, err := RevealParam(r); err != nil {
		return err
	} else if reveal != "" && !ex.Reveals {
		return minyi.Invalid("reveal", "此列表不提供完整个人信息的导出", "this list does not export personal data in full")
	}
	names, err := s.ExportNames(ctx, u)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(exportPage))
	t, err := ExportRows(ctx, s.ExportMaxRows(), names, ex, func(cursor string) (register.Page[T], error) {
		q.Set("cursor", cursor)
		if cursor == "" {
			q.Del("cursor")
		}
		r2 := r.Clone(ctx)
		u2 := *r.URL
		u2.RawQuery = q.Encode()
		r2.URL = &u2
		f, err := read(r2)
		if err != nil {
			return register.Page[T]{}, err
		}
		return list(ctx, u, f)
	})
	if err != nil {
		return err
	}
	return s.WriteTables(w, format, ex.Title, ex.File, []xlsx.Table{t})
}

// WriteTables answers the tables as a file: an .xlsx of a sheet per
// table, or the first table as CSV, named title (and file in ASCII) with
// the day, never cached. Nothing is sent until every row is read, so a
// refusal midway (too many rows, the database failing) is still an
// error's answer, never a truncated file: a workbook (xlsx.WriteTables)
// and a CSV are each built in a temporary file.
func (s *Base) WriteTables(w http.ResponseWriter, format, title, file string, tables []xlsx.Table) error {
	return s.writeTables(w, format, title, file, tables, nil)
}

// writeTables is WriteTables, calling sending (when not nil) once every
// row of a workbook is read and made, as it begins to send it.
func (s *Base) writeTables(w http.ResponseWriter, format, title, file string, tables []xlsx.Table, sending func()) error {
	day := s.Now().In(calendar.Zone).Format("2006-01-02")
	name, ascii := title+"-"+day+"."+format, file+"-"+day+"."+format
	start := func(contentType string) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", ContentDisposition(name, ascii))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		NoStore(w)
	}
	if format == FormatXLSX {
		lw := &lazyWriter{w: w, start: func() {
			if sending != nil {
				sending()
			}
			start(xlsx.ContentType)
		}}
		err := xlsx.WriteTables(lw, tables)
		if err != nil && lw.started {
			// The answer has begun: an error can no longer be sent.
			s.Log.Warn("sending an export", "file", ascii, "err", err)
			return nil
		}
		return err
	}
	tmp, err := os.CreateTemp("", "minyi-export-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := xlsx.WriteCSV(tmp, tables[0]); err != nil {
		return err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	start("text/csv; charset=utf-8")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if _, err = io.Copy(deadlineWriter{w}, tmp); err != nil {
		s.Log.Warn("sending an export", "file", ascii, "err", err)
	}
	return nil // the answer has begun: an error can no longer be sent
}

// ContentDisposition is an attachment named name (RFC 5987: UTF-8, so a
// Chinese name arrives whole) with ascii for clients that read only the
// plain filename.
func ContentDisposition(name, ascii string) string {
	return `attachment; filename="` + strings.NewReplacer(`"`, "", `\`, "").Replace(ascii) + `"; filename*=UTF-8''` + url.PathEscape(name)
}

// lazyWriter sets the answer's headers at its first byte: until then a
// handler may still answer with an error.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
		l.w.WriteHeader(http.StatusOK)
	}
	extendWrite(l.w)
	return l.w.Write(p)
}

// exportWriteTime is how long a write of an export may take: the server's
// write timeout (serve: 60 s from the request) would cut a large export
// that took longer to read, so each write gets its own deadline instead;
// a client that stops reading still fails it, and one that goes away
// cancels the request's context, which stops the reading.
const exportWriteTime = time.Minute

// extendWrite moves w's write deadline to exportWriteTime from now, where
// the server supports it (an httptest recorder does not: nothing to move).
func extendWrite(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime))
}

// deadlineWriter extends w's write deadline before each write.
type deadlineWriter struct{ w http.ResponseWriter }

func (d deadlineWriter) Write(p []byte) (int, error) {
	extendWrite(d.w)
	return d.w.Write(p)
}

// Dates of the exports' rows: a day kept as YYYY-MM-DD is a date cell, a
// moment is shown in China time.

// Day is the day s (YYYY-MM-DD, China time) as a date cell, nil when
// empty, the text as written when it is not a day.
func Day(s string) any {
	if s == "" {
		return nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, calendar.Zone)
	if err != nil {
		return s
	}
	return d
}

// Moment is t in China time, nil when zero.
func Moment(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.In(calendar.Zone)
}

// MomentOf is *t in China time, nil when absent.
func MomentOf(t *time.Time) any {
	if t == nil {
		return nil
	}
	return Moment(*t)
}

func formatInt(v int64) string { return strconv.FormatInt(v, 10) }

// YesNo is 是 or 否.
func YesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
