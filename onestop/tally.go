package onestop

// TallyKey is where a case counts: the unit that opened it, the day it was
// opened (China time, YYYY-MM-DD) and its service. Periods are by day
// opened, as the items' are by day of receipt: the figures of January to
// October are about the cases opened then.
type TallyKey struct {
	Unit    string
	Day     string
	Service int64
}

// Tally is a case's contribution to the counters, or their sum.
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

// TallyOf is a case's contribution to the counters (reporting's contract):
// computed from the case alone, so the store moves a case's old
// contribution out and its new one in, in the case's transaction.
func TallyOf(c Case) (TallyKey, Tally) {
	t := Tally{Opened: 1}
	if c.Status == StatusDone {
		t.Done = 1
		if c.Proxy != "" {
			t.Proxy = 1
		}
	}
	if c.Green != GreenNone {
		t.Green = 1
	}
	if c.Status == StatusCancelled {
		t.Cancelled = 1
	}
	if c.Late {
		t.Late = 1
	}
	return TallyKey{Unit: c.Unit, Day: c.OpenedOn, Service: c.Service}, t
}
