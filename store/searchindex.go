package store

import (
	"context"

	"minyi/archive"
	"minyi/textsearch"
)

// A scope is one of the full-text indexes: the archive's, of every item,
// and the online desk's, of its questions. A search that matches a common
// word across a million items and then throws away all but the published
// ones costs time in proportion to the archive, not to the few it is after.
type scope int

const (
	// scopeAll holds every item, for the staff's search; open items carry
	// openTerm besides their words.
	scopeAll scope = iota
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
	scopeDesk: {"desk_fts", "desk_search"},
}

// openTerm is indexed with every open item, so that a search of open
// queues or for duplicates asks the index for its words AND openTerm: the
// index intersects the two lists, which costs in proportion to the
// shorter, instead of reading every item that has the words to find the
// few still open. No text yields it: it is longer than any token
// textsearch makes (textsearch.MaxTokenRunes). A term in the archive's
// index rather than an index of its own, because a second index written
// at intake cost a quarter of the intake rate (BENCHMARKS.md).
const openTerm = "minyi0open0item0minyi0open0item0minyi"

// holds reports whether the scope's index has the item.
func (s scope) holds(it *archive.Item) bool {
	if s == scopeDesk {
		return it.OnDesk()
	}
	return true
}

// tokens are what the scope's index holds of the item.
func (s scope) tokens(it *archive.Item) []string {
	if s == scopeDesk {
		return textsearch.Tokens(it.DeskTitle + "\n" + it.DeskText + "\n" + it.DeskAnswer)
	}
	toks := textsearch.Tokens(it.Title + "\n" + it.Text + "\n" + it.Location.Township + " " + it.Location.Village + " " + it.Location.Address)
	if it.Status.Open() {
		toks = append(toks, openTerm)
	}
	return toks
}

// key tells whether two versions of an item have the same tokens in the
// scope, without tokenising them.
func (s scope) key(it *archive.Item) string {
	if s == scopeDesk {
		return it.DeskTitle + "\x00" + it.DeskText + "\x00" + it.DeskAnswer
	}
	open := "closed"
	if it.Status.Open() {
		open = "open"
	}
	return it.Title + "\x00" + it.Text + "\x00" + it.Location.Township + "\x00" + it.Location.Village + "\x00" + it.Location.Address + "\x00" + open
}

// ftsIndex is one scope's index as the dialect writes it: its table and
// id column; from, the FROM clause joining it to items; id, the indexed
// item's id (ordering by it lets the index stop early); match, the
// condition (one argument); rank, an expression, lower is better; order,
// what orders its matches by id (see postgresIndex); windowMatch, when
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
	for s := range scopeCount {
		was := before != nil && s.holds(before)
		is := s.holds(after)
		changed := before == nil || s.key(before) != s.key(after)
		ix := &db.dialect.indexes[s]
		if was && (!is || changed) {
			ops = append(ops, indexOp{index: ix, remove: true})
		}
		if is && (!was || changed) {
			ops = append(ops, indexOp{index: ix, tokens: db.dialect.indexArg(s.tokens(after))})
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

// publicSQL13 is publicSQL as it was at schema 13, before the desk showed
// a reviewed public version.
const publicSQL13 = "publish = 1 AND status IN ('answered','visited','closed') AND public_reply <> ''"

// fillScopedIndexes brings an archive written before migration 13 up to
// it: open items get openTerm in the archive's index, and the online
// desk's questions their own index. It reads in batches so that reading
// and writing never share a connection's open result.
func fillScopedIndexes(ctx context.Context, t tx) error {
	const batch = 2000
	all, desk := &t.d.indexes[scopeAll], &t.d.indexes[scopeDesk]
	for after := int64(0); ; {
		// The columns as they were at schema 13, not itemColumns: a later
		// migration may add to items, and this step runs before it.
		rows, err := t.QueryContext(ctx, t.d.rebind(`SELECT id, title, body, status, township, village, address,
			publish, public_reply FROM items WHERE id > ? AND (`+openStatusSQL+" OR ("+publicSQL13+")) ORDER BY id LIMIT ?"), after, batch)
		if err != nil {
			return wrap(err)
		}
		var items []archive.Item
		for rows.Next() {
			var it archive.Item
			var publish int
			if err := rows.Scan(&it.ID, &it.Title, &it.Text, &it.Status, &it.Location.Township, &it.Location.Village,
				&it.Location.Address, &publish, &it.PublicReply); err != nil {
				rows.Close()
				return wrap(err)
			}
			it.Publish = publish == 1
			// At schema 13 the desk showed what was written.
			it.DeskTitle, it.DeskText, it.DeskAnswer = it.Title, it.Text, it.PublicReply
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
			it := &items[i]
			var ops []indexOp
			if it.Status.Open() {
				ops = append(ops, indexOp{index: all, remove: true}, indexOp{index: all, tokens: t.d.indexArg(scopeAll.tokens(it))})
			}
			if scopeDesk.holds(it) {
				ops = append(ops, indexOp{index: desk, tokens: t.d.indexArg(scopeDesk.tokens(it))})
			}
			if err := applyIndexChanges(ctx, t, it.ID, ops); err != nil {
				return err
			}
		}
		after = items[len(items)-1].ID
	}
}

// fillDeskVersions brings an archive written before migration 21 up to it:
// each question on the online desk gets as its public version what was
// written (title, question, answer) if that names nobody (archive.Item.CheckDesk);
// one that does leaves the desk and its index until staff review it on the
// moderation page. Its history is unchanged: the citizen's consent stands.
func fillDeskVersions(ctx context.Context, t tx) error {
	const batch = 2000
	desk := &t.d.indexes[scopeDesk]
	for after := int64(0); ; {
		// The columns as they are at schema 21 (see fillScopedIndexes).
		rows, err := t.QueryContext(ctx, t.d.rebind(`SELECT id, title, body, public_reply, anonymous, contact_name,
			contact_phone, contact_id, township, village, address FROM items WHERE id > ? AND (`+publicSQL13+") ORDER BY id LIMIT ?"), after, batch)
		if err != nil {
			return wrap(err)
		}
		var items []archive.Item
		for rows.Next() {
			var it archive.Item
			var anonymous int
			c, l := &it.Contact, &it.Location
			if err := rows.Scan(&it.ID, &it.Title, &it.Text, &it.PublicReply, &anonymous, &c.Name, &c.Phone, &c.IDNumber,
				&l.Township, &l.Village, &l.Address); err != nil {
				rows.Close()
				return wrap(err)
			}
			c.Anonymous = anonymous == 1
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap(err)
		}
		if len(items) == 0 {
			return nil
		}
		for _, it := range items {
			v := it.DeskDraft()
			if len(it.CheckDesk(v)) > 0 {
				if err := applyIndexChanges(ctx, t, it.ID, []indexOp{{index: desk, remove: true}}); err != nil {
					return err
				}
				continue
			}
			if _, err := t.exec(ctx, "UPDATE items SET desk_title = ?, desk_text = ?, desk_answer = ? WHERE id = ?",
				v.Title, v.Text, v.Answer, it.ID); err != nil {
				return wrap(err)
			}
		}
		after = items[len(items)-1].ID
	}
}
