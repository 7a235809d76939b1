package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/campaign"
	"minyi/dispute"
	"minyi/org"
	"minyi/outcome"
	"minyi/pubchannel"
	"minyi/publicity"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The campaigns' doors (活动), and what every ledger's doors say of the
// campaign a record belongs to.

// campaignFilter is the list parameter of every ledger selecting one
// campaign's records.
var campaignFilter = param{"campaign", "query", "campaign id: only the records of this campaign"}

// campaignRef is the schema of a ledger record's campaign.
var campaignRef = map[string]any{"type": "integer", "minimum": 0,
	"description": "id of the campaign (活动) the record belongs to; 0 or absent: none; an unknown one is 400 naming campaign"}

// campaignParam reads the query's campaign, a campaign's positive id or
// nothing (0), adding a bad one to p.
func campaignParam(r *http.Request, p *minyi.Problems) int64 {
	s := r.URL.Query().Get("campaign")
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		p.Add("campaign", "活动编号须为正整数", "campaign must be a positive number")
		return 0
	}
	return id
}

// campaignRoutes are the routes of the campaigns.
func (s *API) campaignRoutes() []route {
	id := []param{{"id", "path", "the campaign's id"}}
	return []route{
		{method: "GET", pattern: "/api/v1/campaigns", handler: s.listCampaigns, auth: "staff", exports: true, summary: "List the campaigns (活动), latest start first, with the count of all matches (total); every member of staff reads them", response: "CampaignPage", status: 200,
			params: []param{{"q", "query", "words of the name"}, {"on", "query", "YYYY-MM-DD: only the campaigns running on that day"},
				{"from", "query", "YYYY-MM-DD: only the campaigns running on or after that day"}, {"to", "query", "YYYY-MM-DD: only the campaigns begun by that day"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/campaigns", handler: s.createCampaign, auth: "staff", summary: "Record a campaign: name, period, plan and targets on the figures of the ledger summary (leaders and admins only, else 403; an unknown figure is 400 naming targets.<key>)", request: "CampaignRequest", response: "Campaign", status: 201},
		{method: "GET", pattern: "/api/v1/campaigns/{id}", handler: s.getCampaign, auth: "staff", summary: "One campaign with its mobilisation meetings and its documents", response: "Campaign", status: 200, params: id},
		{method: "PATCH", pattern: "/api/v1/campaigns/{id}", handler: s.patchCampaign, auth: "staff", summary: "Change the fields sent of a campaign (leaders and admins; 400 without version, 409 on a stale version)", request: "CampaignPatch", response: "Campaign", status: 200, params: id},
		{method: "POST", pattern: "/api/v1/campaigns/{id}/meetings", handler: s.addCampaignMeeting, auth: "staff", summary: "Record a mobilisation meeting of the campaign (党委会 party_committee, 动员大会 mobilisation, 中心组学习会 study, 推进会 progress); leaders and admins", request: "CampaignMeetingRequest", response: "Campaign", status: 201, params: id},
		{method: "GET", pattern: "/api/v1/campaigns/{id}/documents", handler: s.listCampaignDocuments, auth: "staff", summary: "The campaign's plan documents (name, type, size, SHA-256)", response: "CampaignDocumentList", status: 200, params: id},
		{method: "POST", pattern: "/api/v1/campaigns/{id}/documents", handler: s.addCampaignDocument, auth: "staff", summary: "Attach a plan document (PDF, Word, Excel, PNG, JPEG, WebP or UTF-8 text, judged by its bytes; at most 10 MB); leaders and admins", request: "CampaignDocumentRequest", response: "CampaignDocument", status: 201, params: id},
		{method: "GET", pattern: "/api/v1/campaigns/{id}/documents/{doc}", handler: s.getCampaignDocument, auth: "staff", summary: "A plan document's bytes, as an attachment of its type", response: "document", status: 200,
			params: []param{id[0], {"doc", "path", "the document's id"}}},
		{method: "GET", pattern: "/api/v1/campaigns/{id}/progress", handler: s.campaignProgress, auth: "staff", summary: "Each target of the campaign against the figure of the ledger summary over its period and records (a unit's staff: their unit's share)", response: "CampaignProgress", status: 200, params: id},
	}
}

// campaignRecords is how the campaigns' API answers.
var campaignRecords = records{BadID: "活动编号无效", Location: "/api/v1/campaigns/"}

// campaignRequest is the JSON of POST /api/v1/campaigns.
type campaignRequest struct {
	Name    string           `json:"name"`
	From    string           `json:"from"`
	To      string           `json:"to"`
	Plan    string           `json:"plan"`
	Targets map[string]int64 `json:"targets"`
}

func (s *API) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, campaignRecords, core.CampaignsExport, func(r *http.Request, p *minyi.Problems) campaign.Filter {
		q := r.URL.Query()
		return campaign.Filter{Filter: pageFilter(r, p), On: q.Get("on"), From: q.Get("from"), To: q.Get("to")}
	}, s.Svc.Campaigns.List)
}

func (s *API) createCampaign(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, campaignRecords, func(ctx context.Context, u org.User, q campaignRequest) (campaign.Campaign, error) {
		return s.Svc.Campaigns.Create(ctx, u, campaign.Campaign{Name: q.Name, From: q.From, To: q.To, Plan: q.Plan, Targets: q.Targets})
	}, func(c campaign.Campaign) int64 { return c.ID })
}

