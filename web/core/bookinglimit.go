package core

import (
	"net/http"

	"minyi/ratelimit"
)

// BookingUse is the use of the booking limit by a citizen's booking from
// the client's address (the intake limit's rate, counted apart from the
// items), which the store counts in the booking's own transaction.
func (s *Base) BookingUse(r *http.Request) []ratelimit.Use {
	if use, ok := s.Limiter.Use("booking", s.Config.Limits.Intake, LimitSubject(r), true); ok {
		return []ratelimit.Use{use}
	}
	return nil
}
