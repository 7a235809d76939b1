package api

import (
	"context"
	"net/http"
	"strings"

	"minyi"
	"minyi/dispute"
	"minyi/dispute/kind"
	"minyi/org"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The disputes' doors (矛盾纠纷排查化解台账): a list with filters and its
// total, create, read, change with the version read, and the lifecycle's
// actions.

// disputeRoutes are the routes of the disputes.
func (s *API) disputeRoutes() []route {
	id := []param{{"id", "path", "the dispute's id"}}
	return []route{
		{method: "GET", pattern: "/api/v1/disputes", handler: s.listDisputes, auth: "staff", exports: true, summary: "List and search the disputes (矛盾纠纷) of the units the caller may see, newest first, with the count of all matches (total); parties' names and phones masked", response: "DisputePage", status: 200,
			params: []param{{"q", "query", "full-text search of the summary and the place, simplified or traditional Chinese"},
				{"status", "query", "found, mediating, resolved, referred or unresolved"}, {"unit", "query", "unit code"}, {"branch", "query", "party branch code"},
				{"kind", "query", "dispute kind code"}, {"township", "query", "township, as recorded"}, {"risk", "query", "low, medium or high"},
				{"overdue", "query", "true: only open disputes past their time limit"},
				{"from", "query", "found on or after (YYYY-MM-DD)"}, {"to", "query", "found on or before (YYYY-MM-DD)"},
				{"closed_from", "query", "resolved, referred or left unresolved on or after (YYYY-MM-DD)"}, {"closed_to", "query", "resolved, referred or left unresolved on or before (YYYY-MM-DD)"},
				{"level", "query", "village, township or county: the disputes resolved at this level"}, campaignFilter,
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"}}},
		{method: "POST", pattern: "/api/v1/disputes", handler: s.createDispute, auth: "staff", summary: "Record a dispute found (staff into their own unit; leaders and admins into any; partners never, 403)", request: "DisputeRequest", response: "Dispute", status: 201},
		{method: "GET", pattern: "/api/v1/disputes/{id}", handler: s.getDispute, auth: "staff", summary: "One dispute, parties masked", response: "Dispute", status: 200, params: id},
		{method: "PATCH", pattern: "/api/v1/disputes/{id}", handler: s.patchDispute, auth: "staff", summary: "Change the fields sent of a dispute (400 without version, 409 on a stale version; partners 403)", request: "DisputePatch", response: "Dispute", status: 200, params: id},
		{method: "GET", pattern: "/api/v1/disputes/{id}/parties", handler: s.revealParties, auth: "staff", summary: "Reveal the parties' unmasked names and phones to officers, unit heads, leaders and admins (recorded as an event; moves the version)", response: "DisputeParties", status: 200, params: id},
		{method: "POST", pattern: "/api/v1/disputes/{id}/actions", handler: s.actOnDispute, auth: "staff", summary: "Apply a lifecycle action: mediate (a dated step and who took part), resolve (agreement and level), refer (to court, arbitration or an agency), not_resolve (the reason) or follow_up (a visit after resolution); 400 without version, 409 on a stale version, 422 on an illegal transition", request: "DisputeAction", response: "Dispute", status: 200, params: id},
	}
}

// disputeRequest is the JSON of POST /api/v1/disputes: what staff write of
// a dispute; the rest is the server's.
type disputeRequest struct {
	FoundOn  string          `json:"found_on"`
	Kind     string          `json:"kind"`
	Township string          `json:"township"`
	Village  string          `json:"village"`
	Parties  []dispute.Party `json:"parties"`
	Risk     dispute.Risk    `json:"risk"`
	Source   dispute.Source  `json:"source"`
	Item     string          `json:"item"`
	Unit     string          `json:"unit"`
	Branch   string          `json:"branch"`
	Summary  string          `json:"summary"`
	DueDays  int             `json:"due_days"`
	Campaign int64           `json:"campaign"`
}

// disputeAction is the JSON of POST /api/v1/disputes/{id}/actions.
type disputeAction struct {
	dispute.Command
	Version *int `json:"version"`
}

// disputeRecords is how the disputes' API answers.
var disputeRecords = records{BadID: "矛盾纠纷编号无效", Location: "/api/v1/disputes/"}

func (s *API) createDispute(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, disputeRecords, func(ctx context.Context, u org.User, q disputeRequest) (dispute.Dispute, error) {
		return s.Svc.Disputes.Create(ctx, u, dispute.Dispute{FoundOn: q.FoundOn, Kind: q.Kind, Township: q.Township, Village: q.Village,
			Parties: q.Parties, Risk: q.Risk, Source: q.Source, Item: q.Item, Unit: q.Unit, Branch: q.Branch, Summary: q.Summary,
			DueDays: q.DueDays, Campaign: q.Campaign})
	}, func(d dispute.Dispute) int64 { return d.ID })
}

func (s *API) listDisputes(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, disputeRecords, core.DisputesExport, func(r *http.Request, p *minyi.Problems) dispute.Filter {
		q := r.URL.Query()
		f := dispute.Filter{Filter: pageFilter(r, p), Status: dispute.Status(q.Get("status")), Unit: q.Get("unit"),
			Branch: q.Get("branch"), Kind: q.Get("kind"), Township: q.Get("township"), Risk: dispute.Risk(q.Get("risk")),
			From: q.Get("from"), To: q.Get("to"), ClosedFrom: q.Get("closed_from"), ClosedTo: q.Get("closed_to"), Level: dispute.Level(q.Get("level")),
			Campaign: campaignParam(r, p), Reveal: revealParam(r, p)}
		switch q.Get("overdue") {
		case "", "false":
		case "true":
			f.Overdue = true
		default:
			p.Add("overdue", "overdue须为true或false", "overdue must be true or false")
		}
		return f
	}, s.Svc.Disputes.List)
}

func (s *API) getDispute(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, disputeRecords, s.Svc.Disputes.Get)
}

