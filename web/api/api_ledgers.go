package api

import (
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/register"
	"minyi/servicepoint"
	"minyi/volunteer"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The plain ledgers' doors: volunteer activities and service points, each
// a list with filters and its total, create, read, and change with the
// version read (PATCH: fields present change, the others stay).

// ledgerRoutes are the routes of the volunteer activities and service
// points.
func (s *API) ledgerRoutes() []route {
	page := []param{{"q", "query", "full-text search, simplified or traditional Chinese"}, {"unit", "query", "unit code"},
		{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}
	activityID := []param{{"id", "path", "volunteer activity id"}}
	pointID := []param{{"id", "path", "service point id"}}
	return []route{
		{method: "GET", pattern: "/api/v1/volunteer-activities", handler: s.listActivities, auth: "staff", summary: "List and search the volunteer activities (志愿服务活动) of the units the caller may see, latest first, with the total of all matches", response: "VolunteerActivityPage", status: 200,
			params: append(append([]param(nil), page...), param{"branch", "query", "party branch code"},
				param{"from", "query", "activity date on or after, YYYY-MM-DD"}, param{"to", "query", "activity date on or before, YYYY-MM-DD"})},
		{method: "POST", pattern: "/api/v1/volunteer-activities", handler: s.createActivity, auth: "staff", summary: "Record a volunteer activity (staff into their own unit, leaders and admins into any; partners never, 403)", request: "VolunteerActivityRequest", response: "VolunteerActivity", status: 201},
		{method: "GET", pattern: "/api/v1/volunteer-activities/{id}", handler: s.getActivity, auth: "staff", summary: "One volunteer activity", response: "VolunteerActivity", status: 200, params: activityID},
		{method: "PATCH", pattern: "/api/v1/volunteer-activities/{id}", handler: s.patchActivity, auth: "staff", summary: "Change a volunteer activity: the fields sent change (400 without version, 409 on a stale version)", request: "VolunteerActivityChange", response: "VolunteerActivity", status: 200, params: activityID},
		{method: "GET", pattern: "/api/v1/service-points", handler: s.listPoints, auth: "staff", summary: "List and search the service points (便民服务站点) of the units the caller may see, newest first, with the total of all matches", response: "ServicePointPage", status: 200,
			params: append(append([]param(nil), page...), param{"status", "query", "active or closed"})},
		{method: "POST", pattern: "/api/v1/service-points", handler: s.createPoint, auth: "staff", summary: "Record a service point (staff into their own unit, leaders and admins into any; partners never, 403)", request: "ServicePointRequest", response: "ServicePoint", status: 201},
		{method: "GET", pattern: "/api/v1/service-points/{id}", handler: s.getPoint, auth: "staff", summary: "One service point", response: "ServicePoint", status: 200, params: pointID},
		{method: "PATCH", pattern: "/api/v1/service-points/{id}", handler: s.patchPoint, auth: "staff", summary: "Change a service point, e.g. close it: the fields sent change (400 without version, 409 on a stale version)", request: "ServicePointChange", response: "ServicePoint", status: 200, params: pointID},
	}
}

// ledgerPage reads the list parameters every ledger shares.
func ledgerPage(r *http.Request, p *minyi.Problems) register.Filter {
	q := r.URL.Query()
	f := register.Filter{Query: q.Get("q"), Cursor: q.Get("cursor")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			p.Add("limit", "每页条数应为1–100", "limit must be 1–100")
		}
		f.Limit = n
	}
	return f
}

// recordID reads the path's record id.
func recordID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Invalid("id", "编号无效", "id must be a positive number")
	}
	return id, nil
}

// version is the version a change was made from; absent, the change is
// refused.
type version struct {
	Version *int `json:"version"`
}

func (v version) read() int {
	if v.Version == nil {
		return 0 // the services refuse it, naming version
	}
	return *v.Version
}

func (s *API) listActivities(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var p minyi.Problems
	q := r.URL.Query()
	f := volunteer.Filter{Filter: ledgerPage(r, &p), Unit: q.Get("unit"), Branch: q.Get("branch"), From: q.Get("from"), To: q.Get("to")}
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Svc.Volunteer.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) createActivity(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var a volunteer.Activity
	if err := core.DecodeJSON(r, &a); err != nil {
		return err
	}
	a, err = s.Svc.Volunteer.Create(r.Context(), u, a)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/volunteer-activities/"+strconv.FormatInt(a.ID, 10))
	core.WriteJSON(w, http.StatusCreated, a)
	return nil
}

func (s *API) getActivity(w http.ResponseWriter, r *http.Request) error {
	return s.answerLedger(w, r, func(u org.User, id int64) (any, error) { return s.Svc.Volunteer.Get(r.Context(), u, id) })
}

func (s *API) patchActivity(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		version
		volunteer.Patch
	}
	return s.changeLedger(w, r, &req, func(u org.User, id int64) (any, error) {
		return s.Svc.Volunteer.Update(r.Context(), u, id, req.read(), req.Patch)
	})
}

