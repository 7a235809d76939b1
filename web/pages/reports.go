package pages

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/locale"
	"minyi/org"
	"minyi/report"
	"minyi/web/core"
)

// The summary report (工作综述): the report of a period, unit and campaign
// written from the records (report.Service.Document, as GET
// /api/v1/reports/summary), previewed on the page with every figure a link
// to its list, and downloaded as a printable HTML page, a Word document or Markdown; and the
// admins' editor of its template with a preview.

// reportRoutes are the report's pages.
func (s *Pages) reportRoutes() []route {
	return []route{
		{"GET", "/staff/reports", s.reportsPage, "staff"},
		{"GET", "/staff/reports/file", s.reportFile, "staff"},
		{"GET", "/staff/admin/report-template", s.reportTemplatePage, "staff"},
		{"POST", "/staff/admin/report-template", s.reportTemplateSave, "staff"},
	}
}

// reportsData is what the report page shows.
type reportsData struct {
	From, To, Unit, Campaign, Script string // the form as given
	SeesAll                          bool
	Units                            []org.Unit
	Campaigns                        []campaign.Campaign
	Presets                          []reportPreset
	// Body is the report's HTML, "" when the form was refused; Files are
	// its downloads.
	Body  template.HTML
	Doc   *report.Document
	Files []reportLink
	// Figures links to the same figures on /staff/figures.
	Figures string
	CanEdit bool // an admin: the template editor is linked
	// PrintCSS prints the report alone on A4 with page numbers.
	PrintCSS template.CSS
	// Issued is the button that issues the report shown and the new
	// issued reports (reports_issued.go).
	Issued issuedBox
}

// reportPreset is a period the form offers in one click.
type reportPreset struct {
	Label, From, To string
}

// reportLink is a download of the report.
type reportLink struct {
	Label, Href string
}

// reportSpec reads the report asked for by the page's query.
func reportSpecOf(q url.Values) (report.Spec, error) {
	spec := report.Spec{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Unit: strings.TrimSpace(q.Get("unit")),
		Script: q.Get("script"), Lang: q.Get("lang")}
	if c := strings.TrimSpace(q.Get("campaign")); c != "" {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id <= 0 {
			return spec, minyi.Invalid("campaign", "活动编号须为正整数", "campaign must be a positive number")
		}
		spec.Campaign = id
	}
	return spec, spec.Check()
}

// presets are this year, last year, this month and last month, as of now.
func reportPresets(v *core.View, now time.Time) []reportPreset {
	y, m, _ := now.Date()
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	thisMonth := time.Date(y, m, 1, 0, 0, 0, 0, calendar.Zone)
	return []reportPreset{
		{v.T("reports.preset_year"), day(time.Date(y, 1, 1, 0, 0, 0, 0, calendar.Zone)), day(now)},
		{v.T("reports.preset_last_year"), day(time.Date(y-1, 1, 1, 0, 0, 0, 0, calendar.Zone)), day(time.Date(y-1, 12, 31, 0, 0, 0, 0, calendar.Zone))},
		{v.T("reports.preset_month"), day(thisMonth), day(now)},
		{v.T("reports.preset_last_month"), day(thisMonth.AddDate(0, -1, 0)), day(thisMonth.AddDate(0, 0, -1))},
	}
}