func (s *API) patchDispute(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, disputeRecords, s.Svc.Disputes.Edit)
}

// disputeParties is the answer of GET /api/v1/disputes/{id}/parties.
type disputeParties struct {
	Parties []dispute.Party `json:"parties"`
}

func (s *API) revealParties(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, disputeRecords, func(ctx context.Context, u org.User, id int64) (disputeParties, error) {
		p, err := s.Svc.Disputes.Reveal(ctx, u, id)
		return disputeParties{Parties: p}, err
	})
}

func (s *API) actOnDispute(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, disputeRecords, func(ctx context.Context, u org.User, id int64, req disputeAction) (dispute.Dispute, error) {
		return s.Svc.Disputes.Act(ctx, u, id, req.Version, req.Command)
	})
}

// disputeSchemas are the disputes' request and answer schemas; the limits
// come from package dispute.
func disputeSchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time; not in the future"}
	kindCode := map[string]any{"type": "string", "pattern": kind.CodePattern,
		"description": "a dispute kind the bureau lists (setting " + kind.SettingName + "); by default one of " + strings.Join(kind.Codes(kind.Defaults), ", ")}
	party := func(masked bool) map[string]any {
		props := map[string]any{"name": openapi.Text(dispute.MaxPartyNameRunes, true), "role": openapi.EnumOf(dispute.PartyRoles),
			"phone": map[string]any{"type": "string", "description": "mobile or landline with area code"}}
		if masked {
			return openapi.With(openapi.Obj([]string{"name", "role"}, map[string]any{"name": openapi.Str, "phone": openapi.Str, "role": openapi.EnumOf(dispute.PartyRoles)}),
				"description", "a party, name and phone masked as items' contacts")
		}
		return closed([]string{"name"}, props)
	}
	parties := openapi.With(openapi.With(openapi.Arr(party(false)), "maxItems", dispute.MaxParties), "minItems", 1)
	dueDays := map[string]any{"type": "integer", "minimum": 0, "maximum": dispute.MaxDueDays, "description": "working days to resolve it from found_on; 0 or absent: " + itoa(dispute.DefaultDueDays)}
	fields := map[string]any{
		"found_on": day, "kind": kindCode, "township": openapi.Text(dispute.MaxPlaceRunes, true), "village": openapi.Text(dispute.MaxPlaceRunes, false),
		"parties": parties, "risk": openapi.EnumOf(dispute.Risks), "source": openapi.EnumOf(dispute.Sources),
		"item":   map[string]any{"type": "string", "description": "tracking number of the item the dispute came from, which the caller may see; required when source is item"},
		"unit":   code("the unit that found the dispute: the caller's own, or any for leaders and admins"),
		"branch": code("party branch of the unit"), "summary": openapi.Text(dispute.MaxSummaryRunes, true), "due_days": dueDays, "campaign": campaignRef,
	}
	patch := map[string]any{"version": openapi.Int}
	for k, v := range fields {
		if k != "unit" {
			patch[k] = v
		}
	}
	mediation := openapi.Obj([]string{"day", "with", "notes", "actor", "at"}, map[string]any{"day": openapi.Str,
		"with": openapi.Arr(openapi.EnumOf(dispute.Participants)), "notes": openapi.Str, "actor": openapi.Str, "at": openapi.When})
	followUp := openapi.Obj([]string{"day", "result", "actor", "at"}, map[string]any{"day": openapi.Str, "result": openapi.Str, "actor": openapi.Str, "at": openapi.When})
	answer := openapi.Obj([]string{"id", "found_on", "kind", "township", "parties", "risk", "source", "unit", "summary", "status", "due_days", "due_at",
		"overdue", "mediations", "follow_ups", "created_by", "created_at", "updated_at", "version"},
		map[string]any{"id": openapi.Int, "found_on": openapi.Str, "kind": openapi.Str, "township": openapi.Str, "village": openapi.Str,
			"parties": openapi.Arr(party(true)), "risk": openapi.EnumOf(dispute.Risks), "source": openapi.EnumOf(dispute.Sources), "item": openapi.Str,
			"unit": openapi.Str, "branch": openapi.Str, "summary": openapi.Str, "status": openapi.EnumOf(dispute.Statuses),
			"due_days": openapi.Int, "due_at": openapi.When, "overdue": map[string]any{"type": "boolean", "description": "open past its time limit now"},
			"mediations": openapi.Arr(mediation), "closed_on": openapi.Str, "agreement": openapi.Str, "level": openapi.EnumOf(dispute.Levels),
			"referred_to": openapi.EnumOf(dispute.Referrals), "referred_whom": openapi.Str, "reason": openapi.Str, "follow_ups": openapi.Arr(followUp),
			"campaign": campaignRef, "created_by": openapi.Str, "created_at": openapi.When, "updated_at": openapi.When, "version": openapi.Int})
	return map[string]any{
		"Dispute": answer,
		"DisputePage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Ref("Dispute")),
			"next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": map[string]any{"type": "integer", "description": "how many disputes the filter selects, over every page"}}),
		"DisputeRequest": closed([]string{"kind", "township", "parties", "risk", "source", "unit", "summary"}, fields),
		"DisputePatch":   closed([]string{"version"}, patch),
		"DisputeParties": openapi.Obj([]string{"parties"}, map[string]any{"parties": openapi.With(openapi.Arr(openapi.Obj([]string{"name", "role"},
			map[string]any{"name": openapi.Str, "phone": openapi.Str, "role": openapi.EnumOf(dispute.PartyRoles)})), "description", "the parties unmasked")}),
		"DisputeAction": closed([]string{"action", "version"}, map[string]any{"version": openapi.Int,
			"action": openapi.EnumOf(dispute.Actions), "day": day,
			"with":  openapi.With(openapi.Arr(openapi.EnumOf(dispute.Participants)), "description", "mediate: who took part"),
			"notes": openapi.Text(dispute.MaxNotesRunes, true), "agreement": openapi.Text(dispute.MaxAgreementRunes, true),
			"level": openapi.EnumOf(dispute.Levels), "to": openapi.EnumOf(dispute.Referrals), "whom": openapi.Text(dispute.MaxWhomRunes, false),
			"reason": openapi.Text(dispute.MaxReasonRunes, false), "result": openapi.Text(dispute.MaxResultRunes, true)}),
	}
}
