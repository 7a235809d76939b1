package archive

import (
	"context"
	"errors"
	"time"

	"minyi"
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
// unsatisfied, very_satisfied, very_unsatisfied, returned, redone) and
// overdue_now, the items of f's units
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

// ActorEvents counts what one member of staff did in the log. *store.DB
// implements it; the Service asks for it only where a page shows a
// member's record (AnsweredBy).
type ActorEvents interface {
	// CountActorRecords counts the records of register that actor gave
	// an event of type typ at a time in [from, to).
	CountActorRecords(ctx context.Context, register, typ, actor string, from, to time.Time) (int64, error)
}

var errNoActorEvents = errors.New("archive: the store does not count events by actor")

// AnsweredBy counts the items that the member of staff named actor
// answered (an answered event of theirs) in [from, to), for the member's
// record: a member sees their own, leaders and admins anyone's.
func (s *Service) AnsweredBy(ctx context.Context, viewer org.User, actor string, from, to time.Time) (int64, error) {
	if viewer.Name != actor && !viewer.SeesAll() {
		return 0, minyi.Errorf(minyi.EForbidden, "只能查看本人的记录 / you may only see your own record")
	}
	ae, ok := s.Store.(ActorEvents)
	if !ok {
		return 0, minyi.Internal(errNoActorEvents)
	}
	return ae.CountActorRecords(ctx, Register, string(EventAnswered), actor, from, to)
}
