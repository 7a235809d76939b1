package api

import (
	"context"
	"net/http"

	"minyi"
	"minyi/archive"
	"minyi/matter"
	"minyi/org"
	"minyi/outcome"
	"minyi/register"
	"minyi/web/core"
	"minyi/web/openapi"
)

// matterRequest is the JSON of POST /api/v1/matters: what staff write of a
// matter; the rest is the server's.
type matterRequest struct {
	Title              string             `json:"title"`
	Description        string             `json:"description"`
	Unit               string             `json:"unit"`
	Branch             string             `json:"branch"`
	Lead               string             `json:"lead"`
	Participants       []string           `json:"participants"`
	Beneficiary        matter.Beneficiary `json:"beneficiary"`
	Class              archive.Class      `json:"class"`
	Items              []string           `json:"items"`
	OpenedOn           string             `json:"opened_on"`
	DueDays            int                `json:"due_days"`
	Published          bool               `json:"published"`
	BeneficiaryConsent bool               `json:"beneficiary_consent"`
	Campaign           int64              `json:"campaign"`
}

func (q matterRequest) matter() matter.Matter {
	return matter.Matter{Title: q.Title, Description: q.Description, Unit: q.Unit, Branch: q.Branch, Lead: q.Lead,
		Participants: q.Participants, Beneficiary: q.Beneficiary, Class: q.Class, Items: q.Items, OpenedOn: q.OpenedOn,
		DueDays: q.DueDays, Published: q.Published, BeneficiaryConsent: q.BeneficiaryConsent, Campaign: q.Campaign}
}

// matterAction is the JSON of POST /api/v1/matters/{id}/actions: the
// command, with the photos of a progress entry or of the outcome story.
type matterAction struct {
	matter.Command
	Version *int          `json:"version"`
	Photos  []photoUpload `json:"photos,omitempty"`
}

// matterRecords is how the matters' API answers; no answer is cached,
// for a matter names the people it helps.
var matterRecords = records{BadID: "实事编号无效", Location: "/api/v1/matters/"}

func (s *API) createMatter(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, matterRecords, func(ctx context.Context, u org.User, q matterRequest) (matter.Matter, error) {
		return s.Svc.Matters.Create(ctx, u, q.matter())
	}, func(m matter.Matter) int64 { return m.ID })
}

// matterPage is a page of the matters' list with, for a list of one
// counted outcome (?outcome=, without words), the outcome's values added
// up over every matter the filter selects: the sum the staff list shows
// and the report prints as matters.outcome_<code>.
type matterPage struct {
	register.Page[matter.Matter]
	OutcomeSum *int64 `json:"outcome_sum,omitempty"`
}

func (s *API) listMatters(w http.ResponseWriter, r *http.Request) error {
	return listRecordsWith(s.Base, w, r, matterRecords, core.MattersExport, func(r *http.Request, p *minyi.Problems) matter.Filter {
		q := r.URL.Query()
		f := matter.Filter{Filter: register.Filter{Query: q.Get("q"), Cursor: q.Get("cursor")},
			Status: matter.Status(q.Get("status")), Unit: q.Get("unit"), Branch: q.Get("branch"), Lead: q.Get("lead"),
			Participant: q.Get("participant"), Class: archive.Class(q.Get("class")), Item: q.Get("item"), From: q.Get("from"), To: q.Get("to"),
			Campaign: campaignParam(r, p), Reveal: revealParam(r, p), Outcome: q.Get("outcome")}
		if led := boolParam(r, p, "led"); led != nil {
			f.Led = *led
		}
		n, ok := core.PageLimit(q, 0) // the store caps it
		if !ok {
			p.Add("limit", "每页条数须在1到100之间", "limit must be between 1 and 100")
		}
		f.Limit = n
		return f
	}, s.Svc.Matters.List, func(ctx context.Context, u org.User, f matter.Filter, page register.Page[matter.Matter]) (any, error) {
		// Words select by relevance, not exactly: the page sums nothing
		// then, and neither does the API.
		if f.Outcome == "" || f.Query != "" {
			return matterPage{Page: page}, nil
		}
		sum, err := s.Svc.Matters.OutcomeSum(ctx, u, f)
		if err != nil {
			return nil, err
		}
		return matterPage{Page: page, OutcomeSum: &sum}, nil
	})
}

func (s *API) getMatter(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, matterRecords, s.Svc.Matters.Get)
}

func (s *API) revealBeneficiary(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, matterRecords, s.Svc.Matters.Reveal)
}

func (s *API) patchMatter(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, matterRecords, s.Svc.Matters.Edit)
}

func (s *API) actOnMatter(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, matterRecords, func(ctx context.Context, u org.User, id int64, req matterAction) (matter.Matter, error) {
		cmd := req.Command
		cmd.Photos = photosOf(req.Photos)
		return s.Svc.Matters.Act(ctx, u, id, req.Version, cmd)
	})
}