func (s *API) getCampaign(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, campaignRecords, s.Svc.Campaigns.Get)
}

func (s *API) patchCampaign(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, campaignRecords, s.Svc.Campaigns.Edit)
}

func (s *API) campaignProgress(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, campaignRecords, s.Svc.Campaigns.Progress)
}

func (s *API) addCampaignMeeting(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := campaignRecords.id(r)
	if err != nil {
		return err
	}
	var q campaignMeetingRequest
	if err := core.DecodeJSON(r, &q); err != nil {
		return err
	}
	c, err := s.Svc.Campaigns.AddMeeting(r.Context(), u, id, campaign.Meeting{Day: q.Day, Kind: q.Kind, Attendees: q.Attendees, Minutes: q.Minutes})
	if err != nil {
		return err
	}
	w.Header().Set("Location", campaignRecords.Location+strconv.FormatInt(id, 10))
	campaignRecords.write(w, http.StatusCreated, c)
	return nil
}

// campaignMeetingRequest is the JSON of a mobilisation meeting: what a
// client writes of it, nothing the server sets.
type campaignMeetingRequest struct {
	Day       string        `json:"day"`
	Kind      campaign.Kind `json:"kind"`
	Attendees string        `json:"attendees"`
	Minutes   string        `json:"minutes"`
}

// campaignDocumentRequest is the JSON of a document attached through the
// API: its name and its bytes in base64, as items' photos are sent.
type campaignDocumentRequest struct {
	Name string `json:"name"`
	// Document is the file's bytes; named as the service names its
	// problems (document is empty, too large, of a type not taken).
	Document []byte `json:"document"`
}

func (s *API) addCampaignDocument(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := campaignRecords.id(r)
	if err != nil {
		return err
	}
	var q campaignDocumentRequest
	if err := core.DecodeJSON(r, &q); err != nil {
		return err
	}
	d, err := s.Svc.Campaigns.AddDocument(r.Context(), u, id, archive.Form{}, q.Name, q.Document)
	if err != nil {
		return err
	}
	w.Header().Set("Location", campaignRecords.Location+strconv.FormatInt(id, 10)+"/documents/"+strconv.FormatInt(d.ID, 10))
	campaignRecords.write(w, http.StatusCreated, d)
	return nil
}

func (s *API) listCampaignDocuments(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, campaignRecords, func(ctx context.Context, u org.User, id int64) (campaignDocumentList, error) {
		c, err := s.Svc.Campaigns.Get(ctx, u, id)
		return campaignDocumentList{Documents: c.Documents}, err
	})
}

// campaignDocumentList is the JSON of a campaign's documents.
type campaignDocumentList struct {
	Documents []campaign.Document `json:"documents"`
}

func (s *API) getCampaignDocument(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := campaignRecords.id(r)
	if err != nil {
		return err
	}
	doc, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err != nil || doc <= 0 {
		return minyi.Invalid("doc", "文件编号无效", "doc must be a positive number")
	}
	d, data, err := s.Svc.Campaigns.Document(r.Context(), u, id, doc)
	if err != nil {
		return err
	}
	core.WriteDocument(w, d.Name, d.ContentType, data)
	return nil
}

// campaignTargetKeys are the figures a target may name as the schema lists
// them: the ledger summary's keys of the ledgers wired today; the matters'
// counted outcomes, which the bureau configures, go by a pattern
// (campaignSchemas), and the service checks against the summary itself.
func campaignTargetKeys() []string {
	keys := []string{"matters.done", "matters.led", "matters.on_time"}
	for _, c := range []archive.Class{archive.ClassUrgent, archive.ClassHard, archive.ClassWorrying, archive.ClassHopeful} {
		keys = append(keys, "matters.done_"+string(c))
	}
	for _, c := range publicity.Channels() {
		keys = append(keys, "publicity.channel_"+string(c))
	}
	for _, k := range dispute.FigureKeys {
		keys = append(keys, dispute.Register+"."+k)
	}
	return append(keys, "volunteer_activities.activities", "volunteer_activities.volunteers", "volunteer_activities.volunteer_hours",
		"volunteer_activities.served", "service_points.active", "measures.researched", "measures.implemented", "measures.withdrawn", "publicity.pieces")
}

