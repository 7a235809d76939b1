package dispute

import (
	"cmp"
	"strings"

	"minyi/reporting"
)

// TallyKey is a row of the disputes' counters: a unit, a day and a
// campaign (0: none).
type TallyKey struct {
	Unit     string
	Day      string
	Campaign int64
}

// Tally is a dispute's contribution to a row of the counters, or their sum.
type Tally struct {
	Found           int64
	Resolved        int64
	Referred        int64
	Unresolved      int64
	ResolvedVillage int64 // resolved at village level
}

// Add adds sign (±1) times d to t.
func (t *Tally) Add(d Tally, sign int64) {
	t.Found += sign * d.Found
	t.Resolved += sign * d.Resolved
	t.Referred += sign * d.Referred
	t.Unresolved += sign * d.Unresolved
	t.ResolvedVillage += sign * d.ResolvedVillage
}

// Contribution is what a dispute adds to one row of the counters.
type Contribution = reporting.Contribution[TallyKey, Tally]

// compare orders the counters' rows: by unit, day and campaign.
func (k TallyKey) compare(o TallyKey) int {
	return cmp.Or(strings.Compare(k.Unit, o.Unit), strings.Compare(k.Day, o.Day), cmp.Compare(k.Campaign, o.Campaign))
}

// TallyOf is a dispute's contribution to the counters (reporting's
// figures found, resolved, referred, unresolved and resolved_village),
// computed from the dispute alone, so the store moves a dispute's old
// contribution out and its new one in, in the dispute's transaction: found
// on the day found, and how it ended on the day it ended (ClosedOn), both
// for its unit and campaign, as the figures count them.
func TallyOf(d Dispute) []Contribution {
	out := []Contribution{{Key: TallyKey{Unit: d.Unit, Day: d.FoundOn, Campaign: d.Campaign}, Tally: Tally{Found: 1}}}
	if d.ClosedOn == "" {
		return out
	}
	var ended Tally
	switch d.Status {
	case StatusResolved:
		ended.Resolved = 1
		if d.Level == LevelVillage {
			ended.ResolvedVillage = 1
		}
	case StatusReferred:
		ended.Referred = 1
	case StatusUnresolved:
		ended.Unresolved = 1
	default:
		return out
	}
	return append(out, Contribution{Key: TallyKey{Unit: d.Unit, Day: d.ClosedOn, Campaign: d.Campaign}, Tally: ended})
}

// TallyDelta is what moves the counters from before to after (TallyOf of
// the dispute as it was and as it is; before nil for a new dispute), as
// reporting.Delta computes it.
func TallyDelta(before, after []Contribution) []Contribution {
	return reporting.Delta(before, after, TallyKey.compare)
}
