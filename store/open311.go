package store

import (
	"context"
	"strings"
	"time"

	"minyi/archive"
)

// open311SQL selects the items readable through Open311
// (archive.Item.Open311Visible). It starts with the exact words of the
// partial index items_open311 (migration 0008): planners use a partial
// index only when the query repeats its condition; the second condition
// keeps a desk question off until its public version is published.
const open311SQL = "(channel = 'open311' OR (publish = 1 AND status IN ('answered','visited','closed'))) AND (channel = 'open311' OR desk_answer <> '')"

// publicEventSQL keeps the events archive.Event.PublicView shows.
var publicEventSQL = func() string {
	private := make([]string, len(archive.PrivateEvents))
	for i, t := range archive.PrivateEvents {
		private[i] = "'" + string(t) + "'"
	}
	return "events.type NOT IN (" + strings.Join(private, ",") + ") AND (events.type NOT IN ('" +
		string(archive.EventReplied) + "','" + string(archive.EventAnswered) + "') OR events.public = 1)"
}()

// Open311Events returns the public events of the items readable through
// Open311 that happened in f's window, by sequence, each with its item's
// channel, contact and location for archive's privacy check. The window is read
// through the index on events(at).
func (db *DB) Open311Events(ctx context.Context, f archive.EventFilter) ([]archive.Open311Event, error) {
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	cols := "events." + strings.ReplaceAll(eventColumns, ", ", ", events.")
	q := "SELECT " + cols + ", items.channel, items.anonymous, items.contact_name, items.contact_phone, items.contact_id, " +
		"items.township, items.village, items.address FROM events" + db.dialect.eventsAtIndex + " JOIN items ON items.id = events.record_id WHERE events.at >= ? AND events.at < ? AND " +
		"events.register = '" + archive.Register + "' AND " +
		publicEventSQL + " AND " + open311SQL + " ORDER BY events.seq LIMIT ? OFFSET ?"
	scan := func(s scanner) (archive.Open311Event, error) {
		var oe archive.Open311Event
		var anonymous int
		var err error
		oe.Event, err = scanEvent(scanAlso{s, []any{&oe.Channel, &anonymous, &oe.Contact.Name, &oe.Contact.Phone,
			&oe.Contact.IDNumber, &oe.Location.Township, &oe.Location.Village, &oe.Location.Address}})
		oe.Contact.Anonymous = anonymous == 1
		return oe, err
	}
	return list(ctx, db, q, scan, micros(f.From), micros(f.To), f.Limit, max(f.Offset, 0))
}

// PublicUpdated returns when each of the items ids last had an event
// citizens may see. It reads each item's events through the index on
// events(register, record_id): the cost is the page's, whatever the archive's size.
func (db *DB) PublicUpdated(ctx context.Context, ids []int64) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	q := "SELECT record_id, MAX(at) FROM events WHERE " + itemEventsSQL + " IN (" + placeholders(len(ids)) + ") AND " +
		publicEventSQL + " GROUP BY record_id"
	rows, err := db.query(ctx, q, anys(ids)...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, wrap(err)
		}
		out[id] = fromMicros(at)
	}
	return out, wrap(rows.Err())
}
