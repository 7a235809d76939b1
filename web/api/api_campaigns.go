package api

import (
	"net/http"
	"strconv"

	"minyi"
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
