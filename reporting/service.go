package reporting

import (
	"context"
	"errors"
	"sync"
	"time"

	"minyi"
	"minyi/org"
)

// Store reads the counters the registers keep (see the package doc).
type Store interface {
	// Stats sums the tallies of f's period and units and counts what is
	// overdue at f.Now.
	Stats(ctx context.Context, f Filter) (Stats, error)
	// WeeklyTrend sums the tallies of f's period by ISO week of receipt,
	// oldest first; weeks without records are left out.
	WeeklyTrend(ctx context.Context, f Filter) ([]WeekCount, error)
	// Breakdown counts the records received in f's period, and the closed
	// ones among them, by category and by channel, most received first.
	Breakdown(ctx context.Context, f Filter) (Breakdown, error)
	// OverdueByUnit counts the open records past due at f.Now by unit.
	OverdueByUnit(ctx context.Context, f Filter) (map[string]int64, error)
	// Unit returns a unit, or an ENotFound error.
	Unit(ctx context.Context, code string) (org.Unit, error)
}

// OverdueLister lists the open records past due that a reader may see,
// most overdue first; the register that keeps them decides what a reader
// may see of them.
type OverdueLister interface {
	OverdueList(ctx context.Context, u org.User, unit string, limit int) ([]OverdueItem, error)
}

// Service answers the questions about figures: the stats API, the
// leaders' dashboard and reports over every register.
type Service struct {
	Store Store
	// Overdue lists the records on the dashboard's overdue list.
	Overdue OverdueLister
	// Sources are the registers a report asks, in order.
	Sources []Source
	// Ledgers are the sources of the campaign's ledgers (matters, measures,
	// service points, volunteer work...) that the ledger summary asks; each
	// is also one of Sources. A ledger wired here is in the summary with
	// every key it answers, without a change anywhere else.
	Ledgers []Source
	// RankBy are the figures the branch comparison ranks by, most first;
	// the first that differs decides.
	RankBy []FigureKey
	// Now is the clock; the registers' services must use the same one, or
	// the overdue counts and the overdue list disagree.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().Truncate(time.Microsecond)
	}
	return time.Now().Truncate(time.Microsecond)
}

// scope narrows f to what u may see: a reader who does not see the whole
// bureau never leaves their unit, whatever the filter asks for.
func (s *Service) scope(u org.User, f Filter) Filter {
	f.Units = u.VisibleUnits()
	f.Now = s.now()
	return f
}

// Stats returns the figures of a period for the units u may see. The
// period's days must be YYYY-MM-DD, from not after to.
func (s *Service) Stats(ctx context.Context, u org.User, f Filter) (Stats, error) {
	if err := f.checkDays(); err != nil {
		return Stats{}, err
	}
	return s.Store.Stats(ctx, s.scope(u, f))
}

// Report asks every source for its figures of f's period, for the units u
// may see. The period is checked as the dashboard's.
func (s *Service) Report(ctx context.Context, u org.User, f Filter) (Report, error) {
	if err := f.CheckPeriod(); err != nil {
		return Report{}, err
	}
	if f.Unit != "" && !u.CanSeeUnit(f.Unit) {
		return Report{}, minyi.Errorf(minyi.EForbidden, "只能查看本单位的数据 / you may only see your own unit's figures")
	}
	return s.ask(ctx, s.Sources, s.scope(u, f))
}

// Summary asks the ledgers (Service.Ledgers) for their figures of f's
// period, for the units u may see: the ledger summary of the campaign's
// registers. The period is checked as the stats API's; a unit u may not
// see is refused naming unit.
func (s *Service) Summary(ctx context.Context, u org.User, f Filter) (Report, error) {
	if err := f.checkDays(); err != nil {
		return Report{}, err
	}
	if f.Unit != "" && !u.CanSeeUnit(f.Unit) {
		return Report{}, errOtherUnit
	}
	return s.ask(ctx, s.Ledgers, s.scope(u, f))
}

