package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"minyi/archive"
)

// The online desk's entries (migration 55): each question on the desk in
// desk_questions by the key of what it asks, one entry per key in
// desk_entries (its newest question, how many asked), and their number in
// desk_entry_count. They are written with the item, in its transaction, so
// the desk's list and count are a read of a few rows however large the
// archive: counting the desk's questions on every page was a third of the
// page's time at 500,000 items (BENCHMARKS.md).

// deskMove is what storing an item does to the online desk's entries,
// worked out before the transaction: the key folds the title's script
// (OpenCC), which is slow and must not hold the writer. The key the item
// leaves is the one stored in desk_questions, read as it is deleted: the
// old title folded today may not give it back, if the folding has changed
// since (a new OpenCC table, a new rule of archive.SameQuestion), and its
// group would then keep counting the item.
type deskMove struct {
	was, is bool   // on the desk before, after
	stays   bool   // on it before and after with the same title and time: nothing moves
	to      string // the question's key after ("": the item's own)
	toAt    int64  // the time of receipt after
}

// deskMoveOf works out the move of storing after, which replaces before
// (nil for a new item).
func deskMoveOf(before, after *archive.Item) deskMove {
	m := deskMove{was: before != nil && before.OnDesk(), is: after.OnDesk()}
	if !m.is {
		return m
	}
	m.stays = m.was && before.DeskTitle == after.DeskTitle && before.ReceivedAt.Equal(after.ReceivedAt)
	if !m.stays {
		m.toAt, m.to = micros(after.ReceivedAt), questionKey(after.DeskTitle)
	}
	return m
}

// questionKey is the key of what a question of this public title asks: a
// hash of archive.SameQuestion, so that the index holds short keys of one
// length whatever the title; "" when the title folds to nothing, and the
// question is then its own (itemKey).
func questionKey(title string) string {
	same := archive.SameQuestion(title)
	if same == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(same))
	return hex.EncodeToString(sum[:16])
}

// itemKey is the key of a question that shares what it asks with no other.
func itemKey(key string, id int64) string {
	if key != "" {
		return key
	}
	return "item:" + strconv.FormatInt(id, 10)
}

// moveDesk applies m to the desk's entries for item id.
func (t tx) moveDesk(ctx context.Context, id int64, m deskMove) error {
	if !m.was && !m.is || m.stays {
		return nil
	}
	// Every item's write takes the hash chain's head; taking it first
	// makes PostgreSQL's writers of the desk take turns, so each reads the
	// others' questions of its key committed before it regroups them.
	if _, _, err := t.chainHead(ctx); err != nil {
		return err
	}
	if m.was {
		var from string
		switch err := t.queryRow(ctx, "DELETE FROM desk_questions WHERE item_id = ? RETURNING question_key", id).Scan(&from); {
		case errors.Is(err, sql.ErrNoRows):
			// Not on the desk's tables after all: no group to leave.
		case err != nil:
			return wrap(err)
		default:
			if err := t.regroupDesk(ctx, from); err != nil {
				return err
			}
		}
	}
	if m.is {
		key := itemKey(m.to, id)
		if _, err := t.exec(ctx, "INSERT INTO desk_questions(item_id, question_key, received_at) VALUES (?, ?, ?)", id, key, m.toAt); err != nil {
			return wrap(err)
		}
		if err := t.regroupDesk(ctx, key); err != nil {
			return err
		}
	}
	return nil
}

// regroupDesk writes the entry of key from its questions: the newest, and
// how many; no entry when none is left. The count of entries follows.
func (t tx) regroupDesk(ctx context.Context, key string) error {
	var asked int64
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM desk_questions WHERE question_key = ?", key).Scan(&asked); err != nil {
		return wrap(err)
	}
	res, err := t.exec(ctx, "DELETE FROM desk_entries WHERE question_key = ?", key)
	if err != nil {
		return wrap(err)
	}
	had, err := res.RowsAffected()
	if err != nil {
		return wrap(err)
	}
	var has int64
	if asked > 0 {
		has = 1
		if _, err := t.exec(ctx, `INSERT INTO desk_entries(question_key, item_id, received_at, asked)
			SELECT question_key, item_id, received_at, ? FROM desk_questions WHERE question_key = ?
			ORDER BY received_at DESC, item_id DESC LIMIT 1`, asked, key); err != nil {
			return wrap(err)
		}
	}
	if has != had {
		if _, err := t.exec(ctx, "UPDATE desk_entry_count SET entries = entries + ? WHERE id = 1", has-had); err != nil {
			return wrap(err)
		}
	}
	return nil
}

// deskEntryLimit bounds a page of the desk's entries.
func deskEntryLimit(limit int) int {
	if limit <= 0 {
		return archive.DefaultLimit
	}
	return min(limit, archive.MaxLimit)
}

// DeskEntries lists the online desk newest first, one entry per question
// asked: the newest of those asking it, with how many did. The entries
// come from their index by time (desk_entries_newest) a page at a time,
// and their count from desk_entry_count. The cursor is a row value
// (where.after): spelled with an OR, SQLite read the index from its newest
// end to the page (a page 50 deep cost 1.3 ms instead of 0.04, and the last
// of 4,600 pages would read them all).
func (db *DB) DeskEntries(ctx context.Context, cursor string, limit int) (archive.DeskItems, error) {
	limit = deskEntryLimit(limit)
	var w where
	if cursor != "" {
		c, err := decodeCursor(cursor, archive.SortNewest)
		if err != nil {
			return archive.DeskItems{}, err
		}
		w.after(descending, "received_at, item_id", c.at, c.id)
	}
	page, err := db.deskItems(ctx, "SELECT item_id, received_at, asked FROM desk_entries"+w.sql()+
		" ORDER BY received_at DESC, item_id DESC LIMIT ?", append(w.args, limit+1), limit)
	if err != nil {
		return page, err
	}
	if err := db.queryRow(ctx, "SELECT COALESCE(SUM(entries), 0) FROM desk_entry_count").Scan(&page.Total); err != nil {
		return page, wrap(err)
	}
	return page, nil
}