// matterSchemas are the matters' request and answer schemas; the limits
// come from package matter.
func matterSchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time; not in the future"}
	codes := func(max int, what string) map[string]any {
		return openapi.With(openapi.Arr(code(what)), "maxItems", max)
	}
	classes := openapi.EnumOf([]archive.Class{archive.ClassUrgent, archive.ClassHard, archive.ClassWorrying, archive.ClassHopeful})
	beneficiary := closed([]string{"kind"}, map[string]any{
		"kind":  openapi.EnumOf([]matter.BeneficiaryKind{matter.BeneficiaryPerson, matter.BeneficiaryHousehold, matter.BeneficiaryVillage, matter.BeneficiaryGroup}),
		"name":  openapi.Text(matter.MaxBeneficiaryRunes, false),
		"phone": map[string]any{"type": "string", "maxLength": archive.MaxPhoneRunes, "pattern": archive.PhonePattern, "description": "a person's or household's; masked in every answer"},
		"id_number": map[string]any{"type": "string", "pattern": archive.IDNumberPattern,
			"description": "a person's resident ID number with a valid check digit; masked in every answer"},
		"place": openapi.Text(matter.MaxBeneficiaryRunes, false)})
	dueDays := map[string]any{"type": "integer", "minimum": 0, "maximum": matter.MaxDueDays,
		"description": "working days from opened_on; 0 or absent: the concern class's limit"}
	// The keys are the bureau's (a setting an administrator changes), so the
	// schema names where to find them rather than a list that could disagree.
	outcomes := map[string]any{"type": "object",
		"propertyNames":        map[string]any{"type": "string", "pattern": outcome.CodePattern},
		"additionalProperties": map[string]any{"type": "integer", "minimum": 0, "maximum": matter.MaxOutcome},
		"description": "counted outcomes by key, e.g. {\"cattle\": 5, \"sheep\": 53}; the keys the bureau accepts now, " +
			"with their Chinese and English names, are GET /api/v1/meta's matter_outcomes; another key is refused naming outcomes.<key>"}
	item := openapi.Arr(map[string]any{"type": "string", "description": "tracking number of an item the caller may see"})
	statuses := openapi.EnumOf(matter.Statuses)
	progress := openapi.Obj([]string{"day", "text", "actor", "at", "photos"}, map[string]any{"day": openapi.Str, "text": openapi.Str, "actor": openapi.Str, "at": openapi.When,
		"photos": photoInfos})
	answer := openapi.Obj([]string{"id", "title", "unit", "class", "status", "beneficiary", "participants", "items", "progress", "opened_on", "due_days", "due_at", "version"},
		map[string]any{"id": openapi.Int, "title": openapi.Str, "description": openapi.Str, "unit": openapi.Str, "branch": openapi.Str,
			"lead": openapi.Str, "participants": openapi.Arr(openapi.Str), "beneficiary": openapi.Obj([]string{"kind"}, map[string]any{
				"kind": openapi.Str, "name": openapi.Str, "phone": openapi.Str, "id_number": openapi.Str, "place": openapi.Str}),
			"class": openapi.Str, "items": openapi.Arr(openapi.Str), "status": statuses, "opened_on": openapi.Str,
			"due_days": openapi.Int, "due_at": openapi.When, "done_on": openapi.Str, "drop_reason": openapi.Str,
			"progress": openapi.Arr(progress), "story": openapi.Str, "outcomes": map[string]any{"type": "object", "additionalProperties": openapi.Int},
			"published": openapi.Bool, "beneficiary_consent": openapi.Bool, "campaign": campaignRef, "created_by": openapi.Str,
			"created_at": openapi.When, "updated_at": openapi.When, "version": openapi.Int,
			"story_photos": photoInfos})
	return map[string]any{
		"Beneficiary": openapi.Obj([]string{"kind"}, map[string]any{"kind": openapi.Str, "name": openapi.Str, "phone": openapi.Str,
			"id_number": openapi.Str, "place": openapi.Str}),
		"Matter": answer,
		"MatterPage": openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(openapi.Ref("Matter")),
			"next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": map[string]any{"type": "integer", "description": "how many matters the filter selects, over every page"},
			"outcome_sum": map[string]any{"type": "integer", "description": "with outcome and without q: that outcome's values added up over every matter the filter selects, " +
				"as the staff list shows it; with status=done and the period as from and to, the summary's matters.outcome_<code>"}}),
		"MatterRequest": closed([]string{"title", "unit", "class", "beneficiary"}, map[string]any{
			"title": openapi.Text(matter.MaxTitleRunes, true), "description": openapi.Text(matter.MaxDescriptionRunes, false),
			"unit":   code("the responsible unit: the caller's own, or any for leaders and admins"),
			"branch": code("party branch of the unit"), "lead": code("user name of the officer who claimed the matter (领办人)"),
			"participants": codes(matter.MaxParticipants, "user name"), "beneficiary": beneficiary, "class": classes,
			"items": openapi.With(item, "maxItems", matter.MaxItems), "opened_on": day, "due_days": dueDays,
			"published": openapi.Bool, "beneficiary_consent": openapi.Bool, "campaign": campaignRef}),
		"MatterPatch": closed([]string{"version"}, map[string]any{"version": openapi.Int,
			"title": openapi.Text(matter.MaxTitleRunes, true), "description": openapi.Text(matter.MaxDescriptionRunes, false),
			"branch": code("party branch of the unit"), "lead": code("user name"), "participants": codes(matter.MaxParticipants, "user name"),
			"beneficiary": beneficiary, "class": classes, "items": openapi.With(item, "maxItems", matter.MaxItems), "due_days": dueDays,
			"published": openapi.Bool, "beneficiary_consent": openapi.Bool, "campaign": campaignRef}),
		"MatterAction": closed([]string{"action", "version"}, map[string]any{"version": openapi.Int,
			"action": openapi.EnumOf(matter.Actions), "day": day,
			"text":     openapi.Text(matter.MaxProgressRunes, true),
			"story":    openapi.Text(matter.MaxStoryRunes, true),
			"outcomes": outcomes, "reason": openapi.Text(matter.MaxReasonRunes, true),
			"photos": openapi.With(uploadSchema(matter.MaxPhotos), "description", "progress and complete only: the entry's or the outcome story's photos")}),
	}
}