func (s *API) listPoints(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var p minyi.Problems
	q := r.URL.Query()
	f := servicepoint.Filter{Filter: ledgerPage(r, &p), Unit: q.Get("unit"), Status: servicepoint.Status(q.Get("status"))}
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Svc.Points.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) createPoint(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var p servicepoint.Point
	if err := core.DecodeJSON(r, &p); err != nil {
		return err
	}
	p, err = s.Svc.Points.Create(r.Context(), u, p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/service-points/"+strconv.FormatInt(p.ID, 10))
	core.WriteJSON(w, http.StatusCreated, p)
	return nil
}

func (s *API) getPoint(w http.ResponseWriter, r *http.Request) error {
	return s.answerLedger(w, r, func(u org.User, id int64) (any, error) { return s.Svc.Points.Get(r.Context(), u, id) })
}

func (s *API) patchPoint(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		version
		servicepoint.Patch
	}
	return s.changeLedger(w, r, &req, func(u org.User, id int64) (any, error) {
		return s.Svc.Points.Update(r.Context(), u, id, req.read(), req.Patch)
	})
}

// answerLedger answers with the record get returns for the caller and the
// path's id.
func (s *API) answerLedger(w http.ResponseWriter, r *http.Request, get func(org.User, int64) (any, error)) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := recordID(r)
	if err != nil {
		return err
	}
	rec, err := get(u, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, rec)
	return nil
}

// changeLedger reads the change into req and answers with the record
// change returns.
func (s *API) changeLedger(w http.ResponseWriter, r *http.Request, req any, change func(org.User, int64) (any, error)) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := recordID(r)
	if err != nil {
		return err
	}
	if err := core.DecodeJSON(r, req); err != nil {
		return err
	}
	rec, err := change(u, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, rec)
	return nil
}

// ledgerSchemas are the ledgers' request and answer schemas.
func ledgerSchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time; not after today"}
	count := func(max int) map[string]any { return map[string]any{"type": "integer", "minimum": 0, "maximum": max} }
	people := openapi.With(openapi.Arr(code("user name of a member of staff")), "maxItems", volunteer.MaxParticipants)
	activityFields := map[string]any{
		"date": day, "title": openapi.Text(volunteer.MaxTitleRunes, true), "unit": code("unit code"),
		"branch": code("party branch code, of the unit"), "participants": people,
		"volunteers": count(volunteer.MaxVolunteers), "served": count(volunteer.MaxServed),
		"hours":    map[string]any{"type": "number", "minimum": 0, "maximum": volunteer.MaxHours, "description": "how long the activity lasted, to the hundredth of an hour; volunteer hours are hours times volunteers"},
		"township": openapi.Text(volunteer.MaxAreaRunes, false), "village": openapi.Text(volunteer.MaxAreaRunes, false),
		"place": openapi.Text(volunteer.MaxPlaceRunes, false), "description": openapi.Text(volunteer.MaxDescriptionRunes, false),
	}
	activity := openapi.Obj([]string{"id", "version", "date", "title", "unit"}, withServerSet(activityFields))
	pointFields := map[string]any{
		"name": openapi.Text(servicepoint.MaxNameRunes, true), "unit": code("unit code"),
		"township": openapi.Text(servicepoint.MaxAreaRunes, false), "village": openapi.Text(servicepoint.MaxAreaRunes, false),
		"address":  openapi.Text(servicepoint.MaxAddressRunes, true),
		"latitude": map[string]any{"type": "number", "minimum": -90, "maximum": 90}, "longitude": map[string]any{"type": "number", "minimum": -180, "maximum": 180},
		"opening_hours":  openapi.Text(servicepoint.MaxHoursRunes, false),
		"off_peak":       openapi.With(openapi.Bool, "description", "serves at staggered times (错时服务)"),
		"extended_hours": openapi.With(openapi.Bool, "description", "serves into the evening (延时服务)"),
		"services":       openapi.With(openapi.Arr(openapi.Text(servicepoint.MaxServiceRunes, false)), "maxItems", servicepoint.MaxServices),
		"phone":          map[string]any{"type": "string", "pattern": archive.PhonePattern},
		"status":         openapi.EnumOf([]servicepoint.Status{servicepoint.StatusActive, servicepoint.StatusClosed}),
	}
	point := openapi.Obj([]string{"id", "version", "name", "unit", "status"}, withServerSet(pointFields))
	change := func(fields map[string]any) map[string]any {
		props := map[string]any{"version": map[string]any{"type": "integer", "minimum": 1, "description": "the version read; a stale one is 409"}}
		for k, v := range fields {
			props[k] = v
		}
		return closed([]string{"version"}, props)
	}
	total := map[string]any{"type": "integer", "minimum": 0, "description": "how many records match, on every page"}
	return map[string]any{
		"VolunteerActivity":        activity,
		"VolunteerActivityRequest": closed([]string{"date", "title", "unit"}, activityFields),
		"VolunteerActivityChange":  change(activityFields),
		"VolunteerActivityPage":    openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(activity), "next_cursor": openapi.Str, "total": total}),
		"ServicePoint":             point,
		"ServicePointRequest":      closed([]string{"name", "unit", "address"}, pointFields),
		"ServicePointChange":       change(pointFields),
		"ServicePointPage":         openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(point), "next_cursor": openapi.Str, "total": total}),
	}
}

// withServerSet adds what the server sets on every ledger record to fields.
func withServerSet(fields map[string]any) map[string]any {
	out := map[string]any{"id": serverSet(openapi.Int), "version": serverSet(openapi.Int), "created_by": serverSet(openapi.Str),
		"created_at": serverSet(openapi.When), "updated_at": serverSet(openapi.When)}
	for k, v := range fields {
		out[k] = v
	}
	return out
}
