package api

import (
	"context"
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/onestop"
	"minyi/org"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The one-stop doors (一件事一次办): the services admins define, and the
// cases that pass through their steps — a list with filters and its total,
// open, read (with the timeline), change with the version read, and the
// lifecycle's actions. Partners act on their own unit's steps here.

// onestopRoutes are the routes of the one-stop services and cases.
func (s *API) onestopRoutes() []route {
	serviceID := []param{{"id", "path", "the service's id"}}
	caseID := []param{{"id", "path", "the case's id"}}
	return []route{
		{method: "GET", pattern: "/api/v1/services", handler: s.listServices, auth: "staff", exports: true, summary: "The one-stop services (一件事) defined, in the order defined, with the count of all matches (total)", response: "ServicePage", status: 200,
			params: []param{{"active", "query", "true: only the services open for new cases; false: only those that are not"},
				{"unit", "query", "unit code: the services with a step of this unit"}, {"q", "query", "words of the name, code or description"},
				{"limit", "query", "1–100, default 50"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/services", handler: s.createService, auth: "admin", summary: "Define a one-stop service: its steps in order, each owned by a unit (partner units included) with its checklist of materials and time limit in working days (admins only)", request: "ServiceRequest", response: "Service", status: 201},
		{method: "GET", pattern: "/api/v1/services/{id}", handler: s.getService, auth: "staff", summary: "One one-stop service", response: "Service", status: 200, params: serviceID},
		{method: "PATCH", pattern: "/api/v1/services/{id}", handler: s.patchService, auth: "admin", summary: "Change a service (steps are replaced as a whole); open cases keep the steps they were opened with (400 without version, 409 on a stale version)", request: "ServicePatch", response: "Service", status: 200, params: serviceID},
		{method: "GET", pattern: "/api/v1/cases", handler: s.listCases, auth: "staff", exports: true, summary: "List and search the one-stop cases the caller may see (leaders and admins all; everyone else, partners included, those with a step of their unit or that they handle for the applicant), newest first, with the total of all matches; applicants masked without need to know", response: "CasePage", status: 200,
			params: []param{{"service", "query", "service id"}, {"status", "query", "open, done or cancelled"},
				{"unit", "query", "unit code: the open cases whose current step is this unit's"},
				{"proxy", "query", "true: cases handled by an officer for the applicant (帮办代办); false: the others"},
				{"green", "query", "true: cases through the green channel for elderly applicants; false: the others"},
				{"overdue", "query", "true: open cases past their current step's due time"},
				{"from", "query", "opened on or after (YYYY-MM-DD)"}, {"to", "query", "opened on or before (YYYY-MM-DD)"},
				{"done_from", "query", "done on or after (YYYY-MM-DD)"}, {"done_to", "query", "done on or before (YYYY-MM-DD)"},
				{"q", "query", "full-text search of the service, the applicant's name and the note, simplified or traditional Chinese"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/cases", handler: s.openCase, auth: "staff", summary: "Open a case of an active service at its first step, by a user of the first step's unit (partners included) or a leader or admin", request: "CaseRequest", response: "Case", status: 201},
		{method: "GET", pattern: "/api/v1/cases/{id}", handler: s.getCase, auth: "staff", summary: "One one-stop case with its steps; the applicant masked unless the caller's unit holds the current step or the caller handles the case for the applicant", response: "Case", status: 200, params: caseID},
		{method: "GET", pattern: "/api/v1/cases/{id}/timeline", handler: s.caseTimeline, auth: "staff", summary: "A case with its events (hand-offs with the units they pass between) and the actions the caller can take now", response: "CaseView", status: 200, params: caseID},
		{method: "PATCH", pattern: "/api/v1/cases/{id}", handler: s.patchCase, auth: "staff", summary: "Change an open case's applicant, proxy officer, green channel, note or the materials its current step received, by the current step's unit (400 without version, 409 on a stale version)", request: "CasePatch", response: "Case", status: 200, params: caseID},
		{method: "POST", pattern: "/api/v1/cases/{id}/actions", handler: s.actOnCase, auth: "staff", summary: "Apply a lifecycle action: advance (the current step's unit hands the case to the next step's, its checklist received), return (to an earlier step, with the reason), complete (the last step: the case is done and the applicant sent an SMS) or cancel (bureau staff, with the reason); 400 without version, 403 on another unit's step, 409 on a stale version (of two agencies acting at once, one wins), 422 on an illegal transition", request: "CaseAction", response: "Case", status: 200, params: caseID},
	}
}

var (
	serviceRecords = records{BadID: "服务编号无效", Location: "/api/v1/services/"}
	caseRecords    = records{BadID: "办件编号无效", Location: "/api/v1/cases/"}
)

// serviceRequest is the JSON of POST /api/v1/services.
type serviceRequest struct {
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Active      *bool          `json:"active"` // absent: active
	Steps       []onestop.Step `json:"steps"`
}

func (s *API) createService(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, serviceRecords, func(ctx context.Context, u org.User, q serviceRequest) (onestop.Definition, error) {
		active := q.Active == nil || *q.Active
		return s.Svc.OneStop.CreateDefinition(ctx, u, onestop.Definition{Code: q.Code, Name: q.Name, Description: q.Description,
			Active: active, Steps: q.Steps})
	}, func(d onestop.Definition) int64 { return d.ID })
}

func (s *API) listServices(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, serviceRecords, core.ServicesExport, func(r *http.Request, p *minyi.Problems) onestop.DefinitionFilter {
		return onestop.DefinitionFilter{Filter: pageFilter(r, p), Active: boolParam(r, p, "active"), Unit: r.URL.Query().Get("unit")}
	}, s.Svc.OneStop.Definitions)
}

func (s *API) getService(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, serviceRecords, s.Svc.OneStop.Definition)
}

func (s *API) patchService(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, serviceRecords, s.Svc.OneStop.EditDefinition)
}

// caseRequest is the JSON of POST /api/v1/cases.
type caseRequest struct {
	Service   int64              `json:"service"`
	Applicant *onestop.Applicant `json:"applicant"`
	Proxy     string             `json:"proxy"`
	Green     onestop.Green      `json:"green"`
	Note      string             `json:"note"`
	Received  []string           `json:"received"`
}

func (s *API) openCase(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, caseRecords, func(ctx context.Context, u org.User, q caseRequest) (onestop.Case, error) {
		if q.Applicant == nil {
			return onestop.Case{}, minyi.Invalid("applicant", "请填写申请人", "applicant is required")
		}
		return s.Svc.OneStop.Open(ctx, u, onestop.Opening{Service: q.Service, Applicant: *q.Applicant, Proxy: q.Proxy,
			Green: q.Green, Note: q.Note, Received: q.Received})
	}, func(c onestop.Case) int64 { return c.ID })
}

func (s *API) listCases(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, caseRecords, core.CasesExport, func(r *http.Request, p *minyi.Problems) onestop.Filter {
		q := r.URL.Query()
		f := onestop.Filter{Filter: pageFilter(r, p), Status: onestop.Status(q.Get("status")), Unit: q.Get("unit"),
			Proxy: boolParam(r, p, "proxy"), Green: boolParam(r, p, "green"), From: q.Get("from"), To: q.Get("to"),
			DoneFrom: q.Get("done_from"), DoneTo: q.Get("done_to")}
		if overdue := boolParam(r, p, "overdue"); overdue != nil {
			f.Overdue = *overdue
		}
		if v := q.Get("service"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				p.Add("service", "服务编号须为正整数", "service must be a positive number")
			}
			f.Service = id
		}
		return f
	}, s.Svc.OneStop.List)
}

