package api

import (
	"net/http"
	"strings"

	"minyi"
	"minyi/report"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The summary report (工作综述): every figure of the period from the
// records, the prose from the admins' template, as JSON (every figure with
// its key and the list behind it), HTML or Markdown.

// reportRoutes are the report's routes.
func (s *API) reportRoutes() []route {
	return []route{
		{method: "GET", pattern: "/api/v1/reports/summary", handler: s.reportSummary, auth: "staff", summary: "The summary report (工作综述) of a period, a unit (or the whole bureau) and optionally a campaign, written from the records when asked, in the source's structure: format=json (default) gives the document with every figure, its key and the staff list whose total it is; html a printable page (A4, page numbers, every figure linked to its list, the charts as SVG); md Markdown; docx a Word document (headings, prose with every figure linked to its list, tables, the charts as PNG with a table of the codes that label their bars, the outcome stories' photos). Who may read which unit is as for /api/v1/ledgers/summary (another unit is 403 naming unit); a bad day, from after to, an unknown unit, campaign, format or script is 400 naming the field; a period without records gives a report that says so",
			response: "ReportDocument", status: 200, params: reportParams()},
		{method: "GET", pattern: "/api/v1/reports/template", handler: s.reportTemplate, auth: "admin", summary: "The template the report's prose is written with: the latest stored version that parses, or the built-in default (version 0), with the default's text", response: "ReportTemplate", status: 200},
		{method: "PUT", pattern: "/api/v1/reports/template", handler: s.putReportTemplate, auth: "admin", summary: "Save a new version of the report template after version (the one the editor started from; 0 the default): an event of the log (register report_template). A template that does not parse, names an unknown figure or fails on a report is 400 naming text with its line, and nothing is stored; a version that is not the latest is 409", request: "ReportTemplateRequest", response: "ReportTemplate", status: 200},
		{method: "POST", pattern: "/api/v1/reports/template/preview", handler: s.previewReportTemplate, auth: "admin", summary: "The report of the query's period, unit, campaign, script and lang written with the template sent, storing nothing (the editor's preview); a bad template is 400 naming text with its line", request: "ReportPreviewRequest", response: "ReportDocument", status: 200,
			params: reportParams()[:4]},
	}
}

// reportParams are the query parameters of a report.
func reportParams() []param {
	return []param{{"from", "query", "first day, YYYY-MM-DD (default 1 January of this year, or the campaign's first day)"},
		{"to", "query", "last day, YYYY-MM-DD (default today, or the campaign's last day); at most 3 years after from"},
		{"unit", "query", "unit code (default the whole bureau)"},
		{"campaign", "query", "campaign id: the ledgers' figures count only its records"},
		{"format", "query", "json (default), html, md or docx"},
		{"script", "query", "hans (simplified, default) or hant (traditional)"},
		{"lang", "query", "zh (default) or en: the headings and labels in English, the prose in Chinese"}}
}

// reportSpec reads the report asked for by the query (from, to, unit,
// campaign, script, lang) and its format (json, html, md, or another
// format in formats); a bad campaign or format is 400 naming it.
func reportSpec(r *http.Request, formats ...string) (report.Spec, string, error) {
	q := r.URL.Query()
	var p minyi.Problems
	spec := report.Spec{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Unit: strings.TrimSpace(q.Get("unit")),
		Campaign: campaignParam(r, &p), Script: q.Get("script"), Lang: q.Get("lang")}
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	if _, ok := core.ReportFormats[format]; !ok && format != "json" && !contains(formats, format) {
		p.Add("format", "格式只能是json、html、md或docx", "format must be json, html, md or docx")
	}
	if err := spec.Check(); err != nil {
		return spec, format, err
	}
	return spec, format, p.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *API) reportSummary(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	spec, format, err := reportSpec(r)
	if err != nil {
		return err
	}
	doc, err := s.Svc.Report.Document(r.Context(), u, spec)
	if err != nil {
		return err
	}
	if format == "json" {
		core.NoStore(w)
		core.WriteJSON(w, http.StatusOK, doc)
		return nil
	}
	return s.WriteReport(w, r, u, doc, format, "report-"+doc.From+"-"+doc.To, true)
}

func (s *API) reportTemplate(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	st, err := s.Svc.Report.Template(r.Context(), u)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, st)
	return nil
}

// reportTemplateRequest is a new version of the template.
type reportTemplateRequest struct {
	Text    string `json:"text"`
	Version *int   `json:"version"`
}

func (s *API) putReportTemplate(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var req reportTemplateRequest
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Version == nil {
		return minyi.Invalid("version", "缺少版本号", "version is required")
	}
	st, err := s.Svc.Report.SaveTemplate(r.Context(), u, req.Text, *req.Version)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, st)
	return nil
}

func (s *API) previewReportTemplate(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	spec, _, err := reportSpec(r)
	if err != nil {
		return err
	}
	var req struct {
		Text string `json:"text"`
	}
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	doc, err := s.Svc.Report.Preview(r.Context(), u, spec, req.Text)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, doc)
	return nil
}

