package api

import (
	"context"
	"net/http"
	"strconv"

	"minyi"
	"minyi/indicator"
	"minyi/org"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The period indicators' doors (工作指标): the definitions, which admins
// add and change, and the entries, one unit's value of an indicator for a
// month, whose corrections are new entries that supersede.

// indicatorRoutes are the routes of the indicators and their entries.
func (s *API) indicatorRoutes() []route {
	codeParam := []param{{"code", "path", "the indicator's code"}}
	return []route{
		{method: "GET", pattern: "/api/v1/indicators", handler: s.listIndicators, auth: "staff", summary: "The period indicators (工作指标) defined, by code", response: "IndicatorList", status: 200},
		{method: "POST", pattern: "/api/v1/indicators", handler: s.createIndicator, auth: "admin", summary: "Define a period indicator (admins; a code already defined is 409)", request: "IndicatorRequest", response: "Indicator", status: 201},
		{method: "PATCH", pattern: "/api/v1/indicators/{code}", handler: s.patchIndicator, auth: "admin", summary: "Change an indicator's names, unit of measure or aggregation, or retire it (active false) or bring it back; its code stays (admins; 400 without version, 409 on a stale version)", request: "IndicatorChange", response: "Indicator", status: 200, params: codeParam},
		{method: "GET", pattern: "/api/v1/indicator-entries", handler: s.listIndicatorEntries, auth: "staff", exports: true, summary: "The indicators' monthly entries of the units the caller may see, latest month first, with the total of all matches: the current ones, or with history=true those they superseded too", response: "IndicatorEntryPage", status: 200,
			params: []param{{"indicator", "query", "indicator code"}, {"unit", "query", "unit code"},
				{"from", "query", "month on or after, YYYY-MM"}, {"to", "query", "month on or before, YYYY-MM"},
				{"history", "query", "true: superseded entries too"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/indicator-entries", handler: s.createIndicatorEntry, auth: "staff", summary: "Enter a unit's value of an indicator for a month (staff their own unit, leaders and admins any; partners never, 403); an entry for a month that has one supersedes it, which stays in the history", request: "IndicatorEntryRequest", response: "IndicatorEntry", status: 201},
	}
}

var entryRecords = records{BadID: "编号无效", Location: "/api/v1/indicator-entries"}

func (s *API) listIndicators(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	defs, err := s.Svc.Indicators.Definitions(r.Context(), u)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, map[string]any{"items": defs})
	return nil
}

func (s *API) createIndicator(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var d indicator.Definition
	if err := core.DecodeJSON(r, &d); err != nil {
		return err
	}
	d, err = s.Svc.Indicators.Define(r.Context(), u, d)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/indicators/"+d.Code)
	core.NoStore(w)
	core.WriteJSON(w, http.StatusCreated, d)
	return nil
}

type indicatorChange struct {
	version
	indicator.DefinitionPatch
}

func (s *API) patchIndicator(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var req indicatorChange
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	d, err := s.Svc.Indicators.Change(r.Context(), u, r.PathValue("code"), req.read(), req.DefinitionPatch)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *API) listIndicatorEntries(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, entryRecords, core.EntriesExport, func(r *http.Request, p *minyi.Problems) indicator.Filter {
		q := r.URL.Query()
		f := indicator.Filter{Filter: pageFilter(r, p), Indicator: q.Get("indicator"), Unit: q.Get("unit"), From: q.Get("from"), To: q.Get("to")}
		if h := q.Get("history"); h != "" {
			b, err := strconv.ParseBool(h)
			if err != nil {
				p.Add("history", "history应为true或false", "history must be true or false")
			}
			f.History = b
		}
		return f
	}, s.Svc.Indicators.List)
}

// entryRequest is what a client sends of an entry: the server sets the
// rest.
type entryRequest struct {
	Indicator string `json:"indicator"`
	Unit      string `json:"unit"`
	Month     string `json:"month"`
	// Value is a pointer so that a missing value is refused, not taken
	// for zero.
	Value *int64 `json:"value"`
	Note  string `json:"note"`
}

func (s *API) createIndicatorEntry(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var req entryRequest
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	e, err := s.enterIndicator(r.Context(), u, req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/indicator-entries?indicator="+e.Indicator+"&unit="+e.Unit+"&from="+e.Month+"&to="+e.Month)
	core.NoStore(w)
	core.WriteJSON(w, http.StatusCreated, e)
	return nil
}

func (s *API) enterIndicator(ctx context.Context, u org.User, req entryRequest) (indicator.Entry, error) {
	if req.Value == nil {
		return indicator.Entry{}, minyi.Invalid("value", "请填写数值", "value is required")
	}
	return s.Svc.Indicators.Enter(ctx, u, indicator.Entry{Indicator: req.Indicator, Unit: req.Unit, Month: req.Month, Value: *req.Value, Note: req.Note})
}

// indicatorSchemas are the indicators' request and answer schemas.
func indicatorSchemas() map[string]any {
	codeSchema := map[string]any{"type": "string", "pattern": `^[a-z][a-z0-9_]{1,39}$`, "description": "the indicator's code, its key in the ledger summary"}
	agg := openapi.With(openapi.EnumOf([]indicator.Aggregation{indicator.Sum, indicator.Last}), "description", "sum: a period's figure is the sum of its months; last: of each unit's latest month")
	fields := map[string]any{
		"name": name(indicator.MaxNameRunes), "name_en": name(indicator.MaxNameRunes * 2),
		"measure": openapi.With(name(indicator.MaxMeasureRunes), "description", "unit of measure, e.g. 起, 件, 人"), "aggregation": agg,
	}
	active := openapi.With(openapi.Bool, "description", "false once an admin retired the indicator: it takes no new entries (400 naming indicator), its entries stay and count")
	def := openapi.Obj([]string{"code", "name", "name_en", "measure", "aggregation", "active", "version"},
		withServerSet(withPhotos(fields, "code", codeSchema, "active", active)))
	delete(def["properties"].(map[string]any), "id")
	delete(def["properties"].(map[string]any), "created_by")
	props := map[string]any{"version": map[string]any{"type": "integer", "minimum": 1, "description": "the version read; a stale one is 409"}}
	for k, v := range fields {
		props[k] = v
	}
	props["active"] = active
	month := map[string]any{"type": "string", "pattern": `^[0-9]{4}-(0[1-9]|1[0-2])$`, "description": "YYYY-MM, China time; not after this month"}
	entryFields := map[string]any{
		"indicator": codeSchema, "unit": code("unit code"), "month": month,
		"value": map[string]any{"type": "integer", "minimum": 0, "maximum": indicator.MaxValue},
		"note":  openapi.Text(indicator.MaxNoteRunes, false),
	}
	entry := openapi.Obj([]string{"id", "indicator", "unit", "month", "value", "current"}, withPhotos(entryFields,
		"id", serverSet(openapi.Int), "supersedes", serverSet(openapi.With(openapi.Int, "description", "the id of the entry this one corrects")),
		"current", serverSet(openapi.With(openapi.Bool, "description", "false once a later entry superseded it")),
		"created_by", serverSet(openapi.Str), "created_at", serverSet(openapi.When)))
	total := map[string]any{"type": "integer", "minimum": 0, "description": "how many records match, on every page"}
	return map[string]any{
		"Indicator":             def,
		"IndicatorList":         openapi.Obj([]string{"items"}, map[string]any{"items": openapi.Arr(def)}),
		"IndicatorRequest":      closed([]string{"code", "name", "name_en", "measure", "aggregation"}, withPhotos(fields, "code", codeSchema)),
		"IndicatorChange":       closed([]string{"version"}, props),
		"IndicatorEntryRequest": closed([]string{"indicator", "unit", "month", "value"}, entryFields),
		"IndicatorEntry":        entry,
		"IndicatorEntryPage":    openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(entry), "next_cursor": openapi.Str, "total": total}),
	}
}
