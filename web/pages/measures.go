package pages

import (
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/measure"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// The convenience measures' pages (便民利民措施): the list with its filters
// and total, a new measure, a measure with its lifecycle's actions
// (measure.Available), and the change of its fields against the version
// read.

// measureRoutes are the convenience measures' pages.
func (s *Pages) measureRoutes() []route {
	return []route{
		{"GET", "/staff/measures", s.measuresPage, "staff"},
		{"GET", "/staff/measures/new", s.measureNewPage, "staff"},
		{"POST", "/staff/measures", s.createMeasure, "staff"},
		{"GET", "/staff/measures/{id}", s.measurePage, "staff"},
		{"GET", "/staff/measures/{id}/edit", s.measureEditPage, "staff"},
		{"POST", "/staff/measures/{id}", s.editMeasure, "staff"},
		{"POST", "/staff/measures/{id}/act", s.actOnMeasure, "staff"},
	}
}

type measuresData struct {
	ledgerListPage
	Page     register.Page[measure.Measure]
	Statuses []measure.Status
}

// measuresPage lists the measures the user may see, newest first, with the
// filters of the API (status, unit, branch, words, the days of
// implementation) and the count of all that match.
func (s *Pages) measuresPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.MeasuresExport, measureFilter, s.Svc.Measures.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", measuresData{ledgerListPage: l, Page: page, Statuses: measure.Statuses})
	v.Title = v.T("measures.title")
	s.Render(w, r, http.StatusOK, "measures", v)
	return nil
}

// measureFilter reads the measures' list filter.
func measureFilter(r *http.Request) (measure.Filter, map[string]string, error) {
	rf, params := listQuery(r, "status", "unit", "branch", "from", "to", "campaign")
	camp, err := listCampaign(params)
	return measure.Filter{Filter: rf, Status: measure.Status(params["status"]),
		Unit: params["unit"], Branch: params["branch"], From: params["from"], To: params["to"], Campaign: camp}, params, err
}

// measureForm is the measure form as staff filled it.
type measureForm struct {
	Title, Unit, Branch, Changes, Items, Matters, ResearchedOn string
	Campaign                                                   string
	Version                                                    int
}

func readMeasureForm(r *http.Request, u org.User) measureForm {
	f := measureForm{Title: r.PostFormValue("title"), Unit: r.PostFormValue("unit"), Branch: r.PostFormValue("branch"),
		Changes: r.PostFormValue("changes"), Items: r.PostFormValue("items"), Matters: r.PostFormValue("matters"),
		ResearchedOn: strings.TrimSpace(r.PostFormValue("researched_on")), Campaign: r.PostFormValue("campaign")}
	if !u.SeesAll() && f.Unit == "" {
		// The form shows unit staff their own unit; the service refuses
		// any other.
		f.Unit = u.UnitCode
	}
	return f
}

func measureFormOf(m measure.Measure) measureForm {
	ids := make([]string, len(m.Matters))
	for i, id := range m.Matters {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return measureForm{Title: m.Title, Unit: m.Unit, Branch: m.Branch, Changes: m.Changes, Items: strings.Join(m.Items, "\n"),
		Matters: strings.Join(ids, "\n"), ResearchedOn: m.ResearchedOn, Version: m.Version, Campaign: campaignValue(m.Campaign)}
}

// measure is the measure the form describes, with the problems of the
// values it cannot read (a matter's id that is no number, passed on as 0,
// which the service refuses too).
func (f measureForm) measure() (measure.Measure, minyi.Problems) {
	var p minyi.Problems
	m := measure.Measure{Title: f.Title, Unit: f.Unit, Branch: f.Branch, Changes: f.Changes, Items: splitList(f.Items),
		ResearchedOn: f.ResearchedOn, Matters: []int64{}, Campaign: formCampaign(&p, f.Campaign)}
	for _, x := range splitList(f.Matters) {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			p.Add("matters", "实事编号须为正整数："+x, "matters: ids are positive numbers: "+x)
			id = 0 // refused by the service too, which names every other problem
		}
		m.Matters = append(m.Matters, id)
	}
	return m, p
}

type measureFormData struct {
	ledgerFormPage
	Form  measureForm
	Today string
}

func (s *Pages) showMeasureForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f measureForm, errs map[string]string) {
	v, page, ok := measureLedger.formView(s, w, r, status, u, id, f.Title, f.Campaign, errs)
	if !ok {
		return
	}
	v.Data = measureFormData{ledgerFormPage: page, Form: f, Today: chinaToday()}
	s.Render(w, r, status, "measure_form", v)
}

