package api

import (
	"context"
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
	"minyi/web/openapi"
)

// Issued reports (签发): a report stored as it was written, with the
// position of the event log when it was issued; read back as issued, with
// the figures whose live value differs now.

// issuedRecords is how the issued reports answer.
var issuedRecords = records{BadID: "报告编号无效", Location: "/api/v1/reports/"}

// issuedRoutes are the issued reports' routes.
func (s *API) issuedRoutes() []route {
	id := []param{{"id", "path", "the issued report's id"}}
	return []route{
		{method: "POST", pattern: "/api/v1/reports", handler: s.issueReport, auth: "staff", summary: "Issue (签发) the summary report of a period, a unit (or the whole bureau) and optionally a campaign: it is written from the records now and stored unchangeable with its figures, the template version and the event log's position (the last event's seq and hash), an event of register reports in the log, announced to webhooks as report_issued. Leaders and admins issue any scope, a unit's head their unit's; others 403 naming unit. Issuing the same scope again is a re-issue, kept beside the first. A bad day, from after to, an unknown unit, campaign or script is 400 naming the field, and nothing is stored",
			request: "IssueRequest", response: "IssuedReport", status: 201},
		{method: "GET", pattern: "/api/v1/reports", handler: s.listIssued, auth: "staff", exports: true, summary: "The issued reports the caller may read, newest first, with the count of all the filter selects (total): leaders and admins every one, other staff their own unit's (never the bureau's); changes=true adds each one's count of figures whose live value differs now",
			response: "IssuedReportPage", status: 200, params: []param{{"q", "query", "words of the title, the unit's or the campaign's name"}, {"unit", "query", "unit code: only its reports"},
				{"bureau", "query", "true: only the whole bureau's reports"},
				{"from", "query", "reports whose period ends on or after this day, YYYY-MM-DD"}, {"to", "query", "reports whose period begins on or before this day, YYYY-MM-DD"},
				{"kind", "query", "manual, monthly or campaign_end"}, {"changes", "query", "true: count each report's changed figures (changed_since)"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "GET", pattern: "/api/v1/reports/{id}", handler: s.getIssued, auth: "staff", summary: "One issued report as issued: format=json (default) gives its record, the figures as issued, the document and changed_since, every figure whose live value differs now (issued vs live, a figure the report did not have counting 0 there; figures counted at the moment, items.overdue_now and cases.overdue, stand as of issue and are left out); html, md and docx render the document exactly as issued (docx as the summary report's). A unit's report is read by its staff, leaders and admins; the bureau's by leaders and admins (403 otherwise)",
			response: "IssuedReportView", status: 200, params: append(id, param{"format", "query", "json (default), html, md or docx"})},
	}
}

// issueRequest is the body of POST /api/v1/reports.
type issueRequest struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Unit     string `json:"unit"`
	Campaign int64  `json:"campaign"`
	Script   string `json:"script"`
}

func (s *API) issueReport(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, issuedRecords, func(ctx context.Context, u org.User, req issueRequest) (report.Issued, error) {
		if req.Campaign < 0 {
			return report.Issued{}, minyi.Invalid("campaign", "活动编号须为正整数", "campaign must be a positive number")
		}
		spec := report.Spec{From: strings.TrimSpace(req.From), To: strings.TrimSpace(req.To), Unit: strings.TrimSpace(req.Unit),
			Campaign: req.Campaign, Script: req.Script}
		return s.Svc.Issued.Issue(ctx, u, spec, archive.Form{})
	}, func(rec report.Issued) int64 { return rec.ID })
}

// issuedFilter reads the issued reports' list filter from the query.
func issuedFilter(r *http.Request, p *minyi.Problems) report.IssuedFilter {
	q := r.URL.Query()
	f := report.IssuedFilter{Filter: pageFilter(r, p), Unit: q.Get("unit"), From: q.Get("from"), To: q.Get("to"), Kind: q.Get("kind")}
	switch q.Get("bureau") {
	case "", "false":
	case "true":
		f.Bureau = true
	default:
		p.Add("bureau", "bureau只能是true或false", "bureau must be true or false")
	}
	return f
}

// issuedSummary is a list's issued report: the record, and with
// changes=true the count of its changed figures.
type issuedSummary struct {
	report.Issued
	ChangedSince *int `json:"changed_since,omitempty"`
}

func (s *API) listIssued(w http.ResponseWriter, r *http.Request) error {
	changes := r.URL.Query().Get("changes")
	if changes != "" && changes != "true" && changes != "false" {
		return minyi.Invalid("changes", "changes只能是true或false", "changes must be true or false")
	}
	if changes != "true" || r.URL.Query().Get("format") != "" {
		// An export holds the records; the counts are the page's.
		return listRecords(s.Base, w, r, issuedRecords, core.IssuedExport, issuedFilter, s.Svc.Issued.List)
	}
	return listRecords(s.Base, w, r, issuedRecords, core.Export[issuedSummary]{}, issuedFilter,
		func(ctx context.Context, u org.User, f report.IssuedFilter) (register.Page[issuedSummary], error) {
			page, err := s.Svc.Issued.List(ctx, u, f)
			if err != nil {
				return register.Page[issuedSummary]{}, err
			}
			counts, err := s.Svc.Issued.ChangeCounts(ctx, page.Items)
			if err != nil {
				return register.Page[issuedSummary]{}, err
			}
			out := register.Page[issuedSummary]{Items: make([]issuedSummary, len(page.Items)), NextCursor: page.NextCursor, Total: page.Total}
			for i, it := range page.Items {
				n := counts[it.ID]
				out.Items[i] = issuedSummary{Issued: it, ChangedSince: &n}
			}
			return out, nil
		})
}

