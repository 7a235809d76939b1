// Package ledgerimport turns the spreadsheets bureaus keep of their ledgers
// (台账) into records of the registers: practical matters, convenience
// measures, service points and volunteer activities. It knows each ledger's
// columns (Chinese headers, what each cell holds and how to read it), checks
// every row with the register's own Service (its Validate, its reference
// checks, its authorisation) and names every problem by the row number and
// column header Excel shows; nothing is written unless every row is good,
// and then all rows in one transaction. It reads sheets as rows of strings:
// the file format is the xlsx adapter's.
//
// An import is itself an event of the log (register "imports", the file's
// SHA-256 as the record), written in the records' transaction, so that the
// same file imported again is refused (a dry run reports the earlier import
// instead): a bureau re-sending last month's sheet must not double its
// figures. A changed file is a new import.
package ledgerimport

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/eventlog"
	"minyi/indicator"
	"minyi/matter"
	"minyi/measure"
	"minyi/org"
	"minyi/outcome"
	"minyi/publicity"
	"minyi/register"
	"minyi/servicepoint"
	"minyi/volunteer"
)

// Register is the imports' name in the event log.
const Register = "imports"

// EventImported is the type of an import's event.
const EventImported = "imported"

// Limits on a file.
const (
	// MaxRows is the most data rows one file may hold.
	MaxRows = 20000
	// MaxBytes is the largest file accepted.
	MaxBytes = 20 << 20
	// PreviewRows is how many records a result shows.
	PreviewRows = 5
	// MaxErrors is how many problems a result lists; the count is exact.
	MaxErrors   = 500
	dayLayout   = "2006-01-02"
	headerRowNo = 1
)

// Store is what an import reads besides the registers' services. *store.DB
// implements it.
type Store interface {
	// Imported returns the event of an earlier import of the file whose
	// SHA-256 is sum, if any.
	Imported(ctx context.Context, sum string) (eventlog.Event, bool, error)
	Units(ctx context.Context) ([]org.Unit, error)
	Branches(ctx context.Context) ([]org.Branch, error)
	Users(ctx context.Context) ([]org.User, error)
	Campaigns(ctx context.Context, f campaign.Filter) (register.Page[campaign.Campaign], error)
}

