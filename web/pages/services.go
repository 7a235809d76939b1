package pages

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/onestop"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// The one-stop service builder (一件事服务): the services every member of
// staff and partner may read, and the admin's form that defines one as its
// steps in order. The form works without JavaScript: its buttons add a
// step, remove one or move one up, each answering the form again with the
// change and writing nothing; only "save" writes.

var serviceLedger = ledger{onestop.ServicesRegister, "services", "service", "one-stop service"}

// onestopRoutes are the one-stop pages: the services and the cases.
func (s *Pages) onestopRoutes() []route {
	return []route{
		{"GET", "/staff/services", s.servicesPage, "staff"},
		{"GET", "/staff/services/new", s.serviceNewPage, "staff"},
		{"POST", "/staff/services", s.createService, "staff"},
		{"GET", "/staff/services/{id}", s.serviceEditPage, "staff"},
		{"POST", "/staff/services/{id}", s.editService, "staff"},
		{"GET", "/staff/cases", s.casesPage, "staff"},
		{"GET", "/staff/cases/new", s.caseNewPage, "staff"},
		{"POST", "/staff/cases", s.openCase, "staff"},
		{"GET", "/staff/cases/{id}", s.casePage, "staff"},
		{"GET", "/staff/cases/{id}/edit", s.caseEditPage, "staff"},
		{"POST", "/staff/cases/{id}", s.editCase, "staff"},
		{"POST", "/staff/cases/{id}/act", s.actOnCase, "staff"},
	}
}

type servicesData struct {
	ledgerChoices
	Services  []onestop.Definition
	CanDefine bool
}

// servicesPage lists the services with their steps and the units that do
// them.
func (s *Pages) servicesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, _, done, err := listOrExport(s, w, r, core.ServicesExport, func(r *http.Request) (onestop.DefinitionFilter, map[string]string, error) {
		return onestop.DefinitionFilter{Filter: register.Filter{Limit: 100, Cursor: r.URL.Query().Get("cursor")}}, nil, nil
	}, s.Svc.OneStop.Definitions)
	if done || err != nil {
		return err
	}
	c, err := s.ledgerChoices(ctx, u)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", servicesData{ledgerChoices: c, Services: page.Items, CanDefine: u.CanManage()})
	v.Title = v.T("services.title")
	s.Render(w, r, http.StatusOK, "services", v)
	return nil
}

// serviceForm is the builder as the admin filled it: the service's fields
// and its steps, each step's materials one per line.
type serviceForm struct {
	Code, Name, Description string
	Active                  bool
	Steps                   []stepForm
	Version                 int
}

type stepForm struct {
	Name, Unit, Materials, LimitDays string
}

func readServiceForm(r *http.Request) serviceForm {
	f := serviceForm{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Active: r.PostFormValue("active") != ""}
	names, units, materials, limits := r.PostForm["step_name"], r.PostForm["step_unit"], r.PostForm["step_materials"], r.PostForm["step_limit"]
	for i := range names {
		st := stepForm{Name: names[i]}
		if i < len(units) {
			st.Unit = units[i]
		}
		if i < len(materials) {
			st.Materials = materials[i]
		}
		if i < len(limits) {
			st.LimitDays = limits[i]
		}
		f.Steps = append(f.Steps, st)
	}
	return f
}

func serviceFormOf(d onestop.Definition) serviceForm {
	f := serviceForm{Code: d.Code, Name: d.Name, Description: d.Description, Active: d.Active, Version: d.Version}
	for _, st := range d.Steps {
		f.Steps = append(f.Steps, stepForm{Name: st.Name, Unit: st.Unit, Materials: strings.Join(st.Materials, "\n"),
			LimitDays: strconv.Itoa(st.LimitDays)})
	}
	return f
}

// definition is the service the form describes, with the problems of the
// values it cannot read (a time limit that is no number).
func (f serviceForm) definition() (onestop.Definition, minyi.Problems) {
	var p minyi.Problems
	d := onestop.Definition{Code: f.Code, Name: f.Name, Description: f.Description, Active: f.Active, Steps: []onestop.Step{}}
	for i, st := range f.Steps {
		field := "steps[" + strconv.Itoa(i) + "].limit_days"
		n := formInt(&p, field, st.LimitDays, "第"+strconv.Itoa(i+1)+"环节办理时限", field)
		var materials []string
		for _, m := range strings.Split(st.Materials, "\n") {
			if m = strings.TrimSpace(m); m != "" {
				materials = append(materials, m)
			}
		}
		d.Steps = append(d.Steps, onestop.Step{Name: st.Name, Unit: st.Unit, Materials: materials, LimitDays: n})
	}
	return d, p
}

