package pages

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/indicator"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// The period indicators' pages (工作指标): a year's grid of one indicator's
// values per unit and month with each row's and month's figure; a cell's
// page, where a month's value is entered or corrected (a correction is a
// new entry that supersedes the one before, so the cell's history lists
// both); and the admins' page of the indicators' definitions.

// indicatorRoutes are the period indicators' pages.
func (s *Pages) indicatorRoutes() []route {
	return []route{
		{"GET", "/staff/indicators", s.indicatorsPage, "staff"},
		{"GET", "/staff/indicators/enter", s.indicatorCellPage, "staff"},
		{"POST", "/staff/indicators/entries", s.enterIndicator, "staff"},
		{"GET", "/staff/indicators/entries/{id}", s.indicatorEntryPage, "staff"},
		{"GET", "/staff/indicators/definitions", s.indicatorDefinitionsPage, "staff"},
		{"POST", "/staff/indicators/definitions", s.defineIndicator, "staff"},
		{"POST", "/staff/indicators/definitions/{code}", s.changeIndicator, "staff"},
	}
}

// entryNoun names an indicator entry in the pages' messages.
var entryNoun = register.Noun{Zh: "指标数值", En: "indicator entry"}

// gridCell is one unit's value of one month: Has when entered, Corrected
// when it superseded an earlier entry.
type gridCell struct {
	Month     string
	Value     int64
	Has       bool
	Corrected bool
}

// gridRow is one unit's months and their figure.
type gridRow struct {
	Unit, Name string
	Cells      []gridCell
	Figure     int64
}

type indicatorsData struct {
	Defs []indicator.Definition
	Def  indicator.Definition
	Year int
	// Years are the years offered: from 2000 to this one.
	Years  []int
	Months []string // YYYY-MM of the year, or of the period asked
	// From and To are the months asked (?from=&to=, YYYY-MM) instead of a
	// year, as the report links its indicators' figures; Unit the one unit
	// asked (?unit=), whose row alone is shown.
	From, To, Unit string
	Rows           []gridRow
	// MonthFigures are each month's figure over the units shown, Figure
	// the year's.
	MonthFigures []int64
	Figure       int64
	CanEnter     bool
}

// indicatorsPage shows the grid of one indicator's values for a year:
// each unit the user may see a row, each month a column, a cell's value
// the current entry of that unit and month. The figure of a row, a column
// or the year is the indicator's figure over those months (the sum, or for
// last-value indicators each unit's latest month), as the summary counts it.
func (s *Pages) indicatorsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	defs, err := s.Svc.Indicators.Definitions(ctx, u)
	if err != nil {
		return err
	}
	now := time.Now().In(calendar.Zone)
	d := indicatorsData{Defs: defs, Year: now.Year(), CanEnter: u.CanFile()}
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > now.Year() {
			return minyi.Invalid("year", "年份无效", "year must be a year from 2000 to this one")
		}
		d.Year = n
	}
	for y := now.Year(); y >= 2000 && y > now.Year()-10; y-- {
		d.Years = append(d.Years, y)
	}
	if err := d.period(q, now); err != nil {
		return err
	}
	if d.Unit != "" && !u.CanSeeUnit(d.Unit) {
		return minyi.Errorf(minyi.EForbidden, "无权查看该单位的指标 / you may not see this unit's indicators")
	}
	if len(defs) > 0 {
		d.Def = defs[0]
		if q.Get("year") == "" && d.From == "" {
			// The year of the latest value the user may see, so that the
			// grid opens on figures rather than on an empty new year.
			latest, err := s.Svc.Indicators.List(ctx, u, indicator.Filter{Filter: register.Filter{Limit: 1}})
			if err != nil {
				return err
			}
			if len(latest.Items) > 0 {
				if y, err := strconv.Atoi(latest.Items[0].Month[:4]); err == nil {
					d.Year = y
				}
			}
		}
		if code := q.Get("indicator"); code != "" {
			found := false
			for _, x := range defs {
				if x.Code == code {
					d.Def, found = x, true
				}
			}
			if !found {
				return minyi.Invalid("indicator", "指标不存在", "unknown indicator")
			}
		}
		// The export links give the grid's entries: the indicator's current
		// entries of the year, a row each.
		if format, err := core.ExportFormat(r); err != nil {
			return err
		} else if format != "" {
			first, last := d.months()
			return core.WriteList(s.Base, w, r, u, format, core.EntriesExport, func(r *http.Request) (indicator.Filter, error) {
				return indicator.Filter{Filter: register.Filter{Limit: 100, Cursor: r.URL.Query().Get("cursor")},
					Indicator: d.Def.Code, Unit: d.Unit, From: first, To: last}, nil
			}, s.Svc.Indicators.List)
		}
		if err := s.fillGrid(ctx, u, &d); err != nil {
			return err
		}
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("indicators.title")
	s.Render(w, r, http.StatusOK, "indicators", v)
	return nil
}

