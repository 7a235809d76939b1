package archive

import (
	"context"

	"minyi/org"
	"minyi/reporting"
)

// The items register is a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the items register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for the items received in f's period: the
// counts of reporting.Tally by their keys (received, valid, responded,
// answered, on_time, closed, visited, satisfied, basic_satisfied,
// unsatisfied, returned, redone) and overdue_now, the items of f's units
// open and past due at f.Now whenever received.
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	st, err := s.Store.Stats(ctx, f)
	if err != nil {
		return nil, err
	}
	out := st.Tally.Figures()
	out["overdue_now"] = st.Overdue
	return out, nil
}

// The items register counts by unit for the branch comparison: items are
// answered by a unit, whose party branches share its figures.
var _ reporting.UnitSource = (*Service)(nil)

// FiguresByUnit answers the branch comparison: the counts of
// reporting.Tally of the items received in f's period, by unit (units
// without items left out).
func (s *Service) FiguresByUnit(ctx context.Context, f reporting.Filter) (map[string]reporting.Figures, error) {
	st, err := s.Store.Stats(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make(map[string]reporting.Figures, len(st.ByUnit))
	for _, u := range st.ByUnit {
		out[u.Unit] = u.Tally.Figures()
	}
	return out, nil
}

// OverdueList lists the open items past due that u may see, of one unit or
// all, most overdue first, for the dashboard.
func (s *Service) OverdueList(ctx context.Context, u org.User, unit string, limit int) ([]reporting.OverdueItem, error) {
	page, err := s.List(ctx, u, Filter{Overdue: true, Sort: SortDue, Unit: unit, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]reporting.OverdueItem, len(page.Items))
	for i, it := range page.Items {
		out[i] = reporting.OverdueItem{Number: it.Number, UnitCode: it.UnitCode, Title: it.Title, DueAt: it.DueAt}
	}
	return out, nil
}