// DeskAsked lists, newest first, the questions on the desk of the same key
// as item number's (none when it is not on the desk), and counts them.
func (db *DB) DeskAsked(ctx context.Context, number, cursor string, limit int) (archive.DeskItems, error) {
	limit = deskEntryLimit(limit)
	var key string
	var asked int
	err := db.queryRow(ctx, `SELECT e.question_key, e.asked FROM items
		JOIN desk_questions q ON q.item_id = items.id JOIN desk_entries e ON e.question_key = q.question_key
		WHERE items.number = ?`, number).Scan(&key, &asked)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return archive.DeskItems{Items: []archive.Item{}}, nil
		}
		return archive.DeskItems{}, wrap(err)
	}
	w := where{}
	w.add("question_key = ?", key)
	if cursor != "" {
		c, err := decodeCursor(cursor, archive.SortNewest)
		if err != nil {
			return archive.DeskItems{}, err
		}
		w.after(descending, "received_at, item_id", c.at, c.id)
	}
	page, err := db.deskItems(ctx, "SELECT item_id, received_at, 0 FROM desk_questions"+w.sql()+
		" ORDER BY received_at DESC, item_id DESC LIMIT ?", append(w.args, limit+1), limit)
	page.Total, page.Asked = asked, nil
	return page, err
}

// deskItems reads a page of the desk: q selects (item id, time of receipt,
// how many asked) in the page's order, up to limit+1 so that a next page
// is known; the items are then read by id.
func (db *DB) deskItems(ctx context.Context, q string, args []any, limit int) (archive.DeskItems, error) {
	page := archive.DeskItems{Items: []archive.Item{}}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return page, wrap(err)
	}
	type entry struct{ id, at, asked int64 }
	var entries []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.at, &e.asked); err != nil {
			rows.Close()
			return page, wrap(err)
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, wrap(err)
	}
	if len(entries) > limit {
		entries = entries[:limit]
		last := entries[limit-1]
		page.NextCursor = cursor{at: last.at, id: last.id}.encode(archive.SortNewest)
	}
	if len(entries) == 0 {
		return page, nil
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = strconv.FormatInt(e.id, 10)
	}
	// The ids are the store's own integers, written into the statement:
	// one text per page size, not per page.
	items, err := list(ctx, db, "SELECT "+itemColumns+" FROM items WHERE id IN ("+strings.Join(ids, ",")+")", scanItem)
	if err != nil {
		return page, err
	}
	byID := make(map[int64]archive.Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, e := range entries {
		// An entry whose item has gone (it never does: items are kept)
		// is left out rather than shown empty.
		if it, ok := byID[e.id]; ok {
			page.Items = append(page.Items, it)
			page.Asked = append(page.Asked, int(e.asked))
		}
	}
	return page, nil
}

// fillDeskEntries brings an archive written before migration 55 up to it:
// every question on the desk is keyed by what it asks, and the entries and
// their count are made from them. It reads in batches (see
// fillScopedIndexes) and can run again: it starts from empty tables.
func fillDeskEntries(ctx context.Context, t tx) error {
	for _, q := range []string{"DELETE FROM desk_questions", "DELETE FROM desk_entries", "DELETE FROM desk_entry_count"} {
		if _, err := t.exec(ctx, q); err != nil {
			return wrap(err)
		}
	}
	const batch = 2000
	// In the order of the desk's partial index, from which each batch
	// starts where the last ended (a row value, see DeskEntries): in the
	// order of ids SQLite read every answered item of the archive by
	// status and sorted them, each batch (1,000,000 items: minutes a batch).
	for at, after := int64(-1<<62), int64(0); ; {
		// The columns as they are at schema 55 (see fillScopedIndexes).
		rows, err := t.QueryContext(ctx, t.d.rebind("SELECT id, desk_title, received_at FROM items"+t.d.deskIndex+" WHERE "+publicSQL+
			" AND (received_at, id) > (?, ?) ORDER BY received_at, id LIMIT ?"), at, after, batch)
		if err != nil {
			return wrap(err)
		}
		type question struct {
			id, at int64
			title  string
		}
		var qs []question
		for rows.Next() {
			var q question
			if err := rows.Scan(&q.id, &q.title, &q.at); err != nil {
				rows.Close()
				return wrap(err)
			}
			qs = append(qs, q)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap(err)
		}
		if len(qs) == 0 {
			break
		}
		for _, q := range qs {
			if _, err := t.exec(ctx, "INSERT INTO desk_questions(item_id, question_key, received_at) VALUES (?, ?, ?)",
				q.id, itemKey(questionKey(q.title), q.id), q.at); err != nil {
				return wrap(err)
			}
		}
		at, after = qs[len(qs)-1].at, qs[len(qs)-1].id
	}
	if _, err := t.exec(ctx, `INSERT INTO desk_entries(question_key, item_id, received_at, asked)
		SELECT question_key, item_id, received_at, asked FROM (
			SELECT question_key, item_id, received_at, COUNT(*) OVER (PARTITION BY question_key) AS asked,
				ROW_NUMBER() OVER (PARTITION BY question_key ORDER BY received_at DESC, item_id DESC) AS n
			FROM desk_questions) q
		WHERE n = 1`); err != nil {
		return wrap(err)
	}
	_, err := t.exec(ctx, "INSERT INTO desk_entry_count(id, entries) SELECT 1, COUNT(*) FROM desk_entries")
	return wrap(err)
}
