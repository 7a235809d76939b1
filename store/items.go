package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"minyi/archive"
	"minyi/calendar"
)

const itemColumns = `items.id, number, version, kind, channel, channel_detail, class, category, title, body,
	status, unit_code, assignee, anonymous, contact_name, contact_phone, contact_id, township, village, address,
	lat, lng, share_location, publish, received_at, entered_at, due_at, calendar_gap, responded_at,
	answered_at, on_time, closed_at, satisfaction, returns, redos, extensions, supervisions, pending, merged_into, public_reply,
	access_hash, updated_at, desk_title, desk_text, desk_answer`

func scanItem(s scanner) (archive.Item, error) {
	var it archive.Item
	var anonymous, share, publish, gap, onTime int
	var received, entered, due, updated int64
	var responded, answered, closed sql.NullInt64
	var lat, lng sql.NullFloat64
	var pending string
	err := s.Scan(&it.ID, &it.Number, &it.Version, &it.Kind, &it.Channel, &it.ChannelDetail, &it.Class,
		&it.CategoryCode, &it.Title, &it.Text, &it.Status, &it.UnitCode, &it.Assignee, &anonymous, &it.Contact.Name,
		&it.Contact.Phone, &it.Contact.IDNumber, &it.Location.Township, &it.Location.Village,
		&it.Location.Address, &lat, &lng, &share, &publish, &received, &entered, &due, &gap, &responded, &answered,
		&onTime, &closed, &it.Satisfaction, &it.Returns, &it.Redos, &it.Extensions, &it.Supervisions,
		&pending, &it.MergedInto, &it.PublicReply, &it.AccessHash, &updated, &it.DeskTitle, &it.DeskText, &it.DeskAnswer)
	if err != nil {
		return it, err
	}
	it.Contact.Anonymous, it.Publish, it.CalendarGap, it.OnTime = anonymous == 1, publish == 1, gap == 1, onTime == 1
	it.Location.ShareLocation = share == 1
	it.ReceivedAt, it.EnteredAt = fromMicros(received), fromMicros(entered)
	it.DueAt, it.UpdatedAt = fromMicros(due), fromMicros(updated)
	it.RespondedAt, it.AnsweredAt, it.ClosedAt = timePtr(responded), timePtr(answered), timePtr(closed)
	if lat.Valid && lng.Valid {
		it.Location.Lat, it.Location.Lng = &lat.Float64, &lng.Float64
	}
	if pending != "" {
		it.Pending = new(archive.Extension)
		if err := json.Unmarshal([]byte(pending), it.Pending); err != nil {
			return it, fmt.Errorf("item %s: pending extension: %w", it.Number, err)
		}
	}
	return it, nil
}

// itemBriefColumns are the columns of an item Brief (archive.Item.Brief),
// in the order scanItemBrief reads them.
const itemBriefColumns = `items.id, number, kind, channel, class, category, title, body, status, unit_code,
	contact_name, contact_phone, township, village, received_at, entered_at, due_at, answered_at, on_time, closed_at,
	satisfaction, public_reply`

// scanItemBrief reads a row of itemBriefColumns into an item Brief, by r,
// which holds the row's values (newAnyRow).
func scanItemBrief(r *anyRow, s scanner) (archive.Item, error) {
	if err := r.scan(s); err != nil {
		return archive.Item{}, err
	}
	it := archive.Item{ID: r.integer(0), Number: r.text(1), Kind: archive.Kind(r.text(2)), Channel: archive.Channel(r.text(3)),
		Class: archive.Class(r.text(4)), CategoryCode: r.text(5), Title: r.text(6), Text: r.text(7),
		Status: archive.Status(r.text(8)), UnitCode: r.text(9),
		Contact:    archive.Contact{Name: r.text(10), Phone: r.text(11)},
		Location:   archive.Location{Township: r.text(12), Village: r.text(13)},
		ReceivedAt: fromMicros(r.integer(14)), EnteredAt: fromMicros(r.integer(15)), DueAt: fromMicros(r.integer(16)),
		AnsweredAt: r.moment(17), OnTime: r.integer(18) == 1, ClosedAt: r.moment(19),
		Satisfaction: archive.Satisfaction(r.text(20)), PublicReply: r.text(21)}
	return it, r.err
}

