package store

import (
	"context"

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
		closed, visited, satisfied, basic_satisfied, unsatisfied, returned, redone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(unit_code, day) DO UPDATE SET
		received = tallies.received + excluded.received, valid = tallies.valid + excluded.valid,
		responded = tallies.responded + excluded.responded, answered = tallies.answered + excluded.answered,
		on_time = tallies.on_time + excluded.on_time, closed = tallies.closed + excluded.closed,
		visited = tallies.visited + excluded.visited, satisfied = tallies.satisfied + excluded.satisfied,
		basic_satisfied = tallies.basic_satisfied + excluded.basic_satisfied,
		unsatisfied = tallies.unsatisfied + excluded.unsatisfied,
		returned = tallies.returned + excluded.returned, redone = tallies.redone + excluded.redone`,
		k.Unit, k.Day, d.Received, d.Valid, d.Responded, d.Answered, d.OnTime, d.Closed, d.Visited,
		d.Satisfied, d.BasicSatisfied, d.Unsatisfied, d.Returned, d.Redone)
	return wrap(err)
}
