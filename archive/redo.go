package archive

// LastRedo returns why the item of evs (its events, oldest first) was last
// sent back to be done again (重辦), for the officer who answers it anew:
// the citizen's unsatisfied verdict, given by rating or heard at a return
// visit (the system then reopens it), or a leader's reopening with its
// reason. ok is false when the item was never sent back.
func LastRedo(evs []Event) (e Event, ok bool) {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Type != EventReopened {
			continue
		}
		if evs[i].Actor == ActorSystem && i > 0 && (evs[i-1].Type == EventRated || evs[i-1].Type == EventVisited) {
			return evs[i-1], true
		}
		return evs[i], true
	}
	return Event{}, false
}

// NewFromCitizen returns what the citizen added to the item of evs (its
// events, oldest first) since staff last acted on it: the additions the
// item desk points out until somebody works the item again.
func NewFromCitizen(evs []Event) []Event {
	var out []Event
	for i := len(evs) - 1; i >= 0; i-- {
		switch e := evs[i]; {
		case e.Type == EventCitizenAdded:
			out = append([]Event{e}, out...)
		case e.Actor != ActorCitizen && e.Actor != ActorSystem && e.Type != EventContactRevealed:
			return out
		}
	}
	return out
}
