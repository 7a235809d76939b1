package api

import (
	"context"
	"net/http"

	"minyi"
	"minyi/archive"
	"minyi/org"
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
		{method: "GET", pattern: "/api/v1/volunteer-activities", handler: s.listActivities, auth: "staff", exports: true, summary: "List and search the volunteer activities (志愿服务活动) of the units the caller may see, latest first, with the total of all matches", response: "VolunteerActivityPage", status: 200,
			params: append(append([]param(nil), page...), param{"branch", "query", "party branch code"},
				param{"participant", "query", "user name of a member of staff who took part"},
				param{"from", "query", "activity date on or after, YYYY-MM-DD"}, param{"to", "query", "activity date on or before, YYYY-MM-DD"}, campaignFilter)},
		{method: "POST", pattern: "/api/v1/volunteer-activities", handler: s.createActivity, auth: "staff", summary: "Record a volunteer activity (staff into their own unit, leaders and admins into any; partners never, 403)", request: "VolunteerActivityRequest", response: "VolunteerActivity", status: 201},
		{method: "GET", pattern: "/api/v1/volunteer-activities/{id}", handler: s.getActivity, auth: "staff", summary: "One volunteer activity", response: "VolunteerActivity", status: 200, params: activityID},
		{method: "PATCH", pattern: "/api/v1/volunteer-activities/{id}", handler: s.patchActivity, auth: "staff", summary: "Change a volunteer activity: the fields sent change (400 without version, 409 on a stale version)", request: "VolunteerActivityChange", response: "VolunteerActivity", status: 200, params: activityID},
		{method: "GET", pattern: "/api/v1/service-points", handler: s.listPoints, auth: "staff", exports: true, summary: "List and search the service points (便民服务站点) of the units the caller may see, newest first, with the total of all matches", response: "ServicePointPage", status: 200,
			params: append(append([]param(nil), page...), param{"status", "query", "active or closed"}, campaignFilter,
				param{"open_on", "query", "YYYY-MM-DD: the points open at the end of that day (opened by it, not closed by then), as the summary counts service_points.active"})},
		{method: "POST", pattern: "/api/v1/service-points", handler: s.createPoint, auth: "staff", summary: "Record a service point (staff into their own unit, leaders and admins into any; partners never, 403)", request: "ServicePointRequest", response: "ServicePoint", status: 201},
		{method: "GET", pattern: "/api/v1/service-points/{id}", handler: s.getPoint, auth: "staff", summary: "One service point", response: "ServicePoint", status: 200, params: pointID},
		{method: "PATCH", pattern: "/api/v1/service-points/{id}", handler: s.patchPoint, auth: "staff", summary: "Change a service point, e.g. close it: the fields sent change (400 without version, 409 on a stale version)", request: "ServicePointChange", response: "ServicePoint", status: 200, params: pointID},
	}
}

// The ledgers' records: their answers may be cached, as they always were.
var (
	activityRecords = records{BadID: "编号无效", Location: "/api/v1/volunteer-activities/"}
	pointRecords    = records{BadID: "编号无效", Location: "/api/v1/service-points/"}
)

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
	return listRecords(s.Base, w, r, activityRecords, core.VolunteerExport, func(r *http.Request, p *minyi.Problems) volunteer.Filter {
		q := r.URL.Query()
		return volunteer.Filter{Filter: pageFilter(r, p), Unit: q.Get("unit"), Branch: q.Get("branch"),
			Participant: q.Get("participant"), From: q.Get("from"), To: q.Get("to"), Campaign: campaignParam(r, p)}
	}, s.Svc.Volunteer.List)
}

func (s *API) createActivity(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, activityRecords, func(ctx context.Context, u org.User, q activityRequest) (volunteer.Activity, error) {
		return s.Svc.Volunteer.Create(ctx, u, q.activity())
	}, func(a volunteer.Activity) int64 { return a.ID })
}

func (s *API) getActivity(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, activityRecords, s.Svc.Volunteer.Get)
}

type activityChange struct {
	version
	volunteer.Patch
	AddPhotos []photoUpload `json:"add_photos,omitempty"`
}

func (s *API) patchActivity(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, activityRecords, func(ctx context.Context, u org.User, id int64, req activityChange) (volunteer.Activity, error) {
		p := req.Patch
		p.AddPhotos = photosOf(req.AddPhotos)
		return s.Svc.Volunteer.Update(ctx, u, id, req.read(), p)
	})
}

func (s *API) listPoints(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, pointRecords, core.PointsExport, func(r *http.Request, p *minyi.Problems) servicepoint.Filter {
		return servicepoint.Filter{Filter: pageFilter(r, p), Unit: r.URL.Query().Get("unit"), Status: servicepoint.Status(r.URL.Query().Get("status")),
			Campaign: campaignParam(r, p), OpenOn: r.URL.Query().Get("open_on")}
	}, s.Svc.Points.List)
}

func (s *API) createPoint(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, pointRecords, s.Svc.Points.Create, func(p servicepoint.Point) int64 { return p.ID })
}

func (s *API) getPoint(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, pointRecords, s.Svc.Points.Get)
}

type pointChange struct {
	version
	servicepoint.Patch
}

func (s *API) patchPoint(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, pointRecords, func(ctx context.Context, u org.User, id int64, req pointChange) (servicepoint.Point, error) {
		return s.Svc.Points.Update(ctx, u, id, req.read(), req.Patch)
	})
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
		"campaign": campaignRef,
	}
	activity := openapi.Obj([]string{"id", "version", "date", "title", "unit", "photos"}, withServerSet(activityFields))
	activity["properties"].(map[string]any)["photos"] = photoInfos
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
		"opened_on":      openapi.With(day, "description", "the day the point began to serve, YYYY-MM-DD, China time, not after today; empty is today"),
		"closed_on":      openapi.With(day, "description", "the day a closed point closed, not before opened_on nor after today; closing without it closes today, reopening clears it"),
		"campaign":       campaignRef,
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
	activityChangeFields := withPhotos(activityFields, "add_photos", uploadSchema(archive.MaxPhotos),
		"remove_photos", openapi.With(openapi.Arr(openapi.Int), "description", "ids of the activity's photos to remove"))
	return map[string]any{
		"VolunteerActivity":        activity,
		"VolunteerActivityRequest": closed([]string{"date", "title", "unit"}, withPhotos(activityFields, "photos", uploadSchema(archive.MaxPhotos))),
		"VolunteerActivityChange":  change(activityChangeFields),
		"VolunteerActivityPage":    openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(activity), "next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": total}),
		"ServicePoint":             point,
		"ServicePointRequest":      closed([]string{"name", "unit", "address"}, pointFields),
		"ServicePointChange":       change(pointFields),
		"ServicePointPage":         openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(point), "next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": total}),
	}
}

// withPhotos returns fields with the photo fields kv (name, schema, …) of
// a request: an activity keeps at most volunteer.MaxPhotos.
func withPhotos(fields map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range fields {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
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
