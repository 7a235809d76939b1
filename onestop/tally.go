package onestop

import (
	"cmp"
	"strings"

	"minyi/reporting"
)

// TallyKey is a row of the counters: a unit, a day (China time,
// YYYY-MM-DD) and a service.
type TallyKey struct {
	Unit    string
	Day     string
	Service int64
}

// Tally is a case's contribution to a row of the counters, or their sum.
type Tally struct {
	Opened    int64
	Done      int64
	Proxy     int64 // done and handled by an officer for the applicant (帮办代办)
	Green     int64 // through the green channel for elderly applicants
	Cancelled int64
	Late      int64 // a step finished after its due time
}

// Add adds sign (±1) times d to t.
func (t *Tally) Add(d Tally, sign int64) {
	t.Opened += sign * d.Opened
	t.Done += sign * d.Done
	t.Proxy += sign * d.Proxy
	t.Green += sign * d.Green
	t.Cancelled += sign * d.Cancelled
	t.Late += sign * d.Late
}

// Contribution is what a case adds to one row of the counters.
type Contribution = reporting.Contribution[TallyKey, Tally]

// compare orders the counters' rows: by unit, day and service.
func (k TallyKey) compare(o TallyKey) int {
	return cmp.Or(strings.Compare(k.Unit, o.Unit), strings.Compare(k.Day, o.Day), cmp.Compare(k.Service, o.Service))
}

// TallyOf is a case's contribution to the counters (reporting's contract),
// computed from the case alone, so the store moves a case's old
// contribution out and its new one in, in the case's transaction.
//
// Each figure counts on the day its event happened and for the unit that
// did it, as a leader asks "how many were completed in October, and by
// whom": opened (with the green channel and lateness, which are about the
// application) on the day opened for the unit that opened it (its first
// step's); done and proxy-handled on the day done for the unit of the last
// step, which completed it; cancelled on the day cancelled for the unit of
// the step it was cancelled at. So a period's done are the cases completed
// in it whenever they were opened, and the approval centre's figures show
// the newborn cases it completed.
func TallyOf(c Case) []Contribution {
	opened := Contribution{Key: TallyKey{Unit: c.Unit, Day: c.OpenedOn, Service: c.Service}, Tally: Tally{Opened: 1}}
	if c.Green != GreenNone {
		opened.Tally.Green = 1
	}
	if c.Late {
		opened.Tally.Late = 1
	}
	out := []Contribution{opened}
	closedAt := func(day string) TallyKey {
		if day == "" {
			day = c.OpenedOn
		}
		unit := c.Current().Unit
		if unit == "" {
			unit = c.Unit
		}
		return TallyKey{Unit: unit, Day: day, Service: c.Service}
	}
	switch c.Status {
	case StatusDone:
		done := Contribution{Key: closedAt(c.DoneOn), Tally: Tally{Done: 1}}
		if c.Proxy != "" {
			done.Tally.Proxy = 1
		}
		out = append(out, done)
	case StatusCancelled:
		out = append(out, Contribution{Key: closedAt(c.CancelledOn), Tally: Tally{Cancelled: 1}})
	}
	return out
}

// TallyDelta is what moving a case from before to after changes in the
// counters, as reporting.Delta computes it.
func TallyDelta(before, after []Contribution) []Contribution {
	return reporting.Delta(before, after, TallyKey.compare)
}
