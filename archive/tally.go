package archive

import (
	"minyi/calendar"
	"minyi/reporting"
)

// TallyOf is an item's contribution to the counters (reporting's contract
// for a register of cases): the store takes the old contribution out and
// puts the new one in, in the item's own transaction.
func TallyOf(it Item) (reporting.TallyKey, reporting.Tally) {
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	// An item its citizen withdrew before the answer leaves the rates as
	// an invalid one does: nobody owes it an answer any more, so it is
	// neither unanswered nor overdue (docs/GLOSSARY.md, 撤回).
	valid := it.Status != StatusInvalid && it.Status != StatusMerged && it.Status != StatusWithdrawn
	t := reporting.Tally{
		Received:  1,
		Valid:     b(valid),
		Responded: b(valid && it.RespondedAt != nil),
		Answered:  b(valid && it.AnsweredAt != nil),
		OnTime:    b(valid && it.AnsweredAt != nil && it.OnTime),
		Closed:    b(it.Status == StatusClosed),
		Visited:   b(valid && it.Satisfaction != ""),
		// Satisfied and Unsatisfied count their group (Satisfaction.Group).
		Satisfied:       b(valid && it.Satisfaction.Group() == Satisfied),
		BasicSatisfied:  b(valid && it.Satisfaction == BasicSatisfied),
		Unsatisfied:     b(valid && it.Satisfaction.Group() == Unsatisfied),
		VerySatisfied:   b(valid && it.Satisfaction == VerySatisfied),
		VeryUnsatisfied: b(valid && it.Satisfaction == VeryUnsatisfied),
		Returned:        b(it.Returns > 0),
		Redone:          b(it.Redos > 0),
	}
	return reporting.TallyKey{Unit: it.UnitCode, Day: it.ReceivedAt.In(calendar.Zone).Format("2006-01-02")}, t
}

// GroupsOf is an item's contribution to the breakdown counters: one to each
// of its two groups, its category and its channel, and closed is 1 when it
// is closed out.
func GroupsOf(it Item) (keys [2]reporting.GroupKey, closed int64) {
	k, _ := TallyOf(it)
	keys = [2]reporting.GroupKey{{TallyKey: k, Dim: "category", Key: it.CategoryCode}, {TallyKey: k, Dim: "channel", Key: string(it.Channel)}}
	if it.Status == StatusClosed {
		closed = 1
	}
	return keys, closed
}
