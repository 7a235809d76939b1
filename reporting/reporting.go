// Package reporting keeps the figures of every register: the counters
// per unit and day, the rates (三率) computed from them, the leaders'
// dashboard and the figures a report asks each register for. It knows no
// register: registers import it, never the other way round.
//
// # The contract a register keeps
//
// A register feeds reporting in two ways, and only these two.
//
// Counters. A register whose records are cases to answer (received,
// answered, closed, rated...) has a pure function giving one record's
// contribution, like archive.TallyOf:
//
//	func TallyOf(r Record) (reporting.TallyKey, reporting.Tally)
//
// computed from the record alone. Its store takes the record's old
// contribution out of the counters (Tally.Add with sign -1) and puts the
// new one in, in the record's own transaction, so the counters are always
// the sum of the records' contributions and summaries stay sums over small
// tables. Breakdown counters (GroupKey) follow the same rule.
//
// Figures by key. Every register implements Source: asked for a period
// and scope (a Filter, already narrowed to what the reader may see), it
// answers its figures by key, e.g. "received" or "held". Figures are
// queries, never constants: a report asks each register through
// Service.Report and adds nothing of its own. The keys a register answers
// are listed on its Source and never change meaning; a new figure is a new
// key.
//
// A ledger (matters, measures, volunteer work...) is also one of
// Service.Ledgers, which the ledger summary asks; one whose records belong
// to party branches is a BranchSource too, counting the same keys by
// branch for the branch comparison. A source of Service.Sources whose
// records belong to units only (items) is a UnitSource: the comparison
// shows each branch its unit's figures.
//
// Adding a register therefore means: a Register name, its Figures method
// (usually one query of its store), and, if it counts cases, its TallyOf.
// No page and no other register changes.
package reporting

import (
	"context"
	"time"
)

// Filter selects the period and units of the figures.
type Filter struct {
	From, To string   // YYYY-MM-DD, inclusive, China time; by day of receipt
	Unit     string   // one unit, or all
	Units    []string // visibility: only these units (nil: all)
	// Campaign selects the ledgers' records of one campaign (0: all);
	// registers that are no ledger ignore it.
	Campaign int64
	Now      time.Time
}

// ThisYearByDefault fills a missing from with 1 January and a missing to
// with today, the period every figure shows unless told otherwise.
func (f Filter) ThisYearByDefault(today time.Time) Filter {
	if f.From == "" {
		f.From = today.Format("2006") + "-01-01"
	}
	if f.To == "" {
		f.To = today.Format(time.DateOnly)
	}
	return f
}

// Figures are a register's counts for a period, by key.
type Figures map[string]int64

// Source is one register as reporting sees it.
type Source interface {
	// Register names the register, e.g. "items" or "meetings".
	Register() string
	// Figures counts the register's records of f's period and units. f
	// has been checked and narrowed to what the reader may see; the
	// source only counts.
	Figures(ctx context.Context, f Filter) (Figures, error)
}

// Report is what every register answers for one period and scope.
type Report struct {
	From      string             `json:"from"`
	To        string             `json:"to"`
	Unit      string             `json:"unit,omitempty"`
	Registers map[string]Figures `json:"registers"` // by register name
}

// Figure returns one figure of the report; 0 when the register did not
// answer that key.
func (r Report) Figure(register, key string) int64 {
	return r.Registers[register][key]
}
