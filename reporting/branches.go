package reporting

import (
	"context"
	"slices"
	"strings"

	"minyi/org"
)

// BranchSource is a source whose records belong to party branches: it
// counts them by branch too, with the same keys as Figures. Records of no
// branch are left out.
type BranchSource interface {
	Source
	FiguresByBranch(ctx context.Context, f Filter) (map[string]Figures, error)
}

// UnitSource is a source whose records belong to units, not to party
// branches: items are answered by a unit. It counts them by unit, with the
// same keys as Figures, and the branch comparison shows each branch the
// figures of its unit (org.Branch.UnitCode), shared by the unit's
// branches. When its keys are those of a Tally (Tally.Figures), the
// comparison gives their rates too (BranchRow.Rates).
type UnitSource interface {
	Source
	FiguresByUnit(ctx context.Context, f Filter) (map[string]Figures, error)
}

// FigureKey names one figure of one register.
type FigureKey struct{ Register, Key string }

// BranchRow is one party branch of the comparison: its rank (1 the first;
// branches equal on every figure ranked by share the same rank) and its
// figures by register, then key.
type BranchRow struct {
	Branch  string             `json:"branch"`
	Name    string             `json:"name"`
	Unit    string             `json:"unit"`
	Rank    int                `json:"rank"`
	Figures map[string]Figures `json:"figures"`
	// Rates are the rates of the unit sources that count a Tally (items:
	// the satisfaction rate of those answered), by register.
	Rates map[string]Rates `json:"rates,omitempty"`
}

// Figure returns one of the row's figures; 0 when not answered.
func (r BranchRow) Figure(k FigureKey) int64 { return r.Figures[k.Register][k.Key] }

// BranchRanking compares the party branches u may see over f's period:
// every branch of the units u may see (or of f's unit) has a row, with the
// figures of each BranchSource by branch and of each UnitSource of
// s.Sources by the branch's unit, ranked by s.RankBy. The period and unit
// are checked as Summary's.
func (s *Service) BranchRanking(ctx context.Context, u org.User, f Filter, branches []org.Branch) ([]BranchRow, error) {
	if err := f.checkDays(); err != nil {
		return nil, err
	}
	if f.Unit != "" && !u.CanSeeUnit(f.Unit) {
		return nil, errOtherUnit
	}
	f = s.scope(u, f)
	var srcs []BranchSource
	for _, src := range s.Ledgers {
		if b, ok := src.(BranchSource); ok {
			srcs = append(srcs, b)
		}
	}
	var units []UnitSource
	for _, src := range s.Sources {
		if b, ok := src.(UnitSource); ok {
			units = append(units, b)
		}
	}
	byBranch := make([]map[string]Figures, len(srcs))
	byUnit := make([]map[string]Figures, len(units))
	fns := make([]func(context.Context) error, 0, len(srcs)+len(units))
	for i, src := range srcs {
		fns = append(fns, func(ctx context.Context) (err error) { byBranch[i], err = src.FiguresByBranch(ctx, f); return err })
	}
	for i, src := range units {
		fns = append(fns, func(ctx context.Context) (err error) { byUnit[i], err = src.FiguresByUnit(ctx, f); return err })
	}
	if err := Parallel(ctx, fns...); err != nil {
		return nil, err
	}
	rows := []BranchRow{}
	for _, b := range branches {
		if (f.Unit != "" && b.UnitCode != f.Unit) || (f.Units != nil && !slices.Contains(f.Units, b.UnitCode)) {
			continue
		}
		row := BranchRow{Branch: b.Code, Name: b.Name, Unit: b.UnitCode, Figures: make(map[string]Figures, len(srcs))}
		for i, src := range srcs {
			figs := Figures{}
			for k, v := range byBranch[i][b.Code] {
				figs[k] = v
			}
			row.Figures[src.Register()] = figs
		}
		for i, src := range units {
			figs := Figures{}
			for k, v := range byUnit[i][b.UnitCode] {
				figs[k] = v
			}
			row.Figures[src.Register()] = figs
			if t, ok := tallyOf(figs); ok {
				if row.Rates == nil {
					row.Rates = map[string]Rates{}
				}
				row.Rates[src.Register()] = t.Rates()
			}
		}
		rows = append(rows, row)
	}
	RankBranches(rows, s.RankBy)
	return rows, nil
}

// RankBranches sorts rows by the figures of by, most first, the first
// figure that differs deciding, and numbers them; rows equal on every
// figure share a rank and are listed by branch code.
func RankBranches(rows []BranchRow, by []FigureKey) {
	cmp := func(a, b BranchRow) int {
		for _, k := range by {
			if x, y := a.Figure(k), b.Figure(k); x != y {
				if x > y {
					return -1
				}
				return 1
			}
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b BranchRow) int {
		if c := cmp(a, b); c != 0 {
			return c
		}
		return strings.Compare(a.Branch, b.Branch)
	})
	for i := range rows {
		if i > 0 && cmp(rows[i-1], rows[i]) == 0 {
			rows[i].Rank = rows[i-1].Rank
		} else {
			rows[i].Rank = i + 1
		}
	}
}

// tallyOf reads back the Tally whose Figures are f; ok is false when f
// lacks one of its keys: not a tally's figures, or none (a unit without
// records, whose rates would all be null).
func tallyOf(f Figures) (t Tally, ok bool) {
	for k, dst := range map[string]*int64{"received": &t.Received, "valid": &t.Valid, "responded": &t.Responded,
		"answered": &t.Answered, "on_time": &t.OnTime, "closed": &t.Closed, "visited": &t.Visited, "satisfied": &t.Satisfied,
		"basic_satisfied": &t.BasicSatisfied, "unsatisfied": &t.Unsatisfied, "returned": &t.Returned, "redone": &t.Redone} {
		v, has := f[k]
		if !has {
			return Tally{}, false
		}
		*dst = v
	}
	// The five levels' ends came later: figures kept from before have
	// none, and none were rated so.
	t.VerySatisfied, t.VeryUnsatisfied = f["very_satisfied"], f["very_unsatisfied"]
	return t, true
}