// maxGridMonths is the most months a period's grid shows.
const maxGridMonths = 120

// period reads the months asked (?from=&to=, YYYY-MM, both or neither, at
// most maxGridMonths, none after now's) and the unit (?unit=); the year
// shown in the form is then the first month's.
func (d *indicatorsData) period(q url.Values, now time.Time) error {
	d.Unit = strings.TrimSpace(q.Get("unit"))
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	if from == "" && to == "" {
		return nil
	}
	var p minyi.Problems
	first, errFrom := time.Parse("2006-01", from)
	last, errTo := time.Parse("2006-01", to)
	switch {
	case errFrom != nil:
		p.Add("from", "起始月份格式应为YYYY-MM", "from must be a month, YYYY-MM")
	case errTo != nil:
		p.Add("to", "截止月份格式应为YYYY-MM", "to must be a month, YYYY-MM")
	case last.Before(first):
		p.Add("to", "截止月份不能早于起始月份", "to cannot be before from")
	case first.Year() < 2000 || to > now.Format("2006-01"):
		p.Add("from", "月份须在2000年至本月之间", "the months must be from 2000 to this one")
	case (last.Year()-first.Year())*12+int(last.Month()-first.Month()) >= maxGridMonths:
		p.Add("to", "期间最多120个月", "a period has at most 120 months")
	}
	if err := p.Err(); err != nil {
		return err
	}
	d.From, d.To, d.Year = from, to, first.Year()
	return nil
}

// months are the first and last months d shows: the period asked, or the
// year's.
func (d *indicatorsData) months() (first, last string) {
	if d.From != "" {
		return d.From, d.To
	}
	y := strconv.Itoa(d.Year)
	return y + "-01", y + "-12"
}

// fillGrid reads the current entries of d's indicator and months that u
// may see and lays them out by unit and month.
func (s *Pages) fillGrid(ctx context.Context, u org.User, d *indicatorsData) error {
	first, last := d.months()
	for m, _ := time.Parse("2006-01", first); m.Format("2006-01") <= last; m = m.AddDate(0, 1, 0) {
		d.Months = append(d.Months, m.Format("2006-01"))
	}
	entries, err := s.entriesOf(ctx, u, indicator.Filter{Indicator: d.Def.Code, Unit: d.Unit, From: first, To: last})
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(ctx, u)
	if err != nil {
		return err
	}
	if d.Unit != "" {
		c.Units = slices.DeleteFunc(c.Units, func(un org.Unit) bool { return un.Code != d.Unit })
	}
	byUnit := map[string]map[string]indicator.Entry{}
	for _, e := range entries {
		if byUnit[e.Unit] == nil {
			byUnit[e.Unit] = map[string]indicator.Entry{}
		}
		byUnit[e.Unit][e.Month] = e
	}
	byMonth := make([][]indicator.Entry, len(d.Months))
	for _, un := range c.Units {
		row := gridRow{Unit: un.Code, Name: un.Name}
		var mine []indicator.Entry
		for i, m := range d.Months {
			e, ok := byUnit[un.Code][m]
			row.Cells = append(row.Cells, gridCell{Month: m, Value: e.Value, Has: ok, Corrected: ok && e.Supersedes != 0})
			if ok {
				mine = append(mine, e)
				byMonth[i] = append(byMonth[i], e)
			}
		}
		row.Figure = indicator.Figure(d.Def.Aggregation, mine)
		d.Rows = append(d.Rows, row)
	}
	for _, es := range byMonth {
		d.MonthFigures = append(d.MonthFigures, indicator.Figure(d.Def.Aggregation, es))
	}
	d.Figure = indicator.Figure(d.Def.Aggregation, entries)
	return nil
}

