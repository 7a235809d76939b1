package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Reports as records (签发): a report is issued by storing its Document as
// it was written, never to change, with the position of the event log at
// that moment (the last event's sequence number and hash) and an event of
// IssuedRegister in the log, which the outbox announces to webhooks as
// EventReportIssued. The live figures of the same period and scope, set
// beside the issued ones (Changes), explain a figure published in March
// when it is read in June after late entries changed it.

// IssuedRegister names issued reports in the event log.
const IssuedRegister = "reports"

// EventIssued is the type of an issued report's event in the log; webhooks
// know it as EventReportIssued.
const EventIssued = "issued"

// EventReportIssued is the event type partners subscribe to (outbox).
const EventReportIssued = "report_issued"

// Kinds of issue: by hand, or by the schedule.
const (
	IssuedByHand      = "manual"
	IssuedMonthly     = "monthly"
	IssuedCampaignEnd = "campaign_end"
)

// Scheduler is the name the schedule issues reports under.
const Scheduler = "system"

// Issued is an issued report: its scope, the Document as issued (figures
// included), the position of the event log when it was issued, and who
// issued it when.
type Issued struct {
	ID           int64  `json:"id"`
	Kind         string `json:"kind"`
	From         string `json:"from"`
	To           string `json:"to"`
	Unit         string `json:"unit,omitempty"`
	UnitName     string `json:"unit_name"`
	Campaign     int64  `json:"campaign,omitempty"`
	CampaignName string `json:"campaign_name,omitempty"`
	Script       string `json:"script"`
	Title        string `json:"title"`
	// TemplateVersion is the template the prose came from (0: the default).
	TemplateVersion int `json:"template_version"`
	// LogSeq and LogHash are the last event of the log when the report
	// was issued: its figures count no later event.
	LogSeq  int64  `json:"log_seq"`
	LogHash string `json:"log_hash"`
	// Digest is the SHA-256 of the document as stored, which the issued
	// event carries, so the log proves the document unchanged.
	Digest   string    `json:"digest"`
	IssuedBy string    `json:"issued_by"`
	IssuedAt time.Time `json:"issued_at"`
	// Document is the report as issued.
	Document Document `json:"-"`
	// Key makes a scheduled report once: the store refuses a second
	// report with the same key (EConflict). Empty for reports issued by
	// hand, which may be issued again (a re-issue, both kept).
	Key string `json:"-"`
	// Form is the page form that issued it: sent twice, it issues once.
	archive.Form
}

// Spec is the report the issued one was written as.
func (r Issued) Spec() Spec {
	return Spec{From: r.From, To: r.To, Unit: r.Unit, Campaign: r.Campaign, Script: r.Script}
}

// DigestOf is the SHA-256 (hex) of a document's stored JSON.
func DigestOf(doc []byte) string {
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:])
}

// Event is the issued event of r in the log, once the store knows its id.
func (r Issued) Event() eventlog.Event {
	data := map[string]string{"kind": r.Kind, "from": r.From, "to": r.To, "script": r.Script,
		"template_version": strconv.Itoa(r.TemplateVersion), "log_seq": strconv.FormatInt(r.LogSeq, 10),
		"log_hash": r.LogHash, "digest": r.Digest}
	if r.Unit != "" {
		data["unit"] = r.Unit
	}
	if r.Campaign != 0 {
		data["campaign"] = strconv.FormatInt(r.Campaign, 10)
	}
	return eventlog.Event{Register: IssuedRegister, RecordID: r.ID, Record: strconv.FormatInt(r.ID, 10), Type: EventIssued,
		Actor: r.IssuedBy, At: r.IssuedAt, Body: r.Title, Data: data}
}

