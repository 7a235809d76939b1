package archive

import "time"

// Step is one stage of an item as its citizen follows it (受理 → 派單 →
// 簽收 → 答覆 → 評價 → 銷號): done, or the one the item waits for now
// (Current, with its due time when the time limit runs for it).
type Step struct {
	Key     string    // received, dispatched, signed, answered, rated, closed
	Done    bool      // reached
	Current bool      // the stage the item waits for now
	Due     time.Time // the answer's due time, on the current step before the answer; zero otherwise
}

// stepKeys are the stages of the tracking page's stepper, in order.
var stepKeys = []string{"received", "dispatched", "signed", "answered", "rated", "closed"}

// stepsDone is how many stages an item in status s has reached.
func stepsDone(s Status) int {
	switch s {
	case StatusReceived, StatusReturned:
		return 1
	case StatusDispatched:
		return 2
	case StatusSigned, StatusInProgress:
		return 3
	case StatusAnswered:
		return 4
	case StatusVisited:
		return 5
	case StatusClosed:
		return 6
	}
	return 0
}

// Progress is the stepper of the citizen's item: the stages reached and
// the one it waits for, which carries the answer's due time until the
// item is answered. An item that ended another way (withdrawn, invalid,
// merged) shows the stages it had reached when it ended and none current.
func (v CitizenView) Progress() []Step {
	it := v.Item
	done, current := stepsDone(it.Status), true
	if it.Status.Terminal() && it.Status != StatusClosed {
		current = false
		done = 1
		if n := len(v.Events); n > 0 {
			done = max(stepsDone(v.Events[n-1].From), 1)
		}
	}
	out := make([]Step, len(stepKeys))
	for i, k := range stepKeys {
		out[i] = Step{Key: k, Done: i < done, Current: current && i == done}
		if out[i].Current && i <= 3 {
			out[i].Due = it.DueAt
		}
	}
	return out
}