// Service imports ledgers through the registers' services.
type Service struct {
	Store      Store
	Matters    *matter.Service
	Measures   *measure.Service
	Points     *servicepoint.Service
	Volunteers *volunteer.Service
	Publicity  *publicity.Service
	Indicators *indicator.Service
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// RowError is one problem of an import: the row and column as Excel shows
// them (the header row is 1; Column is the header, empty when the problem
// is the row's as a whole), the record's field, and the message.
type RowError struct {
	Row       int    `json:"row"`
	Column    string `json:"column"`
	Field     string `json:"field"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// Previous is an earlier import of the same file.
type Previous struct {
	At time.Time `json:"at"`
	// Actor is the importer's user name, empty to a reader
	// who may not see the importer's unit.
	Actor  string `json:"actor"`
	Ledger string `json:"ledger"`
	Rows   int    `json:"rows"`
}

// Request is one file's rows to import.
type Request struct {
	Ledger Ledger
	// Rows are the first sheet's cells; Rows[0] is the header row.
	Rows [][]string
	// SHA256 is the file's hash, hex, which names the import.
	SHA256 string
	// DryRun checks everything and writes nothing.
	DryRun bool
}

// Result is what an import did or, on a dry run, would do.
type Result struct {
	Ledger  Ledger `json:"ledger"`
	Rows    int    `json:"rows"`
	Written int    `json:"written"`
	DryRun  bool   `json:"dry_run"`
	SHA256  string `json:"sha256"`
	// Errors are the problems found, row by row; nothing is written while
	// there is one. ErrorCount counts all of them, Errors lists the first
	// MaxErrors.
	Errors     []RowError `json:"errors"`
	ErrorCount int        `json:"error_count"`
	// Preview is the first records as they would be (or were) written.
	Preview []any `json:"preview"`
	// Previous is an earlier import of the same file (a dry run's warning;
	// an import is refused).
	Previous *Previous `json:"previous_import,omitempty"`
	// Headers and Sample are the first rows as the file wrote them, each
	// its row number and then its cells under the headers of the columns
	// the file has, for a page to show.
	Headers []string   `json:"-"`
	Sample  [][]string `json:"-"`
}

// Columns returns a ledger's columns, or not_found.
func Columns(l Ledger) ([]Column, error) {
	s, err := specOf(l)
	if err != nil {
		return nil, err
	}
	return append([]Column(nil), s.columns...), nil
}

// Title returns a ledger's Chinese name.
func Title(l Ledger) string {
	if s, ok := specs[l]; ok {
		return s.title
	}
	return ""
}

func specOf(l Ledger) (*spec, error) {
	s, ok := specs[l]
	if !ok {
		return nil, minyi.Errorf(minyi.ENotFound, "没有名为%q的台账（matters、measures、service-points、volunteer-activities、publicity、indicator-entries） / no ledger %q", string(l), string(l))
	}
	return s, nil
}

// RecordID is the log's record id of the import of the file whose SHA-256
// is sum: its first 60 bits, so that the log's index on (register,
// record_id) finds an earlier import at once.
func RecordID(sum string) int64 {
	if len(sum) < 15 {
		return 0
	}
	n, _ := strconv.ParseInt(sum[:15], 16, 64)
	return n
}

// mayImport refuses partners and disabled accounts before a file is read:
// importing is filing records, which they may not.
func mayImport(u org.User) error {
	if !u.CanFile() {
		return minyi.Errorf(minyi.EForbidden, "您的账号不能导入台账 / your account may not import ledgers")
	}
	return nil
}

// Import checks every row of r and, unless it is a dry run or a row is
// refused, writes them all in one transaction with the import's event. The
// result lists every problem by row and column; an error is a refusal of
// the whole (forbidden, an unknown ledger, a file without rows, the same
// file imported before) or a failure.
func (s *Service) Import(ctx context.Context, u org.User, r Request) (Result, error) {
	sp, err := specOf(r.Ledger)
	if err != nil {
		return Result{}, err
	}
	if err := mayImport(u); err != nil {
		return Result{}, err
	}
	res := Result{Ledger: r.Ledger, DryRun: r.DryRun, SHA256: r.SHA256, Errors: []RowError{}, Preview: []any{}}
	if prev, found, err := s.Store.Imported(ctx, r.SHA256); err != nil {
		return Result{}, err
	} else if found {
		if res.Previous, err = s.previous(ctx, u, prev); err != nil {
			return Result{}, err
		}
		if !r.DryRun {
			at := res.Previous.At.In(calendar.Zone).Format("2006-01-02 15:04")
			if res.Previous.Actor == "" {
				return Result{}, minyi.Errorf(minyi.EConflict, "此文件已于%s导入（%s行），未重复导入 / this file was imported on %s (%s rows); it is not imported again",
					at, prev.Data["rows"], at, prev.Data["rows"])
			}
			return Result{}, minyi.Errorf(minyi.EConflict, "此文件已于%s由%s导入（%s行），未重复导入 / this file was imported on %s by %s (%s rows); it is not imported again",
				at, prev.Actor, prev.Data["rows"], at, prev.Actor, prev.Data["rows"])
		}
	}
	refs, err := s.refs(ctx, u)
	if err != nil {
		return Result{}, err
	}
	rows, headerErrors, err := sp.read(r.Rows, refs)
	if err != nil {
		return Result{}, err
	}
	res.Rows = len(rows)
	res.Headers, res.Sample = sp.sample(rows)
	problems := append([]RowError(nil), headerErrors...)
	now := register.Now(s.Now)
	also := []eventlog.Event{{Register: Register, RecordID: RecordID(r.SHA256), Record: r.SHA256, Type: EventImported,
		Actor: u.Name, At: now, Data: map[string]string{"ledger": string(r.Ledger), "rows": strconv.Itoa(len(rows))}}}
	written, refused, err := sp.run(ctx, s, u, rows, also, func() bool {
		for _, row := range rows { // read by now: what could not be
			problems = append(problems, row.errors...)
		}
		return r.DryRun || len(problems) > 0
	})
	if err != nil {
		return Result{}, err
	}
	for i, e := range refused {
		if e == nil {
			continue
		}
		problems = append(problems, rowProblems(sp, rows[i], e)...)
	}
	sortProblems(problems)
	res.ErrorCount = len(problems)
	res.Errors = problems[:min(len(problems), MaxErrors)]
	if len(problems) == 0 {
		res.Preview = written[:min(len(written), PreviewRows)]
		if !res.DryRun {
			res.Written = len(written)
		}
	}
	return res, nil
}

// previous tells u of the earlier import e. It names the importer only to
// whom may see the importer's unit (its own staff, leaders and admins):
// anyone else learns the day and the rows, not who in another unit filed
// them, since a user name is the staff's personal account.
func (s *Service) previous(ctx context.Context, u org.User, e eventlog.Event) (*Previous, error) {
	n, _ := strconv.Atoi(e.Data["rows"])
	p := &Previous{At: e.At, Ledger: e.Data["ledger"], Rows: n}
	if u.SeesAll() || e.Actor == u.Name {
		p.Actor = e.Actor
		return p, nil
	}
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range users {
		if a.Name == e.Actor && a.UnitCode != "" && u.CanSeeUnit(a.UnitCode) {
			p.Actor = e.Actor
		}
	}
	return p, nil
}

// outcomes are the counted outcomes the matters accept now.
func (s *Service) outcomes(ctx context.Context) ([]outcome.Key, error) {
	if s.Matters == nil {
		return outcome.Defaults, nil
	}
	return s.Matters.Outcomes(ctx)
}

func (s *Service) refs(ctx context.Context, u org.User) (*refs, error) {
	var r refs
	var err error
	if r.channels, err = s.channels(ctx); err != nil {
		return nil, err
	}
	if r.indicators, err = s.indicators(ctx, u); err != nil {
		return nil, err
	}
	if r.units, err = s.Store.Units(ctx); err != nil {
		return nil, err
	}
	if r.branches, err = s.Store.Branches(ctx); err != nil {
		return nil, err
	}
	if r.users, err = s.Store.Users(ctx); err != nil {
		return nil, err
	}
	if r.outcomes, err = s.outcomes(ctx); err != nil {
		return nil, err
	}
	// Campaigns are few (one or two a year): their names, a page at a time.
	f := campaign.Filter{Filter: register.Filter{Limit: 100}}
	for {
		page, err := s.Store.Campaigns(ctx, f)
		if err != nil {
			return nil, err
		}
		r.campaigns = append(r.campaigns, page.Items...)
		if page.NextCursor == "" {
			return &r, nil
		}
		f.Cursor = page.NextCursor
	}
}

// dayFields are the fields that hold a day.
var dayFields = map[string]bool{"date": true, "opened_on": true, "done_on": true, "researched_on": true, "implemented_on": true, "month": true}

// sample is the first rows' cells of the columns the file has.
func (sp *spec) sample(rows []*row) ([]string, [][]string) {
	var headers, fields []string
	for _, c := range sp.columns {
		for _, r := range rows {
			if _, ok := r.cells[c.Field]; ok {
				headers, fields = append(headers, c.Header), append(fields, c.Field)
				break
			}
		}
	}
	var out [][]string
	for _, r := range rows[:min(len(rows), PreviewRows)] {
		line := []string{strconv.Itoa(r.n)} // the row number first
		masked := maskedBeneficiary(r)
		for _, f := range fields {
			v := r.cells[f]
			if d, ok := parseDay(v); ok && dayFields[f] {
				v = d // an Excel date cell holds a serial number
			}
			if m, ok := masked[f]; ok {
				v = m
			}
			line = append(line, v)
		}
		out = append(out, line)
	}
	return headers, out
}

// maskedBeneficiary is a row's beneficiary cells (name, phone, ID number)
// as the sample shows them: masked as every read of a matter masks them
// (matter.Beneficiary.Masked), and as the preview of the same rows does,
// unless the kind is a village or group. A kind that cannot be read is
// taken as a person's.
func maskedBeneficiary(r *row) map[string]string {
	if r.cells["beneficiary.name"] == "" && r.cells["beneficiary.phone"] == "" && r.cells["beneficiary.id_number"] == "" {
		return nil
	}
	kind, ok := pick(strings.TrimSpace(r.cells["beneficiary.kind"]), beneficiaryChoices)
	if !ok {
		kind = string(matter.BeneficiaryPerson)
	}
	b := matter.Beneficiary{Kind: matter.BeneficiaryKind(kind), Name: r.cells["beneficiary.name"],
		Phone: r.cells["beneficiary.phone"], IDNumber: r.cells["beneficiary.id_number"]}.Masked()
	return map[string]string{"beneficiary.name": b.Name, "beneficiary.phone": b.Phone, "beneficiary.id_number": b.IDNumber}
}

// headerName is a header as written, without the marks people add to it:
// spaces, a * or （必填） for a required column.
func headerName(s string) string {
	s = strings.Join(strings.Fields(s), "")
	for _, mark := range []string{"*", "＊", "（必填）", "(必填)"} {
		s = strings.TrimSuffix(strings.TrimPrefix(s, mark), mark)
	}
	return s
}

// read finds the columns by the header row and reads every data row that
// is not empty. A header it does not know, or a required one missing, is a
// problem of row 1.
func (sp *spec) read(cells [][]string, refs *refs) ([]*row, []RowError, error) {
	if len(cells) == 0 || len(cells[0]) == 0 {
		return nil, nil, minyi.Invalid("file", "第一行须为列名（请使用导入模板）", "the first row must hold the column headers (use the template)")
	}
	var problems []RowError
	fields := make([]string, len(cells[0]))
	seen := map[string]bool{}
	for i, h := range cells[0] {
		name := headerName(h)
		if name == "" {
			continue
		}
		f := ""
		for _, c := range sp.columns {
			if same(headerName(c.Header), name) {
				f = c.Field
			}
		}
		switch {
		case f == "":
			problems = append(problems, RowError{Row: headerRowNo, Column: h, MessageZh: "未知的列：" + h + "（请使用导入模板的列名）",
				MessageEn: "unknown column: " + h + " (use the template's headers)"})
		case seen[f]:
			problems = append(problems, RowError{Row: headerRowNo, Column: h, Field: f, MessageZh: "列重复：" + h, MessageEn: "column repeated: " + h})
		default:
			fields[i], seen[f] = f, true
		}
	}
	for _, c := range sp.columns {
		if c.Required && !seen[c.Field] {
			problems = append(problems, RowError{Row: headerRowNo, Column: c.Header, Field: c.Field,
				MessageZh: "缺少必填列：" + c.Header, MessageEn: "missing required column: " + c.Header})
		}
	}
	var rows []*row
	for i, line := range cells[1:] {
		r := &row{n: i + 2, cells: map[string]string{}, spec: sp, refs: refs}
		empty := true
		for j, v := range line {
			if j < len(fields) && fields[j] != "" {
				r.cells[fields[j]] = strings.TrimSpace(v)
			}
			if strings.TrimSpace(v) != "" {
				empty = false
			}
		}
		if !empty {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil, nil, minyi.Invalid("file", "表格中没有数据行", "the sheet has no rows below the headers")
	}
	if len(rows) > MaxRows {
		return nil, nil, minyi.Errorf(minyi.ETooLarge, "一次最多导入%d行 / at most %d rows per import", MaxRows, MaxRows)
	}
	if len(problems) > 0 { // the columns are wrong: reading the rows would only repeat it
		return rows, problems, nil
	}
	return rows, nil, nil
}

// rowProblems turns a register's refusal of a row into problems naming
// the row and the columns of its fields; a field whose cell could not be
// read is reported once, as unreadable.
func rowProblems(sp *spec, r *row, err error) []RowError {
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		zh, en := split(minyi.ErrorMessage(err))
		return []RowError{{Row: r.n, MessageZh: zh, MessageEn: en}}
	}
	var out []RowError
	for _, f := range e.Fields {
		if r.failed(f.Field) {
			continue
		}
		out = append(out, RowError{Row: r.n, Column: sp.header(f.Field), Field: f.Field, MessageZh: f.Zh, MessageEn: f.En})
	}
	return out
}

// split separates a message "中文 / English".
func split(msg string) (string, string) {
	if zh, en, ok := strings.Cut(msg, " / "); ok {
		return zh, en
	}
	return msg, msg
}

// sortProblems puts rows in order, a row's problems as found.
func sortProblems(p []RowError) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Row < p[j].Row })
}
