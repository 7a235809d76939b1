package reporting

import "slices"

// Contribution is what one record adds to one row of a register's
// counters: the row's key and the counts, as a register's TallyOf returns
// them (dispute.TallyOf, onestop.TallyOf).
type Contribution[K comparable, T comparable] struct {
	Key   K
	Tally T
}

// Counts is a register's counts of one row, which a contribution adds to
// with a sign (±1).
type Counts[T comparable] interface {
	*T
	Add(d T, sign int64)
}

// Delta is what moving a record from before to after changes in its
// register's counters (the record's contributions as it was and as it is;
// before nil for a new record): one change per row, those that cancel out
// left out, in the order of their keys, so that concurrent transactions
// take the rows' locks in one order and cannot deadlock.
func Delta[K comparable, T comparable, PT Counts[T]](before, after []Contribution[K, T], order func(a, b K) int) []Contribution[K, T] {
	var out []Contribution[K, T]
	add := func(c Contribution[K, T], sign int64) {
		i := slices.IndexFunc(out, func(o Contribution[K, T]) bool { return o.Key == c.Key })
		if i < 0 {
			out = append(out, Contribution[K, T]{Key: c.Key})
			i = len(out) - 1
		}
		PT(&out[i].Tally).Add(c.Tally, sign)
	}
	for _, c := range before {
		add(c, -1)
	}
	for _, c := range after {
		add(c, 1)
	}
	var zero T
	out = slices.DeleteFunc(out, func(c Contribution[K, T]) bool { return c.Tally == zero })
	slices.SortFunc(out, func(a, b Contribution[K, T]) int { return order(a.Key, b.Key) })
	return out
}
