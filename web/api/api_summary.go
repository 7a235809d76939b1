package api

import (
	"net/http"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/matter"
	"minyi/publicity"
	"minyi/reporting"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The ledger summary: every figure of the campaign's ledgers (issue 12) as
// counts from the records, asked of each ledger through
// reporting.Service.Summary; a ledger wired there is in the answer with
// every key it answers, without a change here.

// summaryRoutes are the routes of the figures over the ledgers.
func (s *API) summaryRoutes() []route {
	period := []param{{"from", "query", "first day, YYYY-MM-DD (default 1 January of this year)"}, {"to", "query", "last day, YYYY-MM-DD (default today)"}, {"unit", "query", "unit code"}}
	return []route{
		{method: "GET", pattern: "/api/v1/ledgers/summary", handler: s.ledgerSummary, auth: "staff", summary: "Every figure of the ledgers (practical matters, volunteer activities, service points, convenience measures, and each ledger wired after them) as counts from the records, for a period and the units the caller may see; another unit than their own is 403 naming unit for a unit's staff; campaign= counts that campaign's records, over its period unless from/to say otherwise (an unknown campaign is 400 naming campaign)", response: "LedgerSummary", status: 200,
			params: append(append([]param(nil), period...), param{"campaign", "query", "campaign id: only its records; the period defaults to the campaign's"})},
		{method: "GET", pattern: "/api/v1/ledgers/export", handler: s.ledgerExport, auth: "staff", summary: "The ledgers as one workbook (台账) for a period: a sheet per register — the archive (民意档案: the items received), the matters done, the measures implemented, the service points, the volunteer activities, the disputes found, the indicators (a row per indicator and unit, a column per month), the one-stop cases opened, the publicity pieces and the questionnaires' results — of the units the caller may see, each as its list exports it (format=xlsx: the same columns, masking and authorisation); another unit than their own is 403 naming unit", response: "xlsx", status: 200,
			params: append(period[:len(period):len(period)], campaignFilter)},
		{method: "GET", pattern: "/api/v1/branches/ranking", handler: s.branchRanking, auth: "staff", summary: "The party branches of the units the caller may see compared over a period: matters done, led and done on time, the on-time share, volunteer activities and hours, and the items of the branch's unit answered and their satisfaction rate (shared by the unit's branches); ranked by matters done, then on time, then volunteer activities, then volunteer hours (the items do not rank: a unit's branches share them)", response: "BranchRanking", status: 200,
			params: period},
	}
}

// ledgerSummaryAnswer is the summary's JSON: the period, the unit asked
// and the figures by ledger, then by key.
type ledgerSummaryAnswer struct {
	From string `json:"from"`
	To   string `json:"to"`
	Unit string `json:"unit,omitempty"`
	// Campaign is the campaign asked for, whose records alone count.
	Campaign int64                        `json:"campaign,omitempty"`
	Figures  map[string]reporting.Figures `json:"figures"`
}

// periodFilter reads the period and unit of the figures, this year by
// default.
func periodFilter(r *http.Request) reporting.Filter {
	q := r.URL.Query()
	return reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(time.Now().In(calendar.Zone))
}

func (s *API) ledgerSummary(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var p minyi.Problems
	if id := campaignParam(r, &p); id != 0 {
		q := r.URL.Query()
		rep, err := s.Svc.Campaigns.Summary(r.Context(), u, id, reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")})
		if err != nil {
			return err
		}
		core.NoStore(w)
		core.WriteJSON(w, http.StatusOK, ledgerSummaryAnswer{From: rep.From, To: rep.To, Unit: rep.Unit, Campaign: id, Figures: rep.Registers})
		return nil
	}
	if err := p.Err(); err != nil {
		return err
	}
	f := periodFilter(r)
	rep, err := s.Reports.Summary(r.Context(), u, f)
	if err != nil {
		return err
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, ledgerSummaryAnswer{From: rep.From, To: rep.To, Unit: rep.Unit, Figures: rep.Registers})
	return nil
}

func (s *API) ledgerExport(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	return s.LedgerBook(w, r, u)
}

// branchRankingAnswer is the branch comparison's JSON.
type branchRankingAnswer struct {
	From     string      `json:"from"`
	To       string      `json:"to"`
	Unit     string      `json:"unit,omitempty"`
	Branches []branchRow `json:"branches"`
}

// branchRow is a ranked branch with its on-time share: the matters done
// on time of its matters done, null when none was done.
type branchRow struct {
	reporting.BranchRow
	OnTimeShare *float64 `json:"on_time_share"`
}

func (s *API) branchRanking(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	f := periodFilter(r)
	branches, err := s.Org.Branches(r.Context())
	if err != nil {
		return err
	}
	rows, err := s.Reports.BranchRanking(r.Context(), u, f, branches)
	if err != nil {
		return err
	}
	out := branchRankingAnswer{From: f.From, To: f.To, Unit: f.Unit, Branches: make([]branchRow, len(rows))}
	for i, row := range rows {
		out.Branches[i].BranchRow = row
		if done := row.Figures[matter.Register]["done"]; done > 0 {
			share := float64(row.Figures[matter.Register]["on_time"]) / float64(done)
			out.Branches[i].OnTimeShare = &share
		}
	}
	core.NoStore(w)
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// summarySchemas are the answer schemas of the figures over the ledgers.
func summarySchemas() map[string]any {
	n := func(description string) map[string]any {
		return map[string]any{"type": "integer", "minimum": 0, "description": description}
	}
	ledger := func(description string, props map[string]any) map[string]any {
		o := openapi.Obj(nil, props)
		o["additionalProperties"] = map[string]any{"type": "integer"}
		o["description"] = description
		return o
	}
	matters := ledger("practical matters done in the period (by done_on); done_<class> for each concern class; outcome_<key> the counted outcomes of those matters summed by key (e.g. outcome_cattle)", map[string]any{
		"done":    n("matters done in the period"),
		"led":     n("of those, the matters led by a named officer (领办人)"),
		"on_time": n("of those, the matters done by the day they were due"),
	})
	activities := ledger("volunteer activities dated in the period", map[string]any{
		"activities": n("volunteer activities"), "volunteers": n("volunteers, summed over the activities"),
		"volunteer_hours": n("volunteer hours: each activity's hours times its volunteers, summed, whole hours"),
		"served":          n("people served, summed over the activities"),
	})
	points := ledger("service points", map[string]any{"active": n("service points active now that were recorded by the end of the period")})
	measures := ledger("convenience measures (便民利民措施), each counted by the day of its step", map[string]any{
		"researched": n("measures researched in the period"), "implemented": n("measures implemented in the period"), "withdrawn": n("measures withdrawn in the period")})
	pieceCounts := map[string]any{"pieces": n("publicity pieces published in the period")}
	for _, c := range publicity.DefaultChannels {
		pieceCounts["channel_"+string(c.Code)] = n("pieces published in the period on " + c.En + " (" + c.Zh + ")")
	}
	pieces := ledger("publicity pieces (宣传报道) dated in the period, by channel", pieceCounts)
	indicators := ledger("period indicators (工作指标), one key per indicator code: the current entries of the months whose first day is in the period, summed (aggregation sum) or each unit's latest month (last)",
		map[string]any{"criminal_cases_solved": n("criminal cases solved (破获刑事案件)"), "administrative_cases": n("administrative cases handled (查处行政案件)")})
	cases := ledger("one-stop cases (一件事一次办) opened in the period, by the unit that opened them; opened_<code>, done_<code> and proxy_<code> per service code", map[string]any{
		"opened": n("cases opened"), "done": n("of those, done"), "proxy": n("of those, done and handled by an officer for the applicant (帮办代办)"),
		"green_channel": n("of those, through the green channel for elderly applicants"), "cancelled": n("of those, cancelled"),
		"overdue": n("of those, a step finished after its time limit, or open now past it")})
	disputes := ledger("disputes (矛盾纠纷): found in the period, and those that ended in it by the day they ended", map[string]any{
		"found": n("disputes found in the period"), "resolved": n("disputes resolved (化解) in the period"),
		"referred": n("disputes referred to a court, arbitration or an agency in the period"), "unresolved": n("disputes found unresolved in the period"),
		"open": n("of the disputes found in the period, those not ended by its end"), "overdue": n("of those open, the ones past their time limit at the period's end (or now)"),
		"resolved_village": n("disputes resolved in the period at village level (小事不出村)"),
		"village_share":    n("resolved_village per thousand resolved (‰, rounded); 0 with none resolved")})
	surveys := ledger("questionnaires (调查问卷)", map[string]any{"answers": n("answers received in the period"),
		"published": n("questionnaires published in the period"), "items_created": n("free-text answers turned into archive items in the period")})
	figures := openapi.Obj(nil, map[string]any{"matters": matters, "volunteer_activities": activities, "service_points": points, "measures": measures, "publicity": pieces,
		"indicators": indicators, "disputes": disputes, "cases": cases, "surveys": surveys})
	figures["properties"].(map[string]any)["bookings"] = ledger("bookings at service points (预约) of days in the period", map[string]any{
		"booked": n("bookings made, cancelled ones included"), "attended": n("bookings attended"), "cancelled": n("bookings cancelled, by the citizen or staff"),
		"no_show": n("bookings not attended"), "green_channel": n("bookings not cancelled of elderly citizens through the green channel (老年人绿色通道)"),
		"extended_hours": n("bookings not cancelled in off-peak, extended-hours or holiday slots (错时延时服务)")})
	figures["additionalProperties"] = map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer"}}
	figures["description"] = "by ledger (register name), then by key; a ledger wired later (e.g. measures) appears under its register name with its own keys"
	branchFigures := openapi.Obj(nil, map[string]any{
		"matters": ledger("the branch's matters done in the period", map[string]any{"done": n("matters done"), "led": n("of those, led by a named officer"), "on_time": n("of those, done by the day they were due")}),
		"volunteer_activities": ledger("the branch's volunteer activities dated in the period", map[string]any{"activities": n("volunteer activities"), "volunteers": n("volunteers, summed"),
			"volunteer_hours": n("hours times volunteers, summed, whole hours"), "served": n("people served, summed")}),
	})
	branchFigures["properties"].(map[string]any)["items"] = ledger("the items of the branch's unit received in the period, shared by the unit's branches "+
		"(items are answered by a unit): the counts of the stats API (received, valid, responded, answered, on_time, closed, visited, satisfied, basic_satisfied, unsatisfied, very_satisfied, very_unsatisfied, returned, redone; "+
		"satisfied counts very_satisfied too and unsatisfied very_unsatisfied, so the three groups sum to visited)",
		map[string]any{"answered": n("items answered"), "visited": n("items rated at a return visit"), "satisfied": n("rated satisfied"),
			"basic_satisfied": n("rated basically satisfied")})
	branchFigures["additionalProperties"] = map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer"}}
	rates := openapi.Obj(nil, map[string]any{"response_rate": rateSchema, "resolution_rate": rateSchema, "satisfaction_rate": rateSchema,
		"on_time_rate": rateSchema, "return_rate": rateSchema, "redo_rate": rateSchema})
	row := openapi.Obj([]string{"branch", "name", "unit", "rank", "figures", "on_time_share"}, map[string]any{
		"branch": openapi.Str, "name": openapi.Str, "unit": openapi.Str,
		"rates": openapi.With(openapi.Obj(nil, map[string]any{"items": openapi.With(rates, "description",
			"the rates of the unit's items (satisfaction_rate: satisfied and basically satisfied of those rated), as the stats API's")}),
			"description", "by register, the rates of the registers that count by unit"),
		"rank":          map[string]any{"type": "integer", "minimum": 1, "description": "1 the first; branches equal on every figure ranked by share a rank"},
		"on_time_share": openapi.With(rateSchema, "description", "matters done on time of matters done; null when none was done"),
		"figures":       branchFigures,
	})
	return map[string]any{
		"BranchRanking": openapi.Obj([]string{"from", "to", "branches"}, map[string]any{"from": openapi.Str, "to": openapi.Str, "unit": openapi.Str,
			"branches": openapi.Arr(row)}),
		"LedgerSummary": openapi.Obj([]string{"from", "to", "figures"}, map[string]any{
			"from": openapi.Str, "to": openapi.Str, "unit": openapi.Str, "figures": figures,
			"campaign": map[string]any{"type": "integer", "minimum": 1, "description": "the campaign asked for: only its records count"}}),
	}
}