// itemValues are the columns CreateItem and UpdateItem write, in itemColumns
// order after id and number.
func itemValues(it *archive.Item) []any {
	pending := ""
	if it.Pending != nil {
		b, _ := json.Marshal(it.Pending)
		pending = string(b)
	}
	var lat, lng any
	if it.Location.Lat != nil && it.Location.Lng != nil {
		lat, lng = *it.Location.Lat, *it.Location.Lng
	}
	return []any{it.Version, it.Kind, it.Channel, it.ChannelDetail, it.Class, it.CategoryCode, it.Title,
		it.Text, it.Status, it.UnitCode, it.Assignee, boolInt(it.Contact.Anonymous), it.Contact.Name, it.Contact.Phone,
		it.Contact.IDNumber, it.Location.Township, it.Location.Village, it.Location.Address, lat, lng,
		boolInt(it.Location.ShareLocation), boolInt(it.Publish), micros(it.ReceivedAt), micros(it.EnteredAt),
		micros(it.DueAt), boolInt(it.CalendarGap), nullMicros(it.RespondedAt), nullMicros(it.AnsweredAt), boolInt(it.OnTime), nullMicros(it.ClosedAt),
		it.Satisfaction, it.Returns, it.Redos, it.Extensions, it.Supervisions, pending, it.MergedInto,
		it.PublicReply, it.AccessHash, micros(it.UpdatedAt), it.DeskTitle, it.DeskText, it.DeskAnswer}
}

const itemSetColumns = `version, kind, channel, channel_detail, class, category, title, body, status,
	unit_code, assignee, anonymous, contact_name, contact_phone, contact_id, township, village, address, lat, lng,
	share_location, publish, received_at, entered_at, due_at, calendar_gap, responded_at, answered_at,
	on_time, closed_at, satisfaction, returns, redos, extensions, supervisions, pending, merged_into, public_reply,
	access_hash, updated_at, desk_title, desk_text, desk_answer`

// CreateItem stores a new item with its events (the received event first),
// photos, search tokens and counters, assigning its ID and its number
// (YYYY-NNNNNN, gapless per year: a missing number would mean a lost item).
func (db *DB) CreateItem(ctx context.Context, it *archive.Item, events []archive.Event, photos []archive.Photo) error {
	// Tokenising is slow (OpenCC); do it before taking the single writer.
	search, desk := db.indexChanges(nil, it), deskMoveOf(nil, it)
	return db.inTx(ctx, func(t tx) error {
		return insertItem(ctx, t, it, events, photos, search, desk, true)
	})
}

// Imported is an item with its whole history, built by the archive rules
// elsewhere (the load generator) and stored in one go.
type Imported struct {
	Item   archive.Item
	Events []archive.Event // oldest first, the received event included
}

