package pages

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/register"
	"minyi/report"
	"minyi/web/core"
)

// Issued reports (签发): the button that issues the report shown on
// /staff/reports (a form sent twice issues once), the new reports listed
// there, the list of issued reports with what changed since each, and one
// issued report as issued with its changes.

// issuedNoun names an issued report in refusals.
var issuedNoun = register.Noun{Zh: "签发的报告", En: "issued report"}

// issuedRoutes are the issued reports' pages.
func (s *Pages) issuedRoutes() []route {
	return []route{
		{"POST", "/staff/reports/issue", s.issueReport, "staff"},
		{"GET", "/staff/reports/issued", s.issuedPage, "staff"},
		{"GET", "/staff/reports/issued/{id}", s.issuedReportPage, "staff"},
		{"GET", "/staff/reports/issued/{id}/file", s.issuedFile, "staff"},
	}
}

// bureauScope is the unit filter's value of the whole bureau's reports,
// which no unit's code can be (org.ValidCode).
const bureauScope = "*"

// recentIssued is how far back /staff/reports lists the new reports.
const recentIssued = 31 * 24 * time.Hour

// issuedBox is what /staff/reports shows of issued reports: the issue
// button for the report shown, when u may issue it, and the new reports u
// may read.
type issuedBox struct {
	// Issue is the report the button issues; nil without the button.
	Issue  *report.Document
	Recent []report.Issued
}

// issuedBoxOf is the box of the report page for u, doc the report shown
// (nil when none).
func (s *Pages) issuedBoxOf(ctx context.Context, u org.User, doc *report.Document) (issuedBox, error) {
	var b issuedBox
	if doc != nil && report.MayIssue(u, doc.Unit) {
		b.Issue = doc
	}
	page, err := s.Svc.Issued.List(ctx, u, report.IssuedFilter{Filter: register.Filter{Limit: 5}, IssuedSince: s.Now().Add(-recentIssued)})
	if err != nil {
		return b, err
	}
	b.Recent = page.Items
	return b, nil
}

// issueReport issues the report of the form (from, to, unit, campaign,
// script) once per form, and shows it.
func (s *Pages) issueReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	spec := report.Spec{From: strings.TrimSpace(r.PostFormValue("from")), To: strings.TrimSpace(r.PostFormValue("to")),
		Unit: strings.TrimSpace(r.PostFormValue("unit")), Script: r.PostFormValue("script")}
	if c := strings.TrimSpace(r.PostFormValue("campaign")); c != "" {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id <= 0 {
			return minyi.Invalid("campaign", "活动编号须为正整数", "campaign must be a positive number")
		}
		spec.Campaign = id
	}
	path := func(id int64) string { return "/staff/reports/issued/" + strconv.FormatInt(id, 10) }
	to, again, err := s.fileOnce(ctx, report.IssuedRegister, r.PostFormValue("form_token"), path,
		func(f archive.Form) (string, error) {
			rec, err := s.Svc.Issued.Issue(ctx, u, spec, f)
			return path(rec.ID), err
		})
	if err != nil {
		return err
	}
	if again {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	s.done(w, r, to, "issued.done")
	return nil
}

// issuedRow is a row of the issued list: the report and how many of its
// figures changed since.
type issuedRow struct {
	report.Issued
	Changed int
}

// issuedListData is the issued list's page.
type issuedListData struct {
	Rows   []issuedRow
	Params map[string]string
	Total  int
	Next   template.URL
	Units  []org.Unit
	Kinds  []string
	Bureau string // bureauScope, for the filter
}

// issuedPage lists the issued reports u may read, newest first, each with
// the count of its figures whose live value differs now.
func (s *Pages) issuedPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.IssuedExport, func(r *http.Request) (report.IssuedFilter, map[string]string, error) {
		rf, params := listQuery(r, "unit", "from", "to", "kind")
		f := report.IssuedFilter{Filter: rf, From: params["from"], To: params["to"], Kind: params["kind"]}
		switch params["unit"] {
		case "":
		case bureauScope:
			f.Bureau = true
		default:
			f.Unit = params["unit"]
		}
		return f, params, nil
	}, s.Svc.Issued.List)
	if done || err != nil {
		return err
	}
	counts, err := s.Svc.Issued.ChangeCounts(ctx, page.Items)
	if err != nil {
		return err
	}
	d := issuedListData{Params: params, Bureau: bureauScope, Kinds: []string{report.IssuedByHand, report.IssuedMonthly, report.IssuedCampaignEnd}}
	for _, it := range page.Items {
		d.Rows = append(d.Rows, issuedRow{Issued: it, Changed: counts[it.ID]})
	}
	if page.Total != nil {
		d.Total = *page.Total
	}
	if page.NextCursor != "" {
		d.Next = nextQuery(params, page.NextCursor)
	}
	if u.SeesAll() {
		units, err := s.Org.Units(ctx)
		if err != nil {
			return err
		}
		for _, un := range units {
			if un.Kind != org.UnitBureau {
				d.Units = append(d.Units, un)
			}
		}
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("issued.title")
	s.Render(w, r, http.StatusOK, "reports_issued", v)
	return nil
}

// issuedReportData is one issued report's page.
type issuedReportData struct {
	Report   report.Issued
	Changes  []report.Change
	Compared time.Time
	Body     template.HTML
	PrintCSS template.CSS
}

// issuedReportPage shows an issued report as issued, with the figures whose
// live value differs now.
func (s *Pages) issuedReportPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, issuedNoun)
	if err != nil {
		return err
	}
	rec, err := s.Svc.Issued.Get(ctx, u, id)
	if err != nil {
		return err
	}
	changes, err := s.Svc.Issued.Changes(ctx, rec)
	if err != nil {
		return err
	}
	body, err := report.HTMLBody(rec.Document)
	if err != nil {
		return minyi.Internal(err)
	}
	v := s.NewView(w, r, "", issuedReportData{Report: rec, Changes: changes, Compared: s.Now(), Body: body, PrintCSS: report.PrintCSS()})
	v.Title = v.Conv(rec.Title)
	s.Render(w, r, http.StatusOK, "report_issued", v)
	return nil
}

// issuedFile sends an issued report as issued: format=html a printable
// page, docx a Word document, md Markdown (core.WriteReport, as the
// summary's downloads).
func (s *Pages) issuedFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, issuedNoun)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if err := core.ReportFormat(format); err != nil {
		return err
	}
	rec, err := s.Svc.Issued.Get(ctx, u, id)
	if err != nil {
		return err
	}
	return s.WriteReport(w, r, u, rec.Document, format, "report-issued-"+strconv.FormatInt(rec.ID, 10), false)
}
