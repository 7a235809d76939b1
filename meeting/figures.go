package meeting

import (
	"context"

	"minyi/reporting"
)

// The meetings register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the meetings register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the meetings held in f's period by f's
// units: held (meetings), attendees (people at them), opinions (items
// raised at them) and opinions_closed (those of them closed out).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.MeetingFigures(ctx, f)
}