// issuedView is one issued report as GET /api/v1/reports/{id} answers it.
type issuedView struct {
	report.Issued
	Figures      []report.Figure `json:"figures"`
	ChangedSince []report.Change `json:"changed_since"`
	// ComparedAt is when the live figures were counted.
	ComparedAt time.Time       `json:"compared_at"`
	Document   report.Document `json:"document"`
}

func (s *API) getIssued(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := issuedRecords.id(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if _, ok := core.ReportFormats[format]; format != "" && format != "json" && !ok {
		return minyi.Invalid("format", "格式只能是json、html、md或docx", "format must be json, html, md or docx")
	}
	rec, err := s.Svc.Issued.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	if format != "" && format != "json" {
		// Rendered from the document as issued, as the summary report.
		return s.WriteReport(w, r, u, rec.Document, format, "report-issued-"+strconv.FormatInt(rec.ID, 10), true)
	}
	core.NoStore(w)
	changes, err := s.Svc.Issued.Changes(r.Context(), rec)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, issuedView{Issued: rec, Figures: rec.Document.Figures, ChangedSince: changes,
		ComparedAt: s.Now(), Document: rec.Document})
	return nil
}

// issuedSchemas are the issued reports' schemas.
func issuedSchemas() map[string]any {
	n := map[string]any{"type": "integer"}
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}
	props := func() map[string]any {
		return map[string]any{
			"id":   openapi.With(n, "minimum", 1),
			"kind": openapi.With(openapi.EnumOf([]string{report.IssuedByHand, report.IssuedMonthly, report.IssuedCampaignEnd}), "description", "issued by hand, or by the schedule (monthly, at a campaign's end)"),
			"from": day, "to": day, "unit": openapi.With(openapi.Str, "description", "the unit's code; absent for the whole bureau"),
			"unit_name": openapi.Str, "campaign": openapi.With(n, "minimum", 1), "campaign_name": openapi.Str,
			"script": openapi.EnumOf([]string{report.Hans, report.Hant}), "title": openapi.Str,
			"template_version": openapi.With(n, "description", "the template version the prose came from; 0 the built-in default"),
			"log_seq":          openapi.With(n, "description", "the last event of the log when the report was issued: its figures count no later event"),
			"log_hash":         openapi.With(openapi.Str, "description", "that event's hash"),
			"digest":           openapi.With(openapi.Str, "description", "SHA-256 of the document as stored; the issued event in the log carries it"),
			"issued_by":        openapi.Str, "issued_at": openapi.When,
		}
	}
	required := []string{"id", "kind", "from", "to", "unit_name", "script", "title", "template_version", "log_seq", "log_hash", "digest", "issued_by", "issued_at"}
	summary := props()
	summary["changed_since"] = openapi.With(n, "description", "with changes=true: how many figures' live value differs now")
	change := openapi.Obj([]string{"key", "label", "issued", "live", "issued_text", "live_text"}, map[string]any{
		"key": openapi.Str, "label": openapi.Str, "issued": n, "live": n, "issued_text": openapi.Str, "live_text": openapi.Str,
		"unit": openapi.With(openapi.EnumOf([]string{"‰"}), "description", "‰ for a rate"),
		"list": openapi.With(openapi.Str, "description", "the staff list whose total is the live figure"),
	})
	view := props()
	view["figures"] = map[string]any{"type": "array", "description": "the figures as issued", "items": map[string]any{"type": "object"}}
	view["changed_since"] = openapi.With(openapi.Arr(change), "description", "every figure whose live value differs from the issued one now")
	view["compared_at"] = openapi.With(openapi.When, "description", "when the live figures were counted")
	view["document"] = openapi.Ref("ReportDocument")
	return map[string]any{
		"IssueRequest": closed(nil, map[string]any{
			"from":     openapi.With(day, "description", "first day (default 1 January of this year, or the campaign's first day)"),
			"to":       openapi.With(day, "description", "last day (default today, or the campaign's last day)"),
			"unit":     openapi.With(openapi.Str, "description", "unit code; empty or absent for the whole bureau"),
			"campaign": openapi.With(n, "minimum", 0, "description", "campaign id: the ledgers' figures count only its records; 0 or absent, all records"),
			"script":   openapi.EnumOf([]string{report.Hans, report.Hant})}),
		"IssuedReport": openapi.Obj(required, props()),
		"IssuedReportPage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Obj(required, summary)),
			"next_cursor": openapi.Str, "total": map[string]any{"type": "integer", "description": "how many issued reports the filter selects, over every page"}}),
		"IssuedReportView": openapi.Obj(append(required, "figures", "changed_since", "compared_at", "document"), view),
	}
}
