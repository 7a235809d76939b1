package store

import (
	"context"
	"strings"

	"minyi/archive"
	"minyi/reporting"
)

// The counters of reporting's contract: each record's contribution, kept in
// the record's own transaction.

// moveTally takes an item's old contribution out of the counters and puts
// its new one in.
func moveTally(t tx, k0 reporting.TallyKey, t0 reporting.Tally, k1 reporting.TallyKey, t1 reporting.Tally) {
	var neg reporting.Tally
	neg.Add(t0, -1)
	t.addTally(k0, neg)
	t.addTally(k1, t1)
}

func upsertTally(ctx context.Context, t tx, k reporting.TallyKey, d reporting.Tally) error {
	_, err := t.exec(ctx, `INSERT INTO tallies(unit_code, day, received, valid, responded, answered, on_time,
		closed, visited, satisfied, basic_satisfied, unsatisfied, returned, redone, very_satisfied, very_unsatisfied)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(unit_code, day) DO UPDATE SET
		received = tallies.received + excluded.received, valid = tallies.valid + excluded.valid,
		responded = tallies.responded + excluded.responded, answered = tallies.answered + excluded.answered,
		on_time = tallies.on_time + excluded.on_time, closed = tallies.closed + excluded.closed,
		visited = tallies.visited + excluded.visited, satisfied = tallies.satisfied + excluded.satisfied,
		basic_satisfied = tallies.basic_satisfied + excluded.basic_satisfied,
		unsatisfied = tallies.unsatisfied + excluded.unsatisfied,
		returned = tallies.returned + excluded.returned, redone = tallies.redone + excluded.redone,
		very_satisfied = tallies.very_satisfied + excluded.very_satisfied,
		very_unsatisfied = tallies.very_unsatisfied + excluded.very_unsatisfied`,
		k.Unit, k.Day, d.Received, d.Valid, d.Responded, d.Answered, d.OnTime, d.Closed, d.Visited,
		d.Satisfied, d.BasicSatisfied, d.Unsatisfied, d.Returned, d.Redone, d.VerySatisfied, d.VeryUnsatisfied)
	return wrap(err)
}

// addTally adds d to the counters of key k (written at flush).
func (t tx) addTally(k reporting.TallyKey, d reporting.Tally) {
	cur := t.p.tallies[k]
	cur.Add(d, 1)
	t.p.tallies[k] = cur
}

// countStatus adds sign (±1) to the count of items of it's unit in it's
// status (written at flush).
func (t tx) countStatus(it archive.Item, sign int64) {
	t.p.statuses[[2]string{it.UnitCode, string(it.Status)}] += sign
}

// addGroups adds sign (±1) times item it's contribution to the breakdown
// counters (written at flush).
func (t tx) addGroups(it archive.Item, sign int64) {
	keys, closed := archive.GroupsOf(it)
	for _, k := range keys {
		c := t.p.groups[k]
		c[0] += sign
		c[1] += sign * closed
		t.p.groups[k] = c
	}
}

// copyTallies52 ends SQLite's rebuild of tallies for the five levels: the
// script made tallies_five, and this copies into it every column the old
// table has. A fixed list would leave out very_satisfied and
// very_unsatisfied when the step runs over a table that has them already
// (the migration tests take the version back and run it again), and their
// counts would restart at 0. PostgreSQL adds the columns in place.
func copyTallies52(ctx context.Context, t tx) error {
	if t.d.name != "sqlite" {
		return nil
	}
	rows, err := t.QueryContext(ctx, "SELECT name FROM pragma_table_info('tallies')")
	if err != nil {
		return wrap(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return wrap(err)
		}
		cols = append(cols, `"`+strings.ReplaceAll(c, `"`, `""`)+`"`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap(err)
	}
	list := strings.Join(cols, ", ")
	for _, q := range []string{
		"INSERT INTO tallies_five(" + list + ") SELECT " + list + " FROM tallies",
		"DROP TABLE tallies",
		"ALTER TABLE tallies_five RENAME TO tallies",
	} {
		if _, err := t.ExecContext(ctx, q); err != nil {
			return wrap(err)
		}
	}
	return nil
}