// IssuedPayload is the JSON body of a report_issued webhook call: what
// was issued, never its text.
type IssuedPayload struct {
	EventSeq int64     `json:"event_seq"`
	Type     string    `json:"type"`
	At       time.Time `json:"at"`
	Report   int64     `json:"report"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Unit     string    `json:"unit,omitempty"`
	Campaign int64     `json:"campaign,omitempty"`
	LogSeq   int64     `json:"log_seq"`
}

// Payload is the webhook body announcing r, issued by event seq.
func (r Issued) Payload(seq int64) string {
	b, _ := json.Marshal(IssuedPayload{EventSeq: seq, Type: EventReportIssued, At: r.IssuedAt, Report: r.ID, Kind: r.Kind,
		Title: r.Title, From: r.From, To: r.To, Unit: r.Unit, Campaign: r.Campaign, LogSeq: r.LogSeq})
	return string(b)
}

// IssuedFilter selects issued reports.
type IssuedFilter struct {
	register.Filter
	// Unit: only this unit's reports; Bureau: only the whole bureau's.
	Unit   string
	Bureau bool
	// From and To select the reports whose period meets [From, To].
	From, To string
	Kind     string
	// IssuedSince selects those issued at or after it (zero: any).
	IssuedSince time.Time
	// Units restricts the list to these units' reports (nil: every unit
	// and the bureau's); set by the service from the reader.
	Units []string
}

// IssuedStore keeps issued reports; they are never changed.
type IssuedStore interface {
	// IssueReport stores r, sets its ID, LogSeq and LogHash (the log's
	// head before its own event) and appends its issued event, with the
	// webhook deliveries announcing it, in one transaction; a Key already
	// issued is an EConflict error.
	IssueReport(ctx context.Context, r *Issued) error
	// IssuedReport returns one, its Document included, or ENotFound.
	IssuedReport(ctx context.Context, id int64) (Issued, error)
	// IssuedReports lists them newest first, their Documents included.
	IssuedReports(ctx context.Context, f IssuedFilter) (register.Page[Issued], error)
	// IssuedKeys returns which of keys were issued already.
	IssuedKeys(ctx context.Context, keys []string) (map[string]bool, error)
}

// Issuing issues reports, by hand and on schedule, and reads them back
// with what changed since.
type Issuing struct {
	Reports *Service
	Store   IssuedStore
	// Forms finds what a page form issued (archive.FormStore).
	Forms any
	// Calendar gives the working days the schedule issues on.
	Calendar  func() *calendar.Calendar
	Campaigns *campaign.Service
	Now       func() time.Time
}

// reader is who a report is written as when it is issued or compared:
// the whole of its scope, whoever asks, so that the live figures are
// counted as the issued ones were. The caller's right to the scope is
// checked first.
func reader(name string) org.User { return org.User{Name: name, Role: org.RoleLeader} }

func (s *Issuing) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// errMayNotIssue refuses to issue a report of a scope u may not sign for.
var errMayNotIssue = &minyi.Error{Code: minyi.EForbidden, Message: "只有局领导可签发全局报告，单位负责人可签发本单位报告 / only leaders issue the bureau's report, and a unit's head their unit's",
	Fields: []minyi.FieldError{{Field: "unit", Zh: "无权签发该范围的报告", En: "you may not issue a report of this scope"}}}

// MayIssue reports whether u may issue a report of unit ("" the whole
// bureau): leaders and admins any, a unit's head their own unit's.
func MayIssue(u org.User, unit string) bool {
	if u.Disabled || !u.IsStaff() {
		return false
	}
	return u.SeesAll() || (unit != "" && u.Role == org.RoleUnitHead && u.UnitCode == unit)
}

// mayRead reports whether u may read a report of unit: the bureau's
// reports leaders and admins, a unit's its staff too. A partner reads
// none, though it has a unit: reports are the agency's.
func mayRead(u org.User, unit string) bool {
	if u.Disabled || !u.IsStaff() {
		return false
	}
	return u.SeesAll() || (unit != "" && u.CanSeeUnit(unit))
}

// Issue writes the report of spec and issues it by hand as u. A form sent
// twice issues once (f.FormToken); issuing the same scope again is a
// re-issue, kept beside the first.
func (s *Issuing) Issue(ctx context.Context, u org.User, spec Spec, f archive.Form) (Issued, error) {
	if err := spec.Check(); err != nil {
		return Issued{}, err
	}
	if !MayIssue(u, spec.Unit) {
		return Issued{}, errMayNotIssue
	}
	spec.Lang = Zh
	return archive.FileOnce(ctx, s.Forms, IssuedRegister, &f,
		func(id int64) (Issued, error) { return s.Store.IssuedReport(ctx, id) },
		func() (Issued, error) {
			r, err := s.write(ctx, u.Name, spec, IssuedByHand, "")
			if err != nil {
				return Issued{}, err
			}
			r.Form = f
			if err := s.Store.IssueReport(ctx, &r); err != nil {
				return Issued{}, err
			}
			return r, nil
		})
}

// write writes the report of spec as the record to issue.
func (s *Issuing) write(ctx context.Context, by string, spec Spec, kind, key string) (Issued, error) {
	doc, err := s.Reports.Document(ctx, reader(by), spec)
	if err != nil {
		return Issued{}, err
	}
	return Issued{Kind: kind, Key: key, From: doc.From, To: doc.To, Unit: doc.Unit, UnitName: doc.UnitName,
		Campaign: doc.Campaign, CampaignName: doc.CampaignName, Script: doc.Script, Title: doc.Title,
		TemplateVersion: doc.TemplateVersion, IssuedBy: by, IssuedAt: s.now().UTC().Truncate(time.Microsecond), Document: doc}, nil
}

// errCannotRead refuses an issued report u may not read.
var errCannotRead = minyi.Errorf(minyi.EForbidden, "无权查看该报告 / you may not read this report")

// Get returns issued report id if u may read it.
func (s *Issuing) Get(ctx context.Context, u org.User, id int64) (Issued, error) {
	r, err := s.Store.IssuedReport(ctx, id)
	if err != nil {
		return Issued{}, err
	}
	if !mayRead(u, r.Unit) {
		return Issued{}, errCannotRead
	}
	return r, nil
}

// List lists the issued reports u may read, newest first.
func (s *Issuing) List(ctx context.Context, u org.User, f IssuedFilter) (register.Page[Issued], error) {
	if u.Disabled || !u.IsStaff() {
		return register.Page[Issued]{}, errCannotRead
	}
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if d.v != "" {
			if _, err := time.Parse(time.DateOnly, d.v); err != nil {
				p.Add(d.field, "日期格式应为YYYY-MM-DD", d.field+" must be a day, YYYY-MM-DD")
			}
		}
	}
	if f.Kind != "" && !slices.Contains([]string{IssuedByHand, IssuedMonthly, IssuedCampaignEnd}, f.Kind) {
		p.Add("kind", "类型只能是manual、monthly或campaign_end", "kind must be manual, monthly or campaign_end")
	}
	if err := p.Err(); err != nil {
		return register.Page[Issued]{}, err
	}
	if !u.SeesAll() {
		if f.Bureau || (f.Unit != "" && !u.CanSeeUnit(f.Unit)) || u.UnitCode == "" {
			return register.Page[Issued]{Items: []Issued{}, Total: new(int)}, nil
		}
		f.Units = []string{u.UnitCode}
	}
	return s.Store.IssuedReports(ctx, f)
}

// Change is a figure whose live value differs from the value issued.
type Change struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	Issued     int64  `json:"issued"`
	Live       int64  `json:"live"`
	IssuedText string `json:"issued_text"`
	LiveText   string `json:"live_text"`
	Unit       string `json:"unit,omitempty"`
	// List is the live list whose total is the live figure.
	List string `json:"list,omitempty"`
}

// Changes writes the report of r's scope again from the records as they
// are now and returns every figure whose value differs from the issued
// one, in the issued document's order (a figure the issued report did not
// have counts as 0 there).
func (s *Issuing) Changes(ctx context.Context, r Issued) ([]Change, error) {
	live, err := s.Reports.Document(ctx, reader(Scheduler), r.Spec())
	if err != nil {
		return nil, err
	}
	return Compare(r.Document, live), nil
}

// Compare sets live's figures beside issued's: the changed ones. Figures
// counted at the moment of counting (CountedAtTheMoment) stand as of issue
// and are left out: their live value differs with time alone.
func Compare(issued, live Document) []Change {
	out := []Change{}
	seen := map[string]bool{}
	for _, f := range issued.Figures {
		seen[f.Key] = true
		l, _ := live.Figure(f.Key)
		if l.Value != f.Value && !CountedAtTheMoment(f.Key) {
			out = append(out, Change{Key: f.Key, Label: f.Label, Issued: f.Value, Live: l.Value, IssuedText: f.Text,
				LiveText: cmp.Or(l.Text, "0"), Unit: f.Unit, List: l.List})
		}
	}
	for _, l := range live.Figures {
		if !seen[l.Key] && l.Value != 0 && !CountedAtTheMoment(l.Key) {
			out = append(out, Change{Key: l.Key, Label: l.Label, Live: l.Value, IssuedText: "0", LiveText: l.Text, Unit: l.Unit, List: l.List})
		}
	}
	return out
}

// ChangeCounts counts the changed figures of each report of rs, by id;
// reports of the same scope are compared once.
func (s *Issuing) ChangeCounts(ctx context.Context, rs []Issued) (map[int64]int, error) {
	lives := map[Spec]*Document{}
	for _, r := range rs {
		lives[r.Spec()] = nil
	}
	var mu sync.Mutex
	var fns []func(context.Context) error
	sem := make(chan struct{}, 4)
	for spec := range lives {
		fns = append(fns, func(ctx context.Context) error {
			sem <- struct{}{}
			defer func() { <-sem }()
			d, err := s.Reports.Document(ctx, reader(Scheduler), spec)
			if err != nil {
				return err
			}
			mu.Lock()
			lives[spec] = &d
			mu.Unlock()
			return nil
		})
	}
	if err := reporting.Parallel(ctx, fns...); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rs))
	for _, r := range rs {
		out[r.ID] = len(Compare(r.Document, *lives[r.Spec()]))
	}
	return out, nil
}

// campaignWindow is how long after a campaign's end the schedule still
// issues its report (a server down on the day issues it when it is back;
// a new installation does not issue the reports of old campaigns).
const campaignWindow = 40 * 24 * time.Hour

// FirstWorkingDayAfter is the first working day of cal after day
// (YYYY-MM-DD), the day a period's scheduled report is issued.
func FirstWorkingDayAfter(cal *calendar.Calendar, day string) string {
	t, err := time.ParseInLocation(time.DateOnly, day, calendar.Zone)
	if err != nil {
		return ""
	}
	for i := 0; i < 60; i++ {
		t = t.AddDate(0, 0, 1)
		if cal.IsWorkingDay(t.Add(12 * time.Hour)) {
			break
		}
	}
	return t.Format(time.DateOnly)
}

// Due is a scheduled report due to be issued.
type Due struct {
	Kind string
	Key  string
	Spec Spec
}

// Due lists the scheduled reports due at now, issued or not: the monthly
// reports of the bureau and each unit (not partners) for the last month
// whose first working day after has come, and for the month before it (a
// server down on that day issues them when it is back), and the
// campaign-end reports of each campaign that ended within campaignWindow
// once the first working day after its end has come.
func (s *Issuing) Due(ctx context.Context, now time.Time) ([]Due, error) {
	cal := calendar.Default()
	if s.Calendar != nil {
		cal = s.Calendar()
	}
	now = now.In(calendar.Zone)
	today := now.Format(time.DateOnly)
	units, err := s.Reports.Org.Units(ctx)
	if err != nil {
		return nil, err
	}
	scopes := []string{""}
	for _, u := range units {
		if u.Kind != org.UnitBureau && u.Kind != org.UnitPartner {
			scopes = append(scopes, u.Code)
		}
	}
	var out []Due
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, calendar.Zone)
	for back := 2; back >= 1; back-- {
		from := first.AddDate(0, -back, 0)
		to := from.AddDate(0, 1, -1).Format(time.DateOnly)
		if FirstWorkingDayAfter(cal, to) > today {
			continue
		}
		for _, unit := range scopes {
			out = append(out, Due{Kind: IssuedMonthly, Key: "monthly:" + from.Format("2006-01") + ":" + unit,
				Spec: Spec{From: from.Format(time.DateOnly), To: to, Unit: unit, Script: Hans, Lang: Zh}})
		}
	}
	if s.Campaigns != nil {
		since := now.Add(-campaignWindow).Format(time.DateOnly)
		page, err := s.Campaigns.List(ctx, reader(Scheduler), campaign.Filter{Filter: register.Filter{Limit: 100}, From: since, To: today})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			if c.To == "" || c.To < since || c.To >= today || FirstWorkingDayAfter(cal, c.To) > today {
				continue
			}
			for _, unit := range scopes {
				out = append(out, Due{Kind: IssuedCampaignEnd, Key: "campaign:" + strconv.FormatInt(c.ID, 10) + ":" + unit,
					Spec: Spec{From: c.From, To: c.To, Unit: unit, Campaign: c.ID, Script: Hans, Lang: Zh}})
			}
		}
	}
	return out, nil
}

// RunSchedule issues every scheduled report due at now that is not issued
// yet, and returns those it issued. Each is issued once whatever runs it
// at the same time: the store refuses a key already issued, and this one
// skips it.
//
// A month in which nothing at all was recorded in the bureau issues no
// monthly report, neither the bureau's nor a unit's: a new installation,
// or a copy of old records such as the demo's, would otherwise file a
// report a unit saying nothing happened. The schedule looks at each month
// for two months, so records entered late for such a month still have it
// issued; a unit without records in a month the bureau has some gets its
// report, which says so.
func (s *Issuing) RunSchedule(ctx context.Context, now time.Time) ([]Issued, error) {
	due, err := s.Due(ctx, now)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(due))
	for i, d := range due {
		keys[i] = d.Key
	}
	done, err := s.Store.IssuedKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	var out []Issued
	emptyMonth := map[string]bool{} // the first day of a month with no record in the bureau
	for _, d := range due {
		if done[d.Key] || d.Kind == IssuedMonthly && emptyMonth[d.Spec.From] {
			continue
		}
		if d.Kind == IssuedMonthly && d.Spec.Unit != "" {
			if _, known := emptyMonth[d.Spec.From]; !known {
				bureau := d.Spec
				bureau.Unit = ""
				doc, err := s.Reports.Document(ctx, reader(Scheduler), bureau)
				if err != nil {
					return out, err
				}
				emptyMonth[d.Spec.From] = doc.Empty
				if doc.Empty {
					continue
				}
			}
		}
		r, err := s.write(ctx, Scheduler, d.Spec, d.Kind, d.Key)
		if err != nil {
			return out, err
		}
		if d.Kind == IssuedMonthly && d.Spec.Unit == "" {
			if emptyMonth[d.Spec.From] = r.Document.Empty; r.Document.Empty {
				continue
			}
		}
		switch err := s.Store.IssueReport(ctx, &r); minyi.ErrorCode(err) {
		case "":
			out = append(out, r)
		case minyi.EConflict:
		default:
			return out, err
		}
	}
	return out, nil
}
