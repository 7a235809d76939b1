package api

import (
	"context"
	"net/http"

	"minyi"
	"minyi/measure"
	"minyi/org"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The convenience measures' doors (便民利民措施): a list with filters and
// its total, create, read, change with the version read, and the
// lifecycle's actions.

// measureRoutes are the routes of the convenience measures.
func (s *API) measureRoutes() []route {
	id := []param{{"id", "path", "the measure's id"}}
	return []route{
		{method: "GET", pattern: "/api/v1/measures", handler: s.listMeasures, auth: "staff", exports: true, summary: "List and search the convenience measures (便民利民措施) of the units the caller may see, newest first, with the count of all matches (total)", response: "MeasurePage", status: 200,
			params: []param{{"q", "query", "full-text search of title and what the measure changes, simplified or traditional Chinese"},
				{"status", "query", "researched, implemented or withdrawn"}, {"unit", "query", "unit code"}, {"branch", "query", "party branch code"},
				{"from", "query", "implemented on or after (YYYY-MM-DD)"}, {"to", "query", "implemented on or before (YYYY-MM-DD)"}, campaignFilter,
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/measures", handler: s.createMeasure, auth: "staff", summary: "Record a convenience measure, researched (staff into their own unit; leaders and admins into any; partners never, 403)", request: "MeasureRequest", response: "Measure", status: 201},
		{method: "GET", pattern: "/api/v1/measures/{id}", handler: s.getMeasure, auth: "staff", summary: "One convenience measure", response: "Measure", status: 200, params: id},
		{method: "PATCH", pattern: "/api/v1/measures/{id}", handler: s.patchMeasure, auth: "staff", summary: "Change the fields sent of a measure (400 without version, 409 on a stale version; partners 403)", request: "MeasurePatch", response: "Measure", status: 200, params: id},
		{method: "POST", pattern: "/api/v1/measures/{id}/actions", handler: s.actOnMeasure, auth: "staff", summary: "Apply a lifecycle action: implement (on a day, not in the future) or withdraw (with the reason); 400 without version, 409 on a stale version, 422 on an illegal transition", request: "MeasureAction", response: "Measure", status: 200, params: id},
	}
}

// measureRequest is the JSON of POST /api/v1/measures: what staff write of
// a measure; the rest is the server's.
type measureRequest struct {
	Title        string   `json:"title"`
	Unit         string   `json:"unit"`
	Branch       string   `json:"branch"`
	Changes      string   `json:"changes"`
	Items        []string `json:"items"`
	Matters      []int64  `json:"matters"`
	ResearchedOn string   `json:"researched_on"`
	Campaign     int64    `json:"campaign"`
}

// measureAction is the JSON of POST /api/v1/measures/{id}/actions.
type measureAction struct {
	measure.Command
	Version *int `json:"version"`
}

// measureRecords is how the measures' API answers.
var measureRecords = records{BadID: "便民措施编号无效", Location: "/api/v1/measures/"}

func (s *API) createMeasure(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, measureRecords, func(ctx context.Context, u org.User, q measureRequest) (measure.Measure, error) {
		return s.Svc.Measures.Create(ctx, u, measure.Measure{Title: q.Title, Unit: q.Unit, Branch: q.Branch, Changes: q.Changes,
			Items: q.Items, Matters: q.Matters, ResearchedOn: q.ResearchedOn, Campaign: q.Campaign})
	}, func(m measure.Measure) int64 { return m.ID })
}

func (s *API) listMeasures(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, measureRecords, core.MeasuresExport, func(r *http.Request, p *minyi.Problems) measure.Filter {
		q := r.URL.Query()
		return measure.Filter{Filter: pageFilter(r, p), Status: measure.Status(q.Get("status")), Unit: q.Get("unit"),
			Branch: q.Get("branch"), From: q.Get("from"), To: q.Get("to"), Campaign: campaignParam(r, p)}
	}, s.Svc.Measures.List)
}

func (s *API) getMeasure(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, measureRecords, s.Svc.Measures.Get)
}

func (s *API) patchMeasure(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, measureRecords, s.Svc.Measures.Edit)
}

func (s *API) actOnMeasure(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, measureRecords, func(ctx context.Context, u org.User, id int64, req measureAction) (measure.Measure, error) {
		return s.Svc.Measures.Act(ctx, u, id, req.Version, req.Command)
	})
}

// measureSchemas are the measures' request and answer schemas; the limits
// come from package measure.
func measureSchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time; not in the future"}
	items := openapi.With(openapi.Arr(map[string]any{"type": "string", "description": "tracking number of an item the caller may see"}), "maxItems", measure.MaxItems)
	matters := openapi.With(openapi.Arr(map[string]any{"type": "integer", "minimum": 1, "description": "id of a practical matter the caller may see"}), "maxItems", measure.MaxMatters)
	answer := openapi.Obj([]string{"id", "title", "unit", "changes", "items", "matters", "status", "researched_on", "created_by", "created_at", "updated_at", "version"},
		map[string]any{"id": openapi.Int, "title": openapi.Str, "unit": openapi.Str, "branch": openapi.Str, "changes": openapi.Str,
			"items": openapi.Arr(openapi.Str), "matters": openapi.Arr(openapi.Int), "status": openapi.EnumOf(measure.Statuses),
			"researched_on": openapi.Str, "implemented_on": openapi.Str, "withdrawn_on": openapi.Str, "withdraw_reason": openapi.Str,
			"campaign":   campaignRef,
			"created_by": openapi.Str, "created_at": openapi.When, "updated_at": openapi.When, "version": openapi.Int})
	return map[string]any{
		"Measure": answer,
		"MeasurePage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Ref("Measure")),
			"next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": map[string]any{"type": "integer", "description": "how many measures the filter selects, over every page"}}),
		"MeasureRequest": closed([]string{"title", "unit", "changes"}, map[string]any{
			"title": openapi.Text(measure.MaxTitleRunes, true), "changes": openapi.Text(measure.MaxChangesRunes, true),
			"unit":   code("the unit that puts the measure in place: the caller's own, or any for leaders and admins"),
			"branch": code("party branch of the unit"), "items": items, "matters": matters, "researched_on": day, "campaign": campaignRef}),
		"MeasurePatch": closed([]string{"version"}, map[string]any{"version": openapi.Int,
			"title": openapi.Text(measure.MaxTitleRunes, true), "changes": openapi.Text(measure.MaxChangesRunes, true),
			"branch": code("party branch of the unit"), "items": items, "matters": matters, "researched_on": day, "campaign": campaignRef}),
		"MeasureAction": closed([]string{"action", "version"}, map[string]any{"version": openapi.Int,
			"action": openapi.EnumOf(measure.Actions), "day": day, "reason": openapi.Text(measure.MaxReasonRunes, true)}),
	}
}