// entriesOf reads every entry f selects that u may see, page by page.
func (s *Pages) entriesOf(ctx context.Context, u org.User, f indicator.Filter) ([]indicator.Entry, error) {
	var out []indicator.Entry
	f.Limit = 100
	for {
		page, err := s.Svc.Indicators.List(ctx, u, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

// entryFormValues is the entry form as staff filled it.
type entryFormValues struct {
	Indicator, Unit, Month, Value, Note string
}

type indicatorCellData struct {
	ledgerChoices
	Form entryFormValues
	// Defs are the indicators that take entries now (active).
	Defs []indicator.Definition
	// Def is the cell's indicator, when the form names one that exists.
	Def indicator.Definition
	// History is the cell's entries, latest first, superseded included.
	History  []indicator.Entry
	Current  *indicator.Entry
	CanEnter bool
	ThisYear string
	Summary  []string
}

// indicatorCellPage shows a cell (indicator, unit, month): the form that
// enters its value, filled with the current one, and its history.
func (s *Pages) indicatorCellPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	u, _ := core.UserFrom(r.Context())
	f := entryFormValues{Indicator: q.Get("indicator"), Unit: q.Get("unit"), Month: q.Get("month")}
	if f.Unit == "" && !u.SeesAll() {
		f.Unit = u.UnitCode
	}
	return s.showIndicatorCell(w, r, http.StatusOK, f, true, nil)
}

// indicatorEntryPage is an entry's place: its cell's page.
func (s *Pages) indicatorEntryPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, entryNoun)
	if err != nil {
		return err
	}
	e, err := s.Svc.Indicators.Entry(ctx, u, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, cellPath(e.Indicator, e.Unit, e.Month)+"#history", http.StatusSeeOther)
	return nil
}

// cellPath is the page of an indicator's cell.
func cellPath(code, unit, month string) string {
	return "/staff/indicators/enter?" + url.Values{"indicator": {code}, "unit": {unit}, "month": {month}}.Encode()
}

// showIndicatorCell shows the cell f names with status and the problems
// errs; fill puts the current value into the form (a fresh page, not a
// refused one).
func (s *Pages) showIndicatorCell(w http.ResponseWriter, r *http.Request, status int, f entryFormValues, fill bool, errs map[string]string) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	c, err := s.ledgerChoices(ctx, u)
	if err != nil {
		return err
	}
	defs, err := s.Svc.Indicators.Definitions(ctx, u)
	if err != nil {
		return err
	}
	d := indicatorCellData{ledgerChoices: c, Form: f, CanEnter: u.CanFile(), ThisYear: time.Now().In(calendar.Zone).Format("2006-01")}
	for _, x := range defs {
		if x.Code == f.Indicator {
			d.Def = x
		}
		if x.Active || x.Code == f.Indicator {
			d.Defs = append(d.Defs, x)
		}
	}
	if d.Def.Code != "" && f.Unit != "" && monthShape(f.Month) && u.CanSeeUnit(f.Unit) {
		d.History, err = s.entriesOf(ctx, u, indicator.Filter{Indicator: f.Indicator, Unit: f.Unit, From: f.Month, To: f.Month, History: true})
		if err != nil {
			return err
		}
		for i := range d.History {
			if d.History[i].Current {
				d.Current = &d.History[i]
				if fill && d.Form.Value == "" {
					d.Form.Value = strconv.FormatInt(d.Current.Value, 10)
				}
			}
		}
	}
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("indicators.enter_title")
	v.Errors = errs
	d.Summary = errorSummary(v, errs)
	v.Data = d
	s.Render(w, r, status, "indicator_cell", v)
	return nil
}

func monthShape(m string) bool {
	_, err := time.Parse("2006-01", m)
	return err == nil
}