// boolParam reads the query parameter name: true, false or absent (nil);
// anything else is added to p.
func boolParam(r *http.Request, p *minyi.Problems, name string) *bool {
	switch r.URL.Query().Get(name) {
	case "":
		return nil
	case "true", "1":
		v := true
		return &v
	case "false", "0":
		v := false
		return &v
	}
	p.Add(name, name+"须为true或false", name+" must be true or false")
	return nil
}

func (s *API) getCase(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, caseRecords, s.Svc.OneStop.Get)
}

func (s *API) caseTimeline(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, caseRecords, s.Svc.OneStop.Timeline)
}

func (s *API) patchCase(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, caseRecords, s.Svc.OneStop.Edit)
}

// caseAction is the JSON of POST /api/v1/cases/{id}/actions.
type caseAction struct {
	onestop.Command
	Version *int `json:"version"`
}

func (s *API) actOnCase(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, caseRecords, func(ctx context.Context, u org.User, id int64, req caseAction) (onestop.Case, error) {
		return s.Svc.OneStop.Act(ctx, u, id, req.Version, req.Command)
	})
}

// onestopSchemas are the services' and cases' request and answer schemas;
// the limits come from package onestop.
func onestopSchemas() map[string]any {
	materials := openapi.With(openapi.Arr(openapi.Text(onestop.MaxMaterialRunes, true)), "maxItems", onestop.MaxMaterials)
	step := closed([]string{"name", "unit", "limit_days"}, map[string]any{
		"name": openapi.Text(onestop.MaxNameRunes, true), "unit": code("the unit that does the step; a partner unit's users act on it"),
		"materials":  materials,
		"limit_days": map[string]any{"type": "integer", "minimum": 1, "maximum": onestop.MaxLimitDays, "description": "time limit in working days"}})
	steps := openapi.With(openapi.With(openapi.Arr(openapi.Ref("ServiceStep")), "minItems", 1), "maxItems", onestop.MaxSteps)
	service := openapi.Obj([]string{"id", "code", "name", "active", "steps", "created_by", "created_at", "updated_at", "version"},
		map[string]any{"id": openapi.Int, "code": openapi.Str, "name": openapi.Str, "description": openapi.Str, "active": openapi.Bool,
			"steps": openapi.Arr(openapi.Ref("ServiceStep")), "created_by": openapi.Str, "created_at": openapi.When,
			"updated_at": openapi.When, "version": openapi.Int})
	applicant := closed([]string{"name"}, map[string]any{
		"name":      openapi.Text(onestop.MaxApplicantRunes, true),
		"phone":     map[string]any{"type": "string", "maxLength": archive.MaxPhoneRunes, "pattern": archive.PhonePattern, "description": "the SMS on completion goes to it"},
		"id_number": map[string]any{"type": "string", "pattern": archive.IDNumberPattern, "description": "resident ID number, with a valid check digit"}})
	green := map[string]any{"type": "string", "enum": []string{string(onestop.GreenHomeVisit), string(onestop.GreenPriority)},
		"description": "green channel for elderly applicants (老年人绿色通道): home visit or priority; absent: none"}
	proxy := code("user name of the officer handling the case for the applicant (帮办代办), a member of the bureau's staff")
	caseStep := openapi.Obj([]string{"name", "unit", "materials", "limit_days", "received"}, map[string]any{
		"name": openapi.Str, "unit": openapi.Str, "materials": openapi.Arr(openapi.Str), "limit_days": openapi.Int,
		"received": openapi.Arr(openapi.Str), "started_at": openapi.When, "due_at": openapi.When, "finished_at": openapi.When,
		"finished_by": openapi.Str})
	kase := openapi.Obj([]string{"id", "service", "service_code", "service_name", "unit", "applicant", "masked", "status", "step",
		"steps", "late", "overdue", "opened_on", "created_by", "created_at", "updated_at", "version"},
		map[string]any{"id": openapi.Int, "service": openapi.Int, "service_code": openapi.Str, "service_name": openapi.Str,
			"unit":      map[string]any{"type": "string", "description": "the unit that opened the case (its first step's); its figures count there"},
			"applicant": openapi.Obj([]string{"name"}, map[string]any{"name": openapi.Str, "phone": openapi.Str, "id_number": openapi.Str}),
			"masked":    openapi.Bool, "status": openapi.EnumOf(onestop.Statuses),
			"step":  map[string]any{"type": "integer", "description": "position of the current step in steps, from 0"},
			"steps": openapi.Arr(caseStep), "proxy": openapi.Str, "green": openapi.Str, "late": openapi.Bool, "overdue": openapi.Bool,
			"opened_on": openapi.Str, "done_on": openapi.Str, "cancelled_on": openapi.Str, "cancel_reason": openapi.Str,
			"note": openapi.Str, "created_by": openapi.Str, "created_at": openapi.When, "updated_at": openapi.When, "version": openapi.Int})
	received := openapi.With(openapi.Arr(openapi.Text(onestop.MaxMaterialRunes, true)), "maxItems", onestop.MaxMaterials)
	return map[string]any{
		"ServiceStep": step,
		"Service":     service,
		"ServicePage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Ref("Service")),
			"next_cursor": openapi.Str, "total": openapi.Int}),
		"ServiceRequest": closed([]string{"code", "name", "steps"}, map[string]any{
			"code": code("names the service in figures (done_<code>, proxy_<code>)"), "name": openapi.Text(onestop.MaxNameRunes, true),
			"description": openapi.Text(onestop.MaxDescriptionRunes, false), "active": openapi.Bool, "steps": steps}),
		"ServicePatch": closed([]string{"version"}, map[string]any{"version": openapi.Int,
			"code": code("names the service in figures"), "name": openapi.Text(onestop.MaxNameRunes, true),
			"description": openapi.Text(onestop.MaxDescriptionRunes, false), "active": openapi.Bool, "steps": steps}),
		"Applicant": applicant,
		"Case":      kase,
		"CasePage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Ref("Case")),
			"next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": map[string]any{"type": "integer", "description": "how many cases the filter selects, over every page"}}),
		"CaseView": openapi.Obj([]string{"case", "events", "available", "can_edit"}, map[string]any{"case": openapi.Ref("Case"),
			"events": openapi.Arr(openapi.Obj([]string{"type", "actor", "at"}, map[string]any{"type": openapi.Str, "actor": openapi.Str,
				"at": openapi.When, "from_unit": openapi.Str, "to_unit": openapi.Str, "from_step": openapi.Int, "to_step": openapi.Int,
				"body": openapi.Str, "fields": openapi.Str})),
			"available": map[string]any{"type": "object", "additionalProperties": openapi.Bool}, "can_edit": openapi.Bool}),
		"CaseRequest": closed([]string{"service", "applicant"}, map[string]any{
			"service":   map[string]any{"type": "integer", "minimum": 1, "description": "id of an active service"},
			"applicant": openapi.Ref("Applicant"), "proxy": proxy, "green": green,
			"note":     openapi.Text(onestop.MaxNoteRunes, false),
			"received": openapi.With(received, "description", "materials of the first step's checklist received as the case is opened")}),
		"CasePatch": closed([]string{"version"}, map[string]any{"version": openapi.Int,
			"applicant": openapi.Ref("Applicant"), "proxy": proxy, "green": green, "note": openapi.Text(onestop.MaxNoteRunes, false),
			"received": openapi.With(received, "description", "the materials the current step has received (replaces the list)")}),
		"CaseAction": closed([]string{"action", "version"}, map[string]any{"version": openapi.Int,
			"action":   openapi.EnumOf(onestop.Actions),
			"received": openapi.With(received, "description", "materials of the current step's checklist received with advance or complete"),
			"step":     map[string]any{"type": "integer", "minimum": 1, "description": "return: the earlier step to go back to, from 1"},
			"reason":   openapi.Text(onestop.MaxReasonRunes, false)}),
	}
}