// campaignSchemas are the campaigns' request and answer schemas; the limits
// come from package campaign.
func campaignSchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time"}
	targetProps := map[string]any{}
	for _, k := range campaignTargetKeys() {
		targetProps[k] = map[string]any{"type": "integer", "minimum": 0, "maximum": campaign.MaxTarget}
	}
	targets := closed(nil, targetProps)
	targets["patternProperties"] = map[string]any{`^matters\.outcome_` + strings.TrimPrefix(outcome.CodePattern, "^"): map[string]any{
		"type": "integer", "minimum": 0, "maximum": campaign.MaxTarget}}
	// A publicity channel's count, the bureau's channels being configured.
	targets["patternProperties"].(map[string]any)[`^publicity\.channel_`+strings.TrimPrefix(pubchannel.CodePattern, "^")] = map[string]any{
		"type": "integer", "minimum": 0, "maximum": campaign.MaxTarget}
	// An indicator's figure, under the code an admin gave it.
	targets["patternProperties"].(map[string]any)[`^indicators\.[a-z][a-z0-9_]{1,39}$`] = map[string]any{
		"type": "integer", "minimum": 0, "maximum": campaign.MaxTarget}
	targets["description"] = "the figure each target aims at, by key register.figure of the ledger summary (GET /api/v1/ledgers/summary), " +
		"e.g. matters.done, or matters.outcome_<key> of a counted outcome the bureau accepts (GET /api/v1/meta's matter_outcomes), " +
		"or indicators.<code> of a period indicator defined (GET /api/v1/indicators)"
	kinds := openapi.EnumOf(campaign.Kinds)
	meeting := openapi.Obj([]string{"id", "day", "kind", "attendees"}, map[string]any{"id": openapi.Int, "day": openapi.Str, "kind": kinds,
		"attendees": openapi.Str, "minutes": openapi.Str, "created_by": openapi.Str, "created_at": openapi.When})
	document := openapi.Obj([]string{"id", "name", "content_type", "size", "sha256"}, map[string]any{"id": openapi.Int, "name": openapi.Str,
		"content_type": openapi.Str, "size": openapi.Int, "sha256": openapi.Str, "created_by": openapi.Str, "created_at": openapi.When})
	answer := openapi.Obj([]string{"id", "name", "from", "to", "targets", "meetings", "documents", "version"}, map[string]any{
		"id": openapi.Int, "name": openapi.Str, "from": openapi.Str, "to": openapi.Str, "plan": openapi.Str,
		"targets":  map[string]any{"type": "object", "additionalProperties": openapi.Int},
		"meetings": openapi.Arr(meeting), "documents": openapi.Arr(document),
		"created_by": openapi.Str, "created_at": openapi.When, "updated_at": openapi.When, "version": openapi.Int})
	target := openapi.Obj([]string{"key", "target", "actual", "met", "percent"}, map[string]any{"key": openapi.Str,
		"target": openapi.Int, "actual": openapi.Int, "met": openapi.Bool,
		"percent": map[string]any{"type": "integer", "minimum": 0, "maximum": 100, "description": "actual of target, at most 100"}})
	return map[string]any{
		"Campaign": answer,
		"CampaignPage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Ref("Campaign")),
			"next_cursor": openapi.Str, "total": map[string]any{"type": "integer", "description": "how many campaigns the filter selects, over every page"}}),
		"CampaignRequest": closed([]string{"name", "from", "to"}, map[string]any{
			"name": openapi.Text(campaign.MaxNameRunes, true), "from": day, "to": day,
			"plan": openapi.Text(campaign.MaxPlanRunes, false), "targets": targets}),
		"CampaignPatch": closed([]string{"version"}, map[string]any{"version": openapi.Int,
			"name": openapi.Text(campaign.MaxNameRunes, true), "from": day, "to": day,
			"plan": openapi.Text(campaign.MaxPlanRunes, false), "targets": targets}),
		"CampaignMeetingRequest": closed([]string{"kind", "attendees"}, map[string]any{
			"day": openapi.With(day, "description", "YYYY-MM-DD, China time; not in the future; absent: today"), "kind": kinds,
			"attendees": openapi.Text(campaign.MaxAttendeesRunes, true), "minutes": openapi.Text(campaign.MaxMinutesRunes, false)}),
		"CampaignDocumentRequest": closed([]string{"name", "document"}, map[string]any{
			"name": openapi.Text(campaign.MaxDocNameRunes, true),
			"document": map[string]any{"type": "string", "format": "byte", "minLength": 1, "maxLength": (campaign.MaxDocumentBytes + 2) / 3 * 4,
				"description": "base64 of a PDF, Word (DOCX, DOC), Excel (XLSX, XLS), PNG, JPEG or WebP file or UTF-8 text"}}),
		"CampaignDocument":     document,
		"CampaignDocumentList": openapi.Obj([]string{"documents"}, map[string]any{"documents": openapi.Arr(document)}),
		"CampaignProgress": openapi.Obj([]string{"campaign", "from", "to", "targets"}, map[string]any{"campaign": openapi.Int,
			"from": openapi.Str, "to": openapi.Str, "targets": openapi.Arr(target)}),
	}
}