// enterIndicator enters a month's value once per form (fileOnce): a cell
// with a value gets a new entry that supersedes it. Then the cell's page.
func (s *Pages) enterIndicator(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := entryFormValues{Indicator: r.PostFormValue("indicator"), Unit: r.PostFormValue("unit"),
		Month: strings.TrimSpace(r.PostFormValue("month")), Value: strings.TrimSpace(r.PostFormValue("value")), Note: r.PostFormValue("note")}
	if !u.SeesAll() && f.Unit == "" {
		f.Unit = u.UnitCode
	}
	// A value the form cannot read is passed on as -1, which the service
	// refuses too (naming every other problem), so nothing is entered; the
	// form's own words replace the service's for it.
	var p minyi.Problems
	value, err := strconv.ParseInt(f.Value, 10, 64)
	if f.Value == "" {
		p.Add("value", "请填写数值", "value is required")
		value = -1
	} else if err != nil {
		p.Add("value", "数值须为整数", "value must be a whole number")
		value = -1
	}
	to, again, err := s.fileOnce(ctx, indicator.Register, r.PostFormValue(formTokenField), ledgerPath("indicators/entries"), func(form archive.Form) (string, error) {
		e, err := s.Svc.Indicators.Enter(ctx, u, indicator.Entry{Indicator: f.Indicator, Unit: f.Unit, Month: f.Month, Value: value, Note: f.Note, Form: form})
		if err := withFormProblems(err, p); err != nil {
			return "", err
		}
		s.Log.InfoContext(ctx, "indicator entered", "indicator", e.Indicator, "unit", e.Unit, "month", e.Month, "entry", e.ID, "by", u.Name)
		return cellPath(e.Indicator, e.Unit, e.Month) + "#history", nil
	})
	if err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		return s.showIndicatorCell(w, r, status, f, false, core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	}
	if !again {
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "indicators.entered"))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

type indicatorDefsData struct {
	Defs []indicator.Definition
	// New is the new indicator's form as typed; Editing the code of the
	// definition whose form was refused, shown with Edit as typed.
	New     indicator.Definition
	Editing string
	Edit    indicator.Definition
	Summary []string
}

// indicatorDefinitionsPage lists the indicators with a form to change each
// and one to define another; admins only.
func (s *Pages) indicatorDefinitionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.showIndicatorDefinitions(w, r, indicatorDefsData{New: indicator.Definition{Aggregation: indicator.Sum}}, nil)
}

func (s *Pages) showIndicatorDefinitions(w http.ResponseWriter, r *http.Request, d indicatorDefsData, err error) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	defs, derr := s.Svc.Indicators.Definitions(r.Context(), admin)
	if derr != nil {
		return derr
	}
	d.Defs = defs
	for i, x := range d.Defs {
		if x.Code == d.Editing {
			d.Edit.Code, d.Edit.Version = x.Code, x.Version
			d.Defs[i] = d.Edit
		}
	}
	if err != nil {
		d.Summary = errorSummary(s.NewView(w, r, "", nil), core.FieldErrors(s.Catalog, core.PreferredLang(r), err))
	}
	s.adminRender(w, r, "indicator_definitions", "indicators.definitions_title", d, err)
	return nil
}

func definitionForm(r *http.Request) indicator.Definition {
	return indicator.Definition{Code: strings.TrimSpace(r.PostFormValue("code")), Name: r.PostFormValue("name"),
		NameEn: r.PostFormValue("name_en"), Measure: r.PostFormValue("measure"),
		Aggregation: indicator.Aggregation(r.PostFormValue("aggregation"))}
}

// defineIndicator defines a new indicator; a code already defined (the
// form sent again, too) is refused naming the code.
func (s *Pages) defineIndicator(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	d := definitionForm(r)
	got, err := s.Svc.Indicators.Define(r.Context(), admin, d)
	if err != nil {
		return s.showIndicatorDefinitions(w, r, indicatorDefsData{New: d}, err)
	}
	s.Log.InfoContext(r.Context(), "indicator defined", "indicator", got.Code, "by", admin.Name)
	s.done(w, r, "/staff/indicators/definitions#def-"+got.Code, "indicators.defined")
	return nil
}

// changeIndicator changes an indicator's names, measure, aggregation or
// whether it takes entries, against the version the form was filled from.
func (s *Pages) changeIndicator(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	code := r.PathValue("code")
	d := definitionForm(r)
	d.Active = r.PostFormValue("active") == "1"
	version := 0
	if v := formVersion(r); v != nil {
		version = *v
	}
	_, err := s.Svc.Indicators.Change(r.Context(), admin, code, version, indicator.DefinitionPatch{Name: &d.Name, NameEn: &d.NameEn,
		Measure: &d.Measure, Aggregation: &d.Aggregation, Active: &d.Active})
	if err != nil {
		return s.showIndicatorDefinitions(w, r, indicatorDefsData{New: indicator.Definition{Aggregation: indicator.Sum}, Editing: code, Edit: d}, err)
	}
	s.Log.InfoContext(r.Context(), "indicator changed", "indicator", code, "by", admin.Name)
	s.done(w, r, "/staff/indicators/definitions#def-"+code, "indicators.changed")
	return nil
}