// Import stores many items with their histories, batch by batch in few
// transactions. It exists for the load generator and migrations from other
// systems; numbers, counters, search and the hash chain are kept exactly as
// CreateItem and UpdateItem would.
func (db *DB) Import(ctx context.Context, items []Imported) error {
	searches := make([][]indexOp, len(items))
	desks := make([]deskMove, len(items))
	for i := range items {
		searches[i], desks[i] = db.indexChanges(nil, &items[i].Item), deskMoveOf(nil, &items[i].Item)
	}
	return db.inTx(ctx, func(t tx) error {
		for i := range items {
			if err := insertItem(ctx, t, &items[i].Item, items[i].Events, nil, searches[i], desks[i], false); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertItem is the one way an item enters the database, with its search
// tokens and its place on the online desk worked out before the
// transaction. Imported history is not announced: outbound says whether
// its events notify anybody.
func insertItem(ctx context.Context, t tx, it *archive.Item, events []archive.Event, photos []archive.Photo, search []indexOp, desk deskMove, outbound bool) error {
	if it.EnteredAt.IsZero() {
		// History built elsewhere without an entry time was entered when it
		// was received, as migration 15 assumes of the items before it.
		it.EnteredAt = it.ReceivedAt
	}
	for _, use := range it.Counted {
		over, err := t.countUse(ctx, use)
		switch {
		case err != nil:
			return err
		case over && use.Refuse:
			return use.Refusal()
		case over:
			events[0].Notices, it.SMSWithheld = nil, true
		}
	}
	year := it.ReceivedAt.In(calendar.Zone).Year()
	n, err := t.nextNumber(ctx, year)
	if err != nil {
		return err
	}
	it.Number = fmt.Sprintf("%d-%06d", year, n)
	args := append([]any{it.Number}, itemValues(it)...)
	err = t.queryRow(ctx, "INSERT INTO items(number, "+itemSetColumns+") VALUES ("+placeholders(len(args))+") RETURNING id", args...).Scan(&it.ID)
	if err != nil {
		return wrap(err)
	}
	for i := range photos {
		p := &photos[i]
		err := t.queryRow(ctx, "INSERT INTO photos(item_id, content_type, size, sha256, data) VALUES (?, ?, ?, ?, ?) RETURNING id",
			it.ID, p.ContentType, p.Size, p.SHA256, p.Data).Scan(&p.ID)
		if err != nil {
			return wrap(err)
		}
		it.Photos = append(it.Photos, p.PhotoInfo)
	}
	if it.FormKey != "" {
		if err := t.recordForm(ctx, it.FormKey, archive.FormResult{Number: it.Number}, it.UpdatedAt); err != nil {
			return err
		}
	}
	if err := applyIndexChanges(ctx, t, it.ID, search); err != nil {
		return err
	}
	if err := t.moveDesk(ctx, it.ID, desk); err != nil {
		return err
	}
	key, tally := archive.TallyOf(*it)
	t.addTally(key, tally)
	t.addGroups(*it, 1)
	t.countStatus(*it, 1)
	for i := range events {
		events[i].ItemID, events[i].ItemNumber = it.ID, it.Number
	}
	if !outbound {
		return appendEvents(ctx, t, nil, events)
	}
	return appendEvents(ctx, t, it, events)
}

// UpdateItem stores the new state of an item if nobody changed it since
// before was read; otherwise it returns an EConflict error and writes nothing.
func (db *DB) UpdateItem(ctx context.Context, before archive.Item, after *archive.Item, events []archive.Event) error {
	after.Version = before.Version + 1
	search, desk := db.indexChanges(&before, after), deskMoveOf(&before, after)
	return db.inTx(ctx, func(t tx) error {
		args := append(itemValues(after), before.ID, before.Version)
		if err := updateVersioned(ctx, t, "UPDATE items SET "+itemSetClause+" WHERE id = ? AND version = ?", args, func() error {
			var current int
			if err := t.queryRow(ctx, "SELECT version FROM items WHERE id = ?", before.ID).Scan(&current); err != nil {
				return wrap(err)
			}
			return archive.StaleVersion(before.Version, current)
		}); err != nil {
			return err
		}
		if err := applyIndexChanges(ctx, t, after.ID, search); err != nil {
			return err
		}
		if err := t.moveDesk(ctx, after.ID, desk); err != nil {
			return err
		}
		k0, t0 := archive.TallyOf(before)
		k1, t1 := archive.TallyOf(*after)
		moveTally(t, k0, t0, k1, t1)
		t.addGroups(before, -1)
		t.addGroups(*after, 1)
		t.countStatus(before, -1)
		t.countStatus(*after, 1)
		for i := range events {
			events[i].ItemID, events[i].ItemNumber = after.ID, after.Number
			for j := range events[i].Photos {
				// The citizen's addition brings photos: they join the
				// item's in its own transaction.
				p := &events[i].Photos[j]
				err := t.queryRow(ctx, "INSERT INTO photos(item_id, content_type, size, sha256, data) VALUES (?, ?, ?, ?, ?) RETURNING id",
					after.ID, p.ContentType, p.Size, p.SHA256, p.Data).Scan(&p.ID)
				if err != nil {
					return wrap(err)
				}
				after.Photos = append(after.Photos, p.PhotoInfo)
			}
		}
		return appendEvents(ctx, t, after, events)
	})
}

// itemSetClause is "version = ?, kind = ?, …" for UpdateItem.
var itemSetClause = func() string {
	cols := strings.Split(itemSetColumns, ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c) + " = ?"
	}
	return strings.Join(cols, ", ")
}()

// Item returns the item with the given number.
func (db *DB) Item(ctx context.Context, number string) (archive.Item, error) {
	it, err := scanItem(db.queryRow(ctx, "SELECT "+itemColumns+" FROM items WHERE number = ?", number))
	if err == sql.ErrNoRows {
		return it, notFound("件", "item", number)
	} else if err != nil {
		return it, wrap(err)
	}
	rows, err := db.query(ctx, "SELECT id, content_type, size, sha256 FROM photos WHERE item_id = ? ORDER BY id", it.ID)
	if err != nil {
		return it, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p archive.PhotoInfo
		if err := rows.Scan(&p.ID, &p.ContentType, &p.Size, &p.SHA256); err != nil {
			return it, wrap(err)
		}
		it.Photos = append(it.Photos, p)
	}
	return it, wrap(rows.Err())
}

// Photo returns one photo of an item.
func (db *DB) Photo(ctx context.Context, itemID, photoID int64) (archive.Photo, error) {
	var p archive.Photo
	err := db.queryRow(ctx, "SELECT id, content_type, size, sha256, data FROM photos WHERE id = ? AND item_id = ?",
		photoID, itemID).Scan(&p.ID, &p.ContentType, &p.Size, &p.SHA256, &p.Data)
	if err == sql.ErrNoRows {
		return p, notFound("照片", "photo", photoID)
	}
	return p, wrap(err)
}

// nextNumber hands out the next tracking number of a year. The counter row
// is locked on first use (PostgreSQL) and written back at flush, so numbers
// stay unique across servers and gapless.
func (t tx) nextNumber(ctx context.Context, year int) (int64, error) {
	if _, ok := t.p.numbers[year]; !ok {
		if _, err := t.exec(ctx, "INSERT INTO number_seq(year, value) VALUES (?, 0) ON CONFLICT(year) DO NOTHING", year); err != nil {
			return 0, wrap(err)
		}
		var v int64
		if err := t.queryRow(ctx, "SELECT value FROM number_seq WHERE year = ?"+t.d.forUpdate, year).Scan(&v); err != nil {
			return 0, wrap(err)
		}
		t.p.numbers[year], t.p.numStart[year] = v, v
	}
	t.p.numbers[year]++
	return t.p.numbers[year], nil
}