// measureNewPage shows an empty measure form, researched today.
func (s *Pages) measureNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	s.showMeasureForm(w, r, http.StatusOK, u, 0, measureForm{Unit: u.UnitCode, ResearchedOn: chinaToday()}, nil)
	return nil
}

// createMeasure records a measure once per form (fileOnce) and shows it.
func (s *Pages) createMeasure(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readMeasureForm(r, u)
	m, p := f.measure()
	return measureLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		m.Form = form
		m, err := s.Svc.Measures.Create(ctx, u, m)
		return m.ID, err
	}, func(status int, errs map[string]string) {
		s.showMeasureForm(w, r, status, u, 0, f, errs)
	})
}

type measureData struct {
	ledgerChoices
	Measure measure.Measure
	Actions map[string]bool // by action: offered now
	CanEdit bool
	Today   string
	// Day and Reason are what an action's form was sent with, kept when it
	// is refused.
	Day, Reason string
}

// measurePage shows a measure with the lifecycle's actions the user can
// take now.
func (s *Pages) measurePage(w http.ResponseWriter, r *http.Request) error {
	return s.showMeasure(w, r, http.StatusOK, nil)
}

func (s *Pages) showMeasure(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	u, _, m, err := ledgerRecord(r, measure.Noun, s.Svc.Measures.Get)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(r.Context(), u)
	if err != nil {
		return err
	}
	actor := register.ActorFor(u)
	d := measureData{ledgerChoices: c, Measure: m, Actions: map[string]bool{},
		CanEdit: !u.Disabled && measure.MayEdit(actor, m.Unit) == nil, Today: chinaToday()}
	for a, ok := range measure.Available(m, actor, register.Now(s.Svc.Measures.Now)) {
		d.Actions[string(a)] = ok
	}
	if errs != nil {
		d.Day, d.Reason = r.PostFormValue("day"), r.PostFormValue("reason")
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.Conv(m.Title)
	v.Errors = errs
	s.Render(w, r, status, "measure", v)
	return nil
}

// measureEditPage shows the form of a measure's fields at its version.
func (s *Pages) measureEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, m, err := ledgerRecord(r, measure.Noun, s.Svc.Measures.Get)
	if err != nil {
		return err
	}
	if u.Disabled || measure.MayEdit(register.ActorFor(u), m.Unit) != nil {
		return readOnly()
	}
	s.showMeasureForm(w, r, http.StatusOK, u, id, measureFormOf(m), nil)
	return nil
}

// editMeasure changes a measure's fields against the version the form was
// filled from. A stale version shows the form again with what was written
// and the version now stored, saying that someone changed the measure
// meanwhile: sending it again overwrites their change knowingly.
func (s *Pages) editMeasure(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, measure.Noun)
	if err != nil {
		return err
	}
	f := readMeasureForm(r, u)
	version := formVersion(r)
	if version != nil {
		f.Version = *version
	}
	m, p := f.measure()
	err = p.Err()
	if err == nil {
		_, err = s.Svc.Measures.Edit(ctx, u, id, measure.Patch{Version: version, Title: &m.Title, Branch: &m.Branch,
			Changes: &m.Changes, Items: &m.Items, Matters: &m.Matters, ResearchedOn: &m.ResearchedOn, Campaign: &m.Campaign})
	}
	return measureLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.Measures.Get(ctx, u, id); gerr == nil {
			f.Version, f.Unit = now.Version, now.Unit
		}
	}, func(status int, errs map[string]string) {
		s.showMeasureForm(w, r, status, u, id, f, errs)
	})
}

// actOnMeasure takes a lifecycle action (implement on a day, withdraw with
// the reason) against the version shown.
func (s *Pages) actOnMeasure(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, measure.Noun)
	if err != nil {
		return err
	}
	cmd := measure.Command{Action: measure.Action(r.PostFormValue("action")), Day: strings.TrimSpace(r.PostFormValue("day")),
		Reason: r.PostFormValue("reason")}
	if _, err := s.Svc.Measures.Act(ctx, u, id, formVersion(r), cmd); err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		return s.showMeasure(w, r, status, core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "measure.done_"+string(cmd.Action)))
	http.Redirect(w, r, "/staff/measures/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
