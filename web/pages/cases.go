package pages

import (
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// The one-stop cases' pages (一件事办件): the list with the API's filters and
// total, a new case (its service chosen first, so that the form offers that
// service's checklist), a case with its steps, checklists, hand-offs and the
// actions the reader can take now (onestop.Available), and the change of an
// open case's fields. Partners use them for their own unit's steps.

var caseLedger = ledger{onestop.Register, "cases", "case", "one-stop case"}

type casesData struct {
	ledgerListPage
	Page     register.Page[onestop.Case]
	Services []onestop.Definition
	Statuses []onestop.Status
	// AllUnits name the units of the steps, partners' included.
	AllUnits  []org.Unit
	UnitNames map[string]string
}

// caseFilter reads the one-stop cases' list filter.
func caseFilter(r *http.Request) (onestop.Filter, map[string]string, error) {
	rf, params := listQuery(r, "service", "status", "unit", "proxy", "green", "overdue", "from", "to", "done_from", "done_to")
	var p minyi.Problems
	f := onestop.Filter{Filter: rf, Status: onestop.Status(params["status"]), Unit: params["unit"], From: params["from"], To: params["to"],
		DoneFrom: params["done_from"], DoneTo: params["done_to"], Proxy: formBool(&p, "proxy", params["proxy"]), Green: formBool(&p, "green", params["green"]), Overdue: params["overdue"] == "true"}
	if v := params["service"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add("service", "服务编号须为正整数", "service must be a positive number")
		}
		f.Service = id
	}
	return f, params, p.Err()
}

// casesPage lists the cases the user may see, newest first, with the
// filters of the API and the count of all that match.
func (s *Pages) casesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.CasesExport, caseFilter, s.Svc.OneStop.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	l.CanRecord = !u.Disabled
	services, err := s.Svc.OneStop.Definitions(ctx, u, onestop.DefinitionFilter{Filter: register.Filter{Limit: 100}})
	if err != nil {
		return err
	}
	units, names, err := s.allUnits(r)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", casesData{ledgerListPage: l, Page: page, Services: services.Items, Statuses: onestop.Statuses,
		AllUnits: units, UnitNames: names})
	v.Title = v.T("cases.title")
	s.Render(w, r, http.StatusOK, "cases", v)
	return nil
}

// allUnits are every unit, partners' included, and their names by code.
func (s *Pages) allUnits(r *http.Request) ([]org.Unit, map[string]string, error) {
	units, err := s.Org.Units(r.Context())
	names := map[string]string{}
	for _, un := range units {
		names[un.Code] = un.Name
	}
	return units, names, err
}

// formBool reads a filter's yes/no: "true", "false" or "" (either).
func formBool(p *minyi.Problems, field, v string) *bool {
	switch v {
	case "":
		return nil
	case "true", "false":
		b := v == "true"
		return &b
	}
	p.Add(field, field+"须为true或false", field+" must be true or false")
	return nil
}

// caseForm is the case form as staff filled it.
type caseForm struct {
	Service                             int64
	Name, Phone, IDNumber, Proxy, Green string
	Note                                string
	Received                            []string
	Version                             int
}

func readCaseForm(r *http.Request) caseForm {
	id, _ := strconv.ParseInt(r.PostFormValue("service"), 10, 64)
	return caseForm{Service: id, Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"),
		IDNumber: r.PostFormValue("id_number"), Proxy: strings.TrimSpace(r.PostFormValue("proxy")),
		Green: r.PostFormValue("green"), Note: r.PostFormValue("note"), Received: r.PostForm["received"]}
}

func (f caseForm) applicant() onestop.Applicant {
	return onestop.Applicant{Name: f.Name, Phone: f.Phone, IDNumber: f.IDNumber}
}

type caseFormData struct {
	ledgerFormPage
	Form     caseForm
	Service  onestop.Definition
	Services []onestop.Definition
	// Checklist is the materials the form offers to tick: the first step's
	// of a new case, the current step's of a change.
	Checklist []string
	UnitNames map[string]string
	Greens    []onestop.Green
}

func (s *Pages) showCaseForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f caseForm, checklist []string, errs map[string]string) {
	v, page, ok := caseLedger.formView(s, w, r, status, u, id, strconv.FormatInt(id, 10), "", errs)
	if !ok {
		return
	}
	d := caseFormData{ledgerFormPage: page, Form: f, Checklist: checklist, Greens: onestop.Greens}
	var err error
	if _, d.UnitNames, err = s.allUnits(r); err != nil {
		s.PageError(w, r, err)
		return
	}
	if id == 0 {
		active := true
		all, err := s.Svc.OneStop.Definitions(r.Context(), u, onestop.DefinitionFilter{Filter: register.Filter{Limit: 100}, Active: &active})
		if err != nil {
			s.PageError(w, r, err)
			return
		}
		// The services whose first step the user may do.
		for _, sv := range all.Items {
			if len(sv.Steps) > 0 && u.CanActForUnit(sv.Steps[0].Unit) {
				d.Services = append(d.Services, sv)
			}
			if sv.ID == f.Service {
				d.Service = sv
				if checklist == nil && len(sv.Steps) > 0 {
					d.Checklist = sv.Steps[0].Materials
				}
			}
		}
	}
	v.Data = d
	s.Render(w, r, status, "case_form", v)
}

