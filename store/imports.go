package store

import (
	"context"
	"database/sql"
	"strconv"

	"minyi"
	"minyi/eventlog"
	"minyi/indicator"
	"minyi/ledgerimport"
	"minyi/matter"
	"minyi/measure"
	"minyi/publicity"
	"minyi/servicepoint"
	"minyi/volunteer"
)

// createAll writes n records in one transaction, each by create, the code
// that writes one record in a transaction of its own (joined here through
// withTx), then the events of also; their plain INSERTs go many rows to a
// statement (insertBuffer).
func (db *DB) createAll(ctx context.Context, n int, create func(ctx context.Context, t tx, i int) error, also []eventlog.Event) error {
	return db.inTx(ctx, func(t tx) error {
		if err := importedBefore(ctx, t, also); err != nil {
			return err
		}
		t.rows = newInsertBuffer()
		in := withTx(ctx, t)
		for i := 0; i < n; i++ {
			if err := create(in, t, i); err != nil {
				return err
			}
		}
		if err := appendLog(ctx, t, also); err != nil {
			return err
		}
		return t.rows.flush(ctx, t)
	})
}

// CreateActivities stores every activity as CreateActivity does, then the
// events of also, in one transaction.
func (db *DB) CreateActivities(ctx context.Context, as []*volunteer.Activity, also []eventlog.Event) error {
	return db.createAll(ctx, len(as), func(ctx context.Context, _ tx, i int) error { return db.CreateActivity(ctx, as[i]) }, also)
}

// CreatePoints stores every point as CreatePoint does, then the events of
// also, in one transaction.
func (db *DB) CreatePoints(ctx context.Context, ps []*servicepoint.Point, also []eventlog.Event) error {
	return db.createAll(ctx, len(ps), func(ctx context.Context, _ tx, i int) error { return db.CreatePoint(ctx, ps[i]) }, also)
}

// CreateEntries stores every indicator entry as CreateEntry does, then the
// events of also, in one transaction.
func (db *DB) CreateEntries(ctx context.Context, es []*indicator.Entry, also []eventlog.Event) error {
	return db.createAll(ctx, len(es), func(ctx context.Context, _ tx, i int) error { return db.CreateEntry(ctx, es[i]) }, also)
}

// CreatePieces stores every publicity piece as CreatePiece does, then the
// events of also, in one transaction.
func (db *DB) CreatePieces(ctx context.Context, ps []*publicity.Piece, also []eventlog.Event) error {
	return db.createAll(ctx, len(ps), func(ctx context.Context, _ tx, i int) error { return db.CreatePiece(ctx, ps[i]) }, also)
}

// CreateMeasures stores every measure as CreateMeasure does followed by its
// history (events of the lifecycle taken on it before it was recorded here,
// whose record is filled in once the measure has its id), then the events
// of also, in one transaction.
func (db *DB) CreateMeasures(ctx context.Context, ms []*measure.Measure, history [][]eventlog.Event, also []eventlog.Event) error {
	return db.createAll(ctx, len(ms), func(ctx context.Context, t tx, i int) error {
		if err := db.CreateMeasure(ctx, ms[i]); err != nil {
			return err
		}
		return appendHistory(ctx, t, ms[i].ID, history[i])
	}, also)
}

// CreateMatters stores every matter as CreateMatter does followed by its
// history (as CreateMeasures), then the events of also, in one
// transaction.
func (db *DB) CreateMatters(ctx context.Context, ms []*matter.Matter, history [][]eventlog.Event, also []eventlog.Event) error {
	return db.createAll(ctx, len(ms), func(ctx context.Context, t tx, i int) error {
		if err := db.CreateMatter(ctx, ms[i]); err != nil {
			return err
		}
		return appendHistory(ctx, t, ms[i].ID, history[i])
	}, also)
}

// importedBefore refuses an import (an event of also of register imports)
// whose file was imported before. It asks under the lock of the log's head,
// which every writer takes, so that of two imports of one file at once,
// on any number of servers, the second finds the first.
func importedBefore(ctx context.Context, t tx, also []eventlog.Event) error {
	for _, e := range also {
		if e.Register != ledgerimport.Register {
			continue
		}
		if _, _, err := t.chainHead(ctx); err != nil {
			return err
		}
		var one int
		err := t.queryRow(ctx, "SELECT 1 FROM events WHERE register = ? AND record_id = ? AND record = ?", e.Register, e.RecordID, e.Record).Scan(&one)
		switch {
		case err == nil:
			return minyi.Errorf(minyi.EConflict, "此文件已导入过，未重复导入 / this file was imported before; it is not imported again")
		case err != sql.ErrNoRows:
			return wrap(err)
		}
	}
	return nil
}

// appendHistory appends the events of the record id, decided before it had
// one.
func appendHistory(ctx context.Context, t tx, id int64, events []eventlog.Event) error {
	if len(events) == 0 {
		return nil
	}
	for i := range events {
		events[i].RecordID, events[i].Record = id, strconv.FormatInt(id, 10)
	}
	return appendLog(ctx, t, events)
}

// Imported returns the event of an earlier import of the file whose
// SHA-256 is sum, if there was one.
func (db *DB) Imported(ctx context.Context, sum string) (eventlog.Event, bool, error) {
	e, err := scanLogEvent(db.queryRow(ctx, "SELECT "+eventColumns+" FROM events WHERE register = ? AND record_id = ? AND record = ? ORDER BY seq LIMIT 1",
		ledgerimport.Register, ledgerimport.RecordID(sum), sum))
	if err == sql.ErrNoRows {
		return eventlog.Event{}, false, nil
	}
	if err != nil {
		return eventlog.Event{}, false, wrap(err)
	}
	return e, true, nil
}
