package pages

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/campaign"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/report"
	"minyi/reporting"
	"minyi/web/core"
)

// The figures of the ledgers (工作数据汇总): every figure the ledger
// summary answers (GET /api/v1/ledgers/summary), asked of the same
// services, as one table per register. The registers and their keys come
// from the answer, so a register wired later shows without a change here.

// figuresData is what the figures template receives.
type figuresData struct {
	From, To, Unit, Campaign string // the filter as given, to refill the form
	SeesAll                  bool
	Units                    []org.Unit
	Campaigns                []campaign.Campaign
	// Shown is the answer's period and Registers its tables; both empty
	// when the filter was refused.
	Shown     *reporting.Report
	Registers []figureTable
}

// figureTable is one register's figures.
type figureTable struct {
	Register, Title string
	Rows            []figureRow
}

// figureRow is one figure: its label, value and, where a list shows
// exactly the records counted, a link to that list.
type figureRow struct {
	Key, Label, Href string
	Value            int64
}

// registerOrder puts the registers in the order the periodic report reads
// them; a register not named here follows, by name.
var registerOrder = []string{"matters", "measures", "volunteer_activities", "service_points", "disputes", "indicators", "cases", "bookings", "publicity", "surveys"}

// figuresPage shows the ledgers' figures for ?from=&to=&unit=&campaign=.
// Who may see which unit is decided by reporting.Service.Summary (and
// campaign.Service.Summary for a campaign), as for the API.
func (s *Pages) figuresPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}
	data := &figuresData{From: f.From, To: f.To, Unit: f.Unit, Campaign: strings.TrimSpace(q.Get("campaign")), SeesAll: u.SeesAll()}
	var rep reporting.Report
	var err error
	if data.Campaign != "" {
		id, perr := strconv.ParseInt(data.Campaign, 10, 64)
		if perr != nil || id <= 0 {
			err = minyi.Invalid("campaign", "活动编号须为正整数", "campaign must be a positive number")
		} else {
			rep, err = s.Svc.Campaigns.Summary(ctx, u, id, f)
		}
	} else {
		f = f.ThisYearByDefault(time.Now().In(calendar.Zone))
		data.From, data.To = f.From, f.To
		rep, err = s.Reports.Summary(ctx, u, f)
	}
	status := http.StatusOK
	var fields map[string]string
	if err != nil {
		// Bad input shows the form again with the fields named; anything
		// else (another unit, database trouble) is an error page.
		if fields = core.FieldErrors(s.Catalog, core.PreferredLang(r), err); fields == nil {
			return err
		}
		// A refusal keeps its status (403 for another unit, as the API
		// answers) while the form names the field.
		status = core.StatusOf(minyi.ErrorCode(err))
	}
	if data.Units, data.Campaigns, err = s.scopeChoices(ctx, u); err != nil {
		return err
	}
	v := s.NewView(w, r, "", data)
	v.Title = v.T("figures.title")
	v.Errors = fields
	if status == http.StatusOK {
		data.Shown = &rep
		data.Registers = s.figureTables(r, v, rep, data.Campaign)
	}
	s.Render(w, r, status, "figures", v)
	return nil
}

// figureTables turns the answer into tables, registers in registerOrder
// and keys by name, each labelled as the campaign targets are.
func (s *Pages) figureTables(r *http.Request, v *core.View, rep reporting.Report, camp string) []figureTable {
	rank := func(name string) int {
		if i := slices.Index(registerOrder, name); i >= 0 {
			return i
		}
		return len(registerOrder)
	}
	names := make([]string, 0, len(rep.Registers))
	for name := range rep.Registers {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b)) })
	out := make([]figureTable, 0, len(names))
	services := s.caseServices(r, rep)
	spec := report.Spec{From: rep.From, To: rep.To, Unit: rep.Unit}
	spec.Campaign, _ = strconv.ParseInt(camp, 10, 64)
	for _, name := range names {
		t := figureTable{Register: name, Title: name}
		if s.Catalog.Has("figures.register." + name) {
			t.Title = v.T("figures.register." + name)
		}
		keys := make([]string, 0, len(rep.Registers[name]))
		for k := range rep.Registers[name] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			label, ok := caseFigureLabel(v, name, k, services)
			if !ok {
				label = s.figureLabel(r.Context(), v, name+"."+k)
			}
			t.Rows = append(t.Rows, figureRow{Key: k, Label: label,
				Value: rep.Registers[name][k], Href: report.ListOf(spec, services, name+"."+k)})
		}
		out = append(out, t)
	}
	return out
}

// caseServices are the one-stop services, which name the cases' figures
// and whose ids their lists take; none when rep has no cases' figures.
func (s *Pages) caseServices(r *http.Request, rep reporting.Report) []report.Named {
	if _, ok := rep.Registers[onestop.Register]; !ok {
		return nil
	}
	u, _ := core.UserFrom(r.Context())
	page, err := s.Svc.OneStop.Definitions(r.Context(), u, onestop.DefinitionFilter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		s.Log.WarnContext(r.Context(), "reading the one-stop services", "err", err)
	}
	out := make([]report.Named, 0, len(page.Items))
	for _, d := range page.Items {
		out = append(out, report.Named{Code: d.Code, Zh: d.Name, En: d.Name, ID: d.ID})
	}
	return out
}

// caseFigureLabel names a one-stop figure per service (opened_<code>,
// done_<code>, proxy_<code>) by the service's name; ok is false for any
// other figure.
func caseFigureLabel(v *core.View, reg, key string, services []report.Named) (string, bool) {
	if reg != onestop.Register {
		return "", false
	}
	for _, prefix := range []string{"opened", "done", "proxy"} {
		code, ok := strings.CutPrefix(key, prefix+"_")
		if !ok {
			continue
		}
		name := code
		for _, d := range services {
			if d.Code == code {
				name = v.Conv(d.Zh)
			}
		}
		return v.T("figures.case_"+prefix, name), true
	}
	return "", false
}

// ledgerWorkbook answers the ledgers' workbook of the figures' period and
// unit (core.LedgerBook, as GET /api/v1/ledgers/export).
func (s *Pages) ledgerWorkbook(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	return s.LedgerBook(w, r, u)
}

// scopeChoices are the units and campaigns the figures' and the report's
// forms offer u: the units u sees but the bureau (whose figures are the
// whole's, chosen by naming no unit), and the campaigns u sees.
func (s *Pages) scopeChoices(ctx context.Context, u org.User) ([]org.Unit, []campaign.Campaign, error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	var choices []org.Unit
	for _, un := range units {
		if un.Kind != org.UnitBureau && u.CanSeeUnit(un.Code) {
			choices = append(choices, un)
		}
	}
	camps, err := s.Svc.Campaigns.List(ctx, u, campaign.Filter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		return nil, nil, err
	}
	return choices, camps.Items, nil
}