// rearranged applies the builder's button op to the steps: add a step,
// remove:i, up:i; ok is false for save (or anything else).
func (f serviceForm) rearranged(op string) (serviceForm, bool) {
	verb, at, _ := strings.Cut(op, ":")
	i, err := strconv.Atoi(at)
	inRange := err == nil && i >= 0 && i < len(f.Steps)
	steps := slices.Clone(f.Steps)
	switch {
	case verb == "add":
		steps = append(steps, stepForm{LimitDays: "1"})
	case verb == "remove" && inRange:
		steps = slices.Delete(steps, i, i+1)
	case verb == "up" && inRange && i > 0:
		steps[i-1], steps[i] = steps[i], steps[i-1]
	default:
		return f, false
	}
	f.Steps = steps
	return f, true
}

type serviceFormData struct {
	ledgerFormPage
	Form serviceForm
	// AllUnits are every unit a step may be owned by, partners included.
	AllUnits []org.Unit
	MaxDays  int
}

func (s *Pages) showServiceForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f serviceForm, errs map[string]string) {
	v, page, ok := serviceLedger.formView(s, w, r, status, u, id, f.Name, "", errs)
	if !ok {
		return
	}
	units, err := s.Org.Units(r.Context())
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	v.Data = serviceFormData{ledgerFormPage: page, Form: f, AllUnits: units, MaxDays: onestop.MaxLimitDays}
	s.Render(w, r, status, "service_form", v)
}

// serviceNewPage shows the builder of a new service with one empty step.
func (s *Pages) serviceNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if err := org.CheckManage(u); err != nil {
		return err
	}
	s.showServiceForm(w, r, http.StatusOK, u, 0, serviceForm{Active: true, Steps: []stepForm{{LimitDays: "1"}}}, nil)
	return nil
}

// createService answers the builder of a new service: a step button shows
// it again rearranged; save defines the service once per form.
func (s *Pages) createService(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if err := org.CheckManage(u); err != nil {
		return err
	}
	f := readServiceForm(r)
	if g, ok := f.rearranged(r.PostFormValue("op")); ok {
		s.showServiceForm(w, r, http.StatusOK, u, 0, g, nil)
		return nil
	}
	d, p := f.definition()
	return serviceLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		d.Form = form
		d, err := s.Svc.OneStop.CreateDefinition(ctx, u, d)
		return d.ID, err
	}, func(status int, errs map[string]string) {
		s.showServiceForm(w, r, status, u, 0, f, errs)
	})
}

// serviceEditPage shows a service: to admins as the builder at its
// version, to everyone else as the list does.
func (s *Pages) serviceEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, d, err := ledgerRecord(r, onestop.ServiceNoun, s.Svc.OneStop.Definition)
	if err != nil {
		return err
	}
	if !u.CanManage() {
		http.Redirect(w, r, "/staff/services#service-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	s.showServiceForm(w, r, http.StatusOK, u, id, serviceFormOf(d), nil)
	return nil
}

// editService answers the builder of a service: a step button shows it
// again rearranged; save changes it against the version it was filled
// from (stale: shown again with the version now stored).
func (s *Pages) editService(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, onestop.ServiceNoun)
	if err != nil {
		return err
	}
	if err := org.CheckManage(u); err != nil {
		return err
	}
	f := readServiceForm(r)
	version := formVersion(r)
	if version != nil {
		f.Version = *version
	}
	if g, ok := f.rearranged(r.PostFormValue("op")); ok {
		s.showServiceForm(w, r, http.StatusOK, u, id, g, nil)
		return nil
	}
	d, p := f.definition()
	err = p.Err()
	if err == nil {
		_, err = s.Svc.OneStop.EditDefinition(ctx, u, id, onestop.DefinitionPatch{Version: version, Code: &d.Code, Name: &d.Name,
			Description: &d.Description, Active: &d.Active, Steps: &d.Steps})
	}
	return serviceLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.OneStop.Definition(ctx, u, id); gerr == nil {
			f.Version = now.Version
		}
	}, func(status int, errs map[string]string) {
		s.showServiceForm(w, r, status, u, id, f, errs)
	})
}
