package store

import (
	"context"
	"sort"

	"minyi/outbox"
	"minyi/reporting"
)

// pending is what a transaction accumulates and writes once, just before it
// commits: the event chain's head, the yearly number counters and the
// counter deltas. A group commit of many items then writes each of these
// rows once instead of once per item, which is most of what makes grouped
// intake faster than single-row commits.
type pending struct {
	headLoaded bool
	headSeq    int64
	headHash   string
	headStart  int64
	numbers    map[int]int64 // year → last number handed out in this transaction
	numStart   map[int]int64 // year → value stored when first read
	tallies    map[reporting.TallyKey]reporting.Tally
	groups     map[reporting.GroupKey][2]int64 // breakdown counters: received, closed
	statuses   map[[2]string]int64             // items per unit and status
	jobs       []Job                           // delivery jobs of the notices and webhook calls written
	webhooks   *[]outbox.Webhook
}

func newPending() *pending {
	return &pending{numbers: map[int]int64{}, numStart: map[int]int64{}, tallies: map[reporting.TallyKey]reporting.Tally{},
		groups: map[reporting.GroupKey][2]int64{}, statuses: map[[2]string]int64{}}
}

// clone is taken before each job of a group so that a job that fails and is
// rolled back to its savepoint also leaves no trace here.
func (p *pending) clone() *pending {
	c := *p
	c.numbers, c.numStart, c.tallies = map[int]int64{}, map[int]int64{}, map[reporting.TallyKey]reporting.Tally{}
	for k, v := range p.numbers {
		c.numbers[k] = v
	}
	for k, v := range p.numStart {
		c.numStart[k] = v
	}
	for k, v := range p.tallies {
		c.tallies[k] = v
	}
	c.groups = make(map[reporting.GroupKey][2]int64, len(p.groups))
	for k, v := range p.groups {
		c.groups[k] = v
	}
	c.statuses = make(map[[2]string]int64, len(p.statuses))
	for k, v := range p.statuses {
		c.statuses[k] = v
	}
	c.jobs = append([]Job(nil), p.jobs...)
	return &c
}

// flush writes what the transaction accumulated. Tally rows are written in
// key order so that concurrent PostgreSQL transactions cannot deadlock.
func (t tx) flush(ctx context.Context) error {
	for year, v := range t.p.numbers {
		if v != t.p.numStart[year] {
			if _, err := t.exec(ctx, "UPDATE number_seq SET value = ? WHERE year = ?", v, year); err != nil {
				return wrap(err)
			}
		}
	}
	keys := make([]reporting.TallyKey, 0, len(t.p.tallies))
	for k, d := range t.p.tallies {
		if d != (reporting.Tally{}) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a.Unit < b.Unit || (a.Unit == b.Unit && a.Day < b.Day)
	})
	for _, k := range keys {
		if err := upsertTally(ctx, t, k, t.p.tallies[k]); err != nil {
			return err
		}
	}
	groups := make([]reporting.GroupKey, 0, len(t.p.groups))
	for k, c := range t.p.groups {
		if c != [2]int64{} {
			groups = append(groups, k)
		}
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		if a.Dim != b.Dim {
			return a.Dim < b.Dim
		}
		return a.Key < b.Key
	})
	for _, k := range groups {
		c := t.p.groups[k]
		for _, table := range []struct{ name, period, value string }{
			{"group_tallies", "day", k.Day}, {"group_tallies_monthly", "month", k.Day[:7]},
		} {
			if _, err := t.exec(ctx, `INSERT INTO `+table.name+`(`+table.period+`, unit_code, dim, key, received, closed)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(`+table.period+`, unit_code, dim, key) DO UPDATE SET
				received = `+table.name+`.received + excluded.received, closed = `+table.name+`.closed + excluded.closed`,
				table.value, k.Unit, k.Dim, k.Key, c[0], c[1]); err != nil {
				return wrap(err)
			}
		}
	}
	statuses := make([][2]string, 0, len(t.p.statuses))
	for k, n := range t.p.statuses {
		if n != 0 {
			statuses = append(statuses, k)
		}
	}
	sort.Slice(statuses, func(i, j int) bool {
		a, b := statuses[i], statuses[j]
		return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1])
	})
	for _, k := range statuses {
		if _, err := t.exec(ctx, `INSERT INTO status_counts(unit_code, status, n) VALUES (?, ?, ?)
			ON CONFLICT(unit_code, status) DO UPDATE SET n = status_counts.n + excluded.n`, k[0], k[1], t.p.statuses[k]); err != nil {
			return wrap(err)
		}
	}
	if len(t.p.jobs) > 0 && t.q != nil {
		if err := t.q.InsertTx(ctx, t.Tx, t.p.jobs); err != nil {
			return wrap(err)
		}
	}
	if t.p.headLoaded && t.p.headSeq != t.p.headStart {
		if _, err := t.exec(ctx, "UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", t.p.headSeq, t.p.headHash); err != nil {
			return wrap(err)
		}
	}
	return nil
}
