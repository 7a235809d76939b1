package store

import (
	"context"

	"minyi/archive"
)

// A scope is one of the full-text indexes. Every item is in the archive's
// index; open items and the online desk's questions each have a second,
// smaller index of their own, because a search that matches a common word
// across a million items and then throws away all but the open or the
// published ones costs time in proportion to the archive, not to the few
// items it is after.
type scope int

const (
	// scopeAll holds every item, for the staff's search.
	scopeAll scope = iota
	// scopeOpen holds the open items, for the staff's searches of their
	// queues and the item desk's suggestions of duplicates to merge.
	scopeOpen
	// scopeDesk holds the questions on the online desk, and only what the
	// desk shows of them: a citizen's search must not find a question by
	// words that are not on the page, such as an address.
	scopeDesk
	scopeCount
)

// scopeTables names each scope's index table: SQLite's FTS5 table and
// PostgreSQL's table of tsvectors.
var scopeTables = [scopeCount][2]string{
	scopeAll:  {"item_fts", "item_search"},
	scopeOpen: {"open_fts", "open_search"},
	scopeDesk: {"desk_fts", "desk_search"},
}

// holds reports whether the scope's index has the item.
func (s scope) holds(it *archive.Item) bool {
	switch s {
	case scopeOpen:
		return it.Status.Open()
	case scopeDesk:
		return it.OnDesk()
	}
	return true
}

// text is what the scope's index searches of the item.
func (s scope) text(it *archive.Item) string {
	if s == scopeDesk {
		return it.Title + "\n" + it.Text + "\n" + it.PublicReply
	}
	return it.Title + "\n" + it.Text + "\n" + it.Location.Township + " " + it.Location.Village + " " + it.Location.Address
}

// ftsIndex is one scope's index as the dialect writes it: its table and
// id column; from, the FROM clause joining it to items; id, the indexed
// item's id (ordering by it lets the index stop early); match, the
// condition (one argument); rank, an expression, lower is better; order,
// what orders its matches by id (see dialect.indexOrder); windowMatch, when
// set, match written so that the planner reads the newest rows of the
// table instead of the index (see DB.search); insert and remove, the
// statements that add an item's tokens and take them out.
type ftsIndex struct {
	table, idColumn                           string
	from, id, match, rank, order, windowMatch string
	insert, remove                            string
}

// indexOp is one change to an index: tokens added for an item, or its
// tokens taken out.
type indexOp struct {
	index  *ftsIndex
	remove bool
	tokens any
}

// indexChanges works out what storing after (which replaces before, nil
// for a new item) does to the search indexes. It runs before the
// transaction: tokenising is slow (OpenCC) and must not hold the writer.
func (db *DB) indexChanges(before, after *archive.Item) []indexOp {
	var ops []indexOp
	tokens := map[string]any{} // two scopes share a text
	for s := range scopeCount {
		was := before != nil && s.holds(before)
		is := s.holds(after)
		changed := before == nil || s.text(before) != s.text(after)
		ix := &db.dialect.indexes[s]
		if was && (!is || changed) {
			ops = append(ops, indexOp{index: ix, remove: true})
		}
		if is && (!was || changed) {
			text := s.text(after)
			tok, ok := tokens[text]
			if !ok {
				tok = db.dialect.indexArg(text)
				tokens[text] = tok
			}
			ops = append(ops, indexOp{index: ix, tokens: tok})
		}
	}
	return ops
}

// applyIndexChanges writes the changes worked out by indexChanges for item id.
func applyIndexChanges(ctx context.Context, t tx, id int64, ops []indexOp) error {
	for _, op := range ops {
		var err error
		if op.remove {
			_, err = t.exec(ctx, op.index.remove, id)
		} else {
			_, err = t.exec(ctx, op.index.insert, id, op.tokens)
		}
		if err != nil {
			return wrap(err)
		}
	}
	return nil
}

// fillScopedIndexes fills the indexes of open items and of the online desk
// for an archive written before they existed (migration 13), in batches so
// that reading and writing never share a connection's open result.
func fillScopedIndexes(ctx context.Context, t tx) error {
	const batch = 2000
	for after := int64(0); ; {
		rows, err := t.QueryContext(ctx, t.d.rebind("SELECT "+itemColumns+" FROM items WHERE id > ? AND ("+
			openStatusSQL+" OR (publish = 1 AND public_reply <> '')) ORDER BY id LIMIT ?"), after, batch)
		if err != nil {
			return wrap(err)
		}
		var items []archive.Item
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				rows.Close()
				return wrap(err)
			}
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap(err)
		}
		if len(items) == 0 {
			return nil
		}
		for i := range items {
			for _, s := range []scope{scopeOpen, scopeDesk} {
				if !s.holds(&items[i]) {
					continue
				}
				if _, err := t.exec(ctx, t.d.indexes[s].insert, items[i].ID, t.d.indexArg(s.text(&items[i]))); err != nil {
					return wrap(err)
				}
			}
		}
		after = items[len(items)-1].ID
	}
}