// reportSchemas are the report's answer schemas.
func reportSchemas() map[string]any {
	n := map[string]any{"type": "integer"}
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}
	texts := openapi.Arr(openapi.Str)
	text := map[string]any{"type": "string", "minLength": 1, "maxLength": report.MaxTemplateRunes,
		"description": "the template: text/template, each section a {{define \"name\"}}…{{end}}"}
	span := openapi.Obj([]string{"text"}, map[string]any{"text": openapi.Str,
		"figure": openapi.With(openapi.Str, "description", "the key of the figure this span prints (its text is the value); absent for prose")})
	figure := openapi.Obj([]string{"key", "label", "value", "text"}, map[string]any{
		"key":   openapi.With(openapi.Str, "description", "register.key as the ledger summary names it (matters.done), or the report's own (opinions.collected, desk.received, rates.satisfaction, channels.<channel>…)"),
		"label": openapi.Str, "value": openapi.With(n, "description", "the count; for a rate (unit ‰) per thousand"),
		"unit": openapi.With(openapi.EnumOf([]string{"‰"}), "description", "‰ for a rate; absent for a count"),
		"text": openapi.With(openapi.Str, "description", "the value as printed: digits, a percentage, or — for a rate of nothing"),
		"list": openapi.With(openapi.Str, "description", "the staff list (path and query) whose total is this figure; absent when no list counts exactly these records"),
	})
	table := openapi.Obj([]string{"head", "rows"}, map[string]any{"caption": openapi.Str, "head": texts, "rows": openapi.Arr(texts)})
	chart := openapi.Obj([]string{"key", "title", "labels", "series"}, map[string]any{
		"key":   openapi.With(openapi.EnumOf([]string{"months", "units", "channels"}), "description", "received/answered/closed per month or per unit, or the channel mix"),
		"title": openapi.Str, "labels": texts,
		"series": openapi.Arr(openapi.Obj([]string{"name", "values"}, map[string]any{"name": openapi.Str, "values": openapi.Arr(n)}))})
	section := openapi.Obj([]string{"key", "heading", "paragraphs"}, map[string]any{
		"key":        openapi.With(openapi.EnumOf(report.Sections), "description", "the section, in the source's order"),
		"heading":    openapi.With(openapi.Str, "description", "empty for the opening and closing paragraphs"),
		"paragraphs": openapi.With(openapi.Arr(openapi.Arr(span)), "description", "each paragraph a list of spans of prose and figures"),
		"table":      table, "chart": chart,
		"stories": openapi.With(openapi.Arr(openapi.Obj([]string{"matter", "title", "unit", "done_on", "text"}, map[string]any{
			"matter": n, "title": openapi.Str, "unit": openapi.With(openapi.Str, "description", "the unit's name"), "done_on": day, "text": openapi.Str,
			"photos": openapi.With(openapi.Arr(n), "description", "the story's photos: /api/v1/matters/{matter}/photos/{id}")})),
			"description", "a concern's outcome stories (done matters with a story, published ones first, the most recently done first)")})
	return map[string]any{
		"ReportDocument": openapi.Obj([]string{"title", "from", "to", "unit_name", "script", "lang", "empty", "template_version", "sections", "figures"}, map[string]any{
			"title": openapi.Str, "subtitle": openapi.Str, "from": day, "to": day, "unit": openapi.Str,
			"unit_name": openapi.With(openapi.Str, "description", "the unit's name, or the bureau's"),
			"campaign":  openapi.With(n, "minimum", 1), "campaign_name": openapi.Str,
			"script": openapi.EnumOf([]string{report.Hans, report.Hant}), "lang": openapi.EnumOf([]string{report.Zh, report.En}),
			"empty":            openapi.With(openapi.Bool, "description", "no record counts in the period: the report says so"),
			"template_version": openapi.With(n, "description", "the template version the prose comes from; 0 the built-in default"),
			"sections":         openapi.Arr(section),
			"figures":          openapi.With(openapi.Arr(figure), "description", "every figure of the report: those printed first, in order, then the others by key"),
		}),
		"ReportTemplateRequest": closed([]string{"text", "version"}, map[string]any{
			"text":    text,
			"version": openapi.With(n, "minimum", 0, "description", "the version the text was edited from (0: the default); not the latest is 409")}),
		"ReportPreviewRequest": closed([]string{"text"}, map[string]any{"text": text}),
		"ReportTemplate": openapi.Obj([]string{"version", "text", "default", "latest"}, map[string]any{
			"version": openapi.With(n, "description", "the version in use; 0 the built-in default"), "text": openapi.Str,
			"author": openapi.Str, "created_at": openapi.When,
			"default": openapi.With(openapi.Str, "description", "the built-in template's text"),
			"latest":  openapi.With(n, "description", "the latest stored version; newer than version only when that one no longer parses")}),
	}
}
