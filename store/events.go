package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"minyi/archive"
	"minyi/eventlog"
)

const eventColumns = "seq, register, record_id, record, type, actor, at, from_state, to_state, body, public, data, hash_version, prev_hash, hash"

// itemEventsSQL is the condition of an item's events. The index on
// events(register, record_id, seq) serves it: an item's timeline is read
// in order without sorting.
const itemEventsSQL = "events.register = '" + archive.Register + "' AND events.record_id"

// appendEvents appends an item's events to the log and writes the notices
// and webhook deliveries they cause. it is the item after the events, or
// nil when nobody is to be told (imported history).
func appendEvents(ctx context.Context, t tx, it *archive.Item, events []archive.Event) error {
	log := make([]eventlog.Event, len(events))
	for i, e := range events {
		log[i] = e.Log()
	}
	if err := appendLog(ctx, t, log); err != nil {
		return err
	}
	for i := range events {
		events[i].Seq, events[i].PrevHash, events[i].Hash = log[i].Seq, log[i].PrevHash, log[i].Hash
		if it == nil {
			continue
		}
		if err := writeAttachments(ctx, t, it.ID, &events[i]); err != nil {
			return err
		}
		if err := writeOutbound(ctx, t, log[i], it, events[i]); err != nil {
			return err
		}
	}
	return nil
}

// LogEvents appends events of any register to the log in one transaction
// and changes no record: what staff read (an export showing personal data
// in full) is on record in each record's history, while the records, their
// versions and the forms staff have open on them stay as they are.
func (db *DB) LogEvents(ctx context.Context, events []eventlog.Event) error {
	if len(events) == 0 {
		return nil
	}
	return db.inTx(ctx, func(t tx) error { return appendLog(ctx, t, events) })
}

// appendLog chains events of any register onto the log's one hash chain
// (the new head is written when the transaction flushes) and stores them.
func appendLog(ctx context.Context, t tx, events []eventlog.Event) error {
	seq, hash, err := t.chainHead(ctx)
	if err != nil {
		return err
	}
	t.p.headSeq, t.p.headHash = eventlog.Chain(events, seq, hash)
	for _, e := range events {
		data := ""
		if len(e.Data) > 0 {
			b, _ := json.Marshal(e.Data)
			data = string(b)
		}
		_, err := t.exec(ctx, "INSERT INTO events("+eventColumns+") VALUES ("+placeholders(15)+")",
			e.Seq, e.Register, e.RecordID, e.Record, e.Type, e.Actor, micros(e.At), e.From, e.To, e.Body,
			boolInt(e.Public), data, e.HashVersion, e.PrevHash, e.Hash)
		if err != nil {
			return wrap(err)
		}
	}
	return nil
}

// chainHead returns the hash chain's head, locking it on first use.
func (t tx) chainHead(ctx context.Context) (int64, string, error) {
	if !t.p.headLoaded {
		if err := t.queryRow(ctx, "SELECT seq, hash FROM chain_head WHERE id = 1"+t.d.forUpdate).Scan(&t.p.headSeq, &t.p.headHash); err != nil {
			return 0, "", wrap(err)
		}
		t.p.headLoaded, t.p.headStart = true, t.p.headSeq
	}
	return t.p.headSeq, t.p.headHash, nil
}

func scanLogEvent(s scanner) (eventlog.Event, error) {
	var e eventlog.Event
	var at int64
	var public int
	var data string
	if err := s.Scan(&e.Seq, &e.Register, &e.RecordID, &e.Record, &e.Type, &e.Actor, &at, &e.From, &e.To, &e.Body,
		&public, &data, &e.HashVersion, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	e.At, e.Public = fromMicros(at), public == 1
	if data != "" {
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return e, fmt.Errorf("event %d: data: %w", e.Seq, err)
		}
	}
	return e, nil
}

func scanEvent(s scanner) (archive.Event, error) {
	e, err := scanLogEvent(s)
	return archive.EventOf(e), err
}

// ItemEvents returns an item's events, oldest first.
func (db *DB) ItemEvents(ctx context.Context, itemID int64) ([]archive.Event, error) {
	rows, err := db.query(ctx, "SELECT "+eventColumns+" FROM events WHERE "+itemEventsSQL+" = ? ORDER BY seq", itemID)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []archive.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, e)
	}
	return out, wrap(rows.Err())
}

// countActorRecords is CountActorRecords' query: one range of the index
// events_actor (actor, register, type, at, record_id), which holds all it
// reads, rather than every event of the period through events_at.
const countActorRecords = `SELECT COUNT(DISTINCT record_id) FROM events WHERE actor = ? AND register = ? AND type = ?
	AND at >= ? AND at < ?`

// CountActorRecords counts the records of register that actor gave an
// event of type typ at a time in [from, to) (archive.ActorEvents).
func (db *DB) CountActorRecords(ctx context.Context, register, typ, actor string, from, to time.Time) (int64, error) {
	var n int64
	err := db.queryRow(ctx, countActorRecords, actor, register, typ, micros(from), micros(to)).Scan(&n)
	return n, wrap(err)
}