// caseNewPage shows the form of a new case: first the choice of the
// service, then, with ?service=, the applicant and the first step's
// checklist.
func (s *Pages) caseNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if u.Disabled {
		return readOnly()
	}
	id, _ := strconv.ParseInt(r.URL.Query().Get("service"), 10, 64)
	s.showCaseForm(w, r, http.StatusOK, u, 0, caseForm{Service: id}, nil, nil)
	return nil
}

// openCase opens a case once per form (fileOnce) and shows it.
func (s *Pages) openCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	f := readCaseForm(r)
	return caseLedger.create(s, w, r, nil, func(form archive.Form) (int64, error) {
		c, err := s.Svc.OneStop.Open(ctx, u, onestop.Opening{Service: f.Service, Applicant: f.applicant(), Proxy: f.Proxy,
			Green: onestop.Green(f.Green), Note: f.Note, Received: f.Received, Form: form})
		return c.ID, err
	}, func(status int, errs map[string]string) {
		s.showCaseForm(w, r, status, u, 0, f, nil, errs)
	})
}

type caseData struct {
	View onestop.View
	// Actions are the lifecycle's actions offered now, by name.
	Actions   map[string]bool
	UnitNames map[string]string
	// Missing are the current step's materials not yet received, Earlier
	// the steps a return may go back to (numbered from 1).
	Missing []string
	Earlier []int
	Next    onestop.CaseStep
	// Reason and Step are what a refused action's form was sent with.
	Reason string
}

// casePage shows a case with its steps, hand-offs and the actions the user
// can take now.
func (s *Pages) casePage(w http.ResponseWriter, r *http.Request) error {
	return s.showCase(w, r, http.StatusOK, nil)
}

func (s *Pages) showCase(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	_, _, view, err := ledgerRecord(r, onestop.Noun, s.Svc.OneStop.Timeline)
	if err != nil {
		return err
	}
	_, names, err := s.allUnits(r)
	if err != nil {
		return err
	}
	c := view.Case
	d := caseData{View: view, UnitNames: names, Missing: c.Current().Missing(), Actions: map[string]bool{}}
	for a, ok := range view.Available {
		d.Actions[string(a)] = ok
	}
	for i := 1; i <= c.Step; i++ {
		d.Earlier = append(d.Earlier, i)
	}
	if c.Step+1 < len(c.Steps) {
		d.Next = c.Steps[c.Step+1]
	}
	if errs != nil {
		d.Reason = r.PostFormValue("reason")
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("case.title", c.ID, v.Conv(c.ServiceName))
	v.Errors = errs
	s.Render(w, r, status, "case", v)
	return nil
}

// caseEditPage shows the form of an open case's fields at its version.
func (s *Pages) caseEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, view, err := ledgerRecord(r, onestop.Noun, s.Svc.OneStop.Timeline)
	if err != nil {
		return err
	}
	if !view.CanEdit {
		return readOnly()
	}
	c := view.Case
	f := caseForm{Service: c.Service, Name: c.Applicant.Name, Phone: c.Applicant.Phone, IDNumber: c.Applicant.IDNumber,
		Proxy: c.Proxy, Green: string(c.Green), Note: c.Note, Received: c.Current().Received, Version: c.Version}
	s.showCaseForm(w, r, http.StatusOK, u, id, f, c.Current().Materials, nil)
	return nil
}

// editCase changes an open case's fields against the version the form was
// filled from. The applicant's data are changed only when the form shows
// them unmasked (to whom needs to know): a masked value sent back is no
// change.
func (s *Pages) editCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, onestop.Noun)
	if err != nil {
		return err
	}
	f := readCaseForm(r)
	version := formVersion(r)
	if version != nil {
		f.Version = *version
	}
	now, err := s.Svc.OneStop.Get(ctx, u, id)
	if err != nil {
		return err
	}
	green := onestop.Green(f.Green)
	received := f.Received
	if received == nil {
		received = []string{}
	}
	p := onestop.Patch{Version: version, Proxy: &f.Proxy, Green: &green, Note: &f.Note, Received: &received}
	if !now.Masked {
		a := f.applicant()
		p.Applicant = &a
	}
	_, err = s.Svc.OneStop.Edit(ctx, u, id, p)
	return caseLedger.changed(s, w, r, id, err, func() {
		if again, gerr := s.Svc.OneStop.Get(ctx, u, id); gerr == nil {
			f.Version = again.Version
		}
	}, func(status int, errs map[string]string) {
		s.showCaseForm(w, r, status, u, id, f, now.Current().Materials, errs)
	})
}

// actOnCase takes a lifecycle action (advance, return, complete, cancel)
// against the version shown.
func (s *Pages) actOnCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, onestop.Noun)
	if err != nil {
		return err
	}
	cmd := onestop.Command{Action: onestop.Action(r.PostFormValue("action")), Received: r.PostForm["received"],
		Reason: r.PostFormValue("reason")}
	if v := r.PostFormValue("step"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = 0 // refused by the service, naming step
		}
		cmd.Step = &n
	}
	if _, err := s.Svc.OneStop.Act(ctx, u, id, formVersion(r), cmd); err != nil {
		status := refused(err)
		if status == 0 {
			return err
		}
		return s.showCase(w, r, status, core.FormErrors(s.Catalog, core.PreferredLang(r), err))
	}
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "case.done_"+string(cmd.Action)))
	http.Redirect(w, r, caseLedger.path(id), http.StatusSeeOther)
	return nil
}