// reportsPage writes the report of ?from=&to=&unit=&campaign=&script= and
// shows it with the form; a refused form is shown again with its fields
// named, in the refusal's status (403 for another unit, as the API).
func (s *Pages) reportsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	lang := core.PreferredLang(r)
	data := &reportsData{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit"), Campaign: q.Get("campaign"), SeesAll: u.SeesAll(),
		CanEdit: u.CanManage(), PrintCSS: report.PrintCSS()}
	spec, err := reportSpecOf(q)
	if spec.Script == "" && lang == locale.Hant {
		spec.Script = report.Hant
	}
	if lang == locale.En && spec.Lang == "" {
		spec.Lang = report.En
	}
	data.Script = spec.Script
	var doc report.Document
	if err == nil {
		doc, err = s.Svc.Report.Document(ctx, u, spec)
	}
	status := http.StatusOK
	var fields map[string]string
	if err != nil {
		if fields = core.FieldErrors(s.Catalog, lang, err); fields == nil {
			return err
		}
		status = core.StatusOf(minyi.ErrorCode(err))
	}
	if data.Units, data.Campaigns, err = s.scopeChoices(ctx, u); err != nil {
		return err
	}
	v := s.NewView(w, r, "", data)
	v.Title = v.T("reports.title")
	v.Errors = fields
	data.Presets = reportPresets(v, time.Now().In(calendar.Zone))
	if status == http.StatusOK {
		body, err := report.HTMLBody(doc)
		if err != nil {
			return minyi.Internal(err)
		}
		data.Body, data.Doc = body, &doc
		// The downloads and the figures page name the period shown, so
		// that they give the same report whatever day they are opened.
		fq := url.Values{"from": {doc.From}, "to": {doc.To}}
		for k, v := range map[string]string{"unit": doc.Unit, "script": doc.Script, "lang": doc.Lang} {
			if v != "" && !(k == "script" && v == report.Hans) && !(k == "lang" && v == report.Zh) {
				fq.Set(k, v)
			}
		}
		if doc.Campaign != 0 {
			fq.Set("campaign", strconv.FormatInt(doc.Campaign, 10))
		}
		for _, f := range []struct{ format, key string }{{"html", "reports.download_html"}, {"docx", "reports.download_docx"}, {"md", "reports.download_md"}} {
			fq.Set("format", f.format)
			data.Files = append(data.Files, reportLink{Label: v.T(f.key), Href: "/staff/reports/file?" + fq.Encode()})
		}
		fq.Del("format")
		fq.Del("script")
		fq.Del("lang")
		data.Figures = "/staff/figures?" + fq.Encode()
	}
	if data.Issued, err = s.issuedBoxOf(ctx, u, data.Doc); err != nil {
		return err
	}
	s.Render(w, r, status, "reports", v)
	return nil
}

// reportFile sends the report as a file: format=html a printable page,
// docx a Word document, md Markdown; the refusals are the page's, as an
// error page.
func (s *Pages) reportFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	spec, err := reportSpecOf(q)
	if err != nil {
		return err
	}
	format := q.Get("format")
	if err := core.ReportFormat(format); err != nil {
		return err
	}
	doc, err := s.Svc.Report.Document(ctx, u, spec)
	if err != nil {
		return err
	}
	return s.WriteReport(w, r, u, doc, format, "report-"+doc.From+"-"+doc.To, false)
}

// reportTemplateData is the template editor's page.
type reportTemplateData struct {
	State report.TemplateState
	// Text and Base are the form: the text being edited and the version
	// it started from.
	Text string
	Base int
	// Preview is the report written with Text over this year, when asked.
	Preview template.HTML
	Saved   bool
}

// reportTemplatePage shows the template in use in the editor.
func (s *Pages) reportTemplatePage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	st, err := s.Svc.Report.Template(r.Context(), admin)
	if err != nil {
		return err
	}
	base := st.Latest
	s.adminRender(w, r, "report_template", "reports.template_title", reportTemplateData{State: st, Text: st.Text, Base: base}, nil)
	return nil
}

// reportTemplateSave previews (action=preview) or saves the template sent;
// a template with an error is shown again with the error and its line,
// nothing stored.
func (s *Pages) reportTemplateSave(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	text := r.PostFormValue("text")
	base, _ := strconv.Atoi(r.PostFormValue("version"))
	st, err := s.Svc.Report.Template(ctx, admin)
	if err != nil {
		return err
	}
	d := reportTemplateData{State: st, Text: text, Base: base}
	if r.PostFormValue("action") == "preview" {
		doc, err := s.Svc.Report.Preview(ctx, admin, report.Spec{}, text)
		if err == nil {
			d.Preview, err = report.HTMLBody(doc)
		}
		s.adminRender(w, r, "report_template", "reports.template_title", d, err)
		return nil
	}
	if _, err := s.Svc.Report.SaveTemplate(ctx, admin, text, base); err != nil {
		s.adminRender(w, r, "report_template", "reports.template_title", d, err)
		return nil
	}
	s.done(w, r, "/staff/admin/report-template", "reports.template_saved")
	return nil
}