// errOtherUnit refuses the figures of a unit the reader may not see,
// naming the field.
var errOtherUnit = &minyi.Error{Code: minyi.EForbidden, Message: "只能查看本单位的数据 / you may only see your own unit's figures",
	Fields: []minyi.FieldError{{Field: "unit", Zh: "只能查看本单位的数据", En: "you may only see your own unit's figures"}}}

// ask asks every source of srcs at once for its figures of f, which has
// been checked and narrowed to what the reader may see.
func (s *Service) ask(ctx context.Context, srcs []Source, f Filter) (Report, error) {
	figures := make([]Figures, len(srcs))
	fns := make([]func(context.Context) error, len(srcs))
	for i, src := range srcs {
		fns[i] = func(ctx context.Context) (err error) { figures[i], err = src.Figures(ctx, f); return err }
	}
	if err := Parallel(ctx, fns...); err != nil {
		return Report{}, err
	}
	r := Report{From: f.From, To: f.To, Unit: f.Unit, Registers: make(map[string]Figures, len(srcs))}
	for i, src := range srcs {
		r.Registers[src.Register()] = figures[i]
	}
	return r, nil
}

// Dashboard assembles the figures of f's period for the units u may see.
func (s *Service) Dashboard(ctx context.Context, u org.User, f Filter) (Dashboard, error) {
	if !MayViewDashboard(u) {
		return Dashboard{}, minyi.Errorf(minyi.EForbidden, "领导驾驶舱仅供局领导和所队长查看 / the dashboard is for leaders and unit heads")
	}
	if err := f.CheckPeriod(); err != nil {
		return Dashboard{}, err
	}
	if f.Unit != "" {
		if !u.CanSeeUnit(f.Unit) {
			return Dashboard{}, minyi.Errorf(minyi.EForbidden, "只能查看本单位的数据 / you may only see your own unit's figures")
		}
		if _, err := s.Store.Unit(ctx, f.Unit); minyi.ErrorCode(err) == minyi.ENotFound {
			return Dashboard{}, minyi.Invalid("unit", "单位不存在", "unknown unit")
		} else if err != nil {
			return Dashboard{}, err
		}
	}
	// The same restriction as Stats.
	f = s.scope(u, f)
	// The parts are independent reads; running them side by side makes the
	// page as slow as its slowest part rather than the sum of them.
	var (
		st      Stats
		overdue map[string]int64
		weeks   []WeekCount
		split   Breakdown
		list    []OverdueItem
	)
	err := Parallel(ctx,
		func(ctx context.Context) (err error) { st, err = s.Store.Stats(ctx, f); return err },
		func(ctx context.Context) (err error) { overdue, err = s.Store.OverdueByUnit(ctx, f); return err },
		func(ctx context.Context) (err error) { weeks, err = s.Store.WeeklyTrend(ctx, f); return err },
		func(ctx context.Context) (err error) { split, err = s.Store.Breakdown(ctx, f); return err },
		func(ctx context.Context) (err error) {
			list, err = s.Overdue.OverdueList(ctx, u, f.Unit, OverdueListLength)
			return err
		},
	)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{From: f.From, To: f.To, Unit: f.Unit, Tally: st.Tally, Rates: st.Rates, Overdue: st.Overdue,
		Units: unitRows(st.ByUnit, overdue), Weeks: FillWeeks(f.From, f.To, weeks), Categories: split.Categories, Channels: split.Channels,
		OverdueItems: list, Now: f.Now}
	for i := range d.OverdueItems {
		d.OverdueItems[i].Days = DaysOverdue(d.OverdueItems[i].DueAt, f.Now)
	}
	RankUnits(d.Units)
	return d, nil
}

// Parallel runs fns at once and returns the first error; a failure cancels
// the context of the others. The report package writes its inputs with it
// too.
func Parallel(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			if errs[i] = fn(ctx); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
