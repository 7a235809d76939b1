package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"minyi/archive"
)

// searchQuery is a full-text search sorted by relevance or newest first;
// w holds the other filters.
type searchQuery struct {
	index     *ftsIndex
	tokens    []string
	w         where
	sort      string
	limit     int
	cursor    cursor
	hasCursor bool
}

// relevanceCandidates is how many of the newest matches a relevance search
// ranks. Ranking every match of a common word costs time in proportion to
// the archive; ranking the newest few hundred keeps a search as fast at a
// million items as at a thousand, and staff look for recent matters.
// sort=newest pages through all matches.
const relevanceCandidates = 500

// searchWindow is how many of the newest index rows a windowed search reads
// before it falls back to the full-text index (see ftsIndex.windowMatch).
const searchWindow = 5000

// openTermIsStatus reports whether a search of the archive's index (not
// the desk's) asking for f's statuses needs no condition on them: they are
// exactly the open ones, which the archive's index marks with openTerm
// (itemQuery.scope asks for it), written in the same transaction as the
// status. Without a condition on the items, a search of every unit's open
// items is answered by the index alone (searchHits), as the panel of
// similar open items on the item desk is. On PostgreSQL (150,000 items)
// joining the items to test their status made the window's query merge
// the newest 5,000 rows with all 19,459 open items, sorted by id (7 ms
// instead of 2 ms, and 1.7 ms more of planning each time), and the GIN
// index's query fetch the item of every match (4.6 ms instead of 3.1 ms
// for 178 matches): the open items' desk had p95 38–41 ms against 20 ms.
func openTermIsStatus(f archive.Filter) bool {
	if f.Public || len(f.Statuses) == 0 || !allOpen(f.Statuses) {
		return false
	}
	for _, s := range archive.OpenStatuses {
		if !slices.Contains(f.Statuses, s) {
			return false
		}
	}
	return true
}

// search runs a full-text search. Both orders start from the newest
// matches: SQLite's FTS5 yields matches in id order and stops early, so
// one query suffices. PostgreSQL's GIN index yields matches in no order,
// and fetching every match of a common word to sort them costs a second at
// a million items; there the newest searchWindow rows are scanned first,
// which finds a page of matches of any common word, and only a rarer word,
// whose matches are few and cheap to fetch, goes to the index. So on
// PostgreSQL a relevance search of a common word ranks its matches among
// the newest searchWindow items.
func (db *DB) search(ctx context.Context, s searchQuery) (archive.ItemPage, error) {
	if s.index.windowMatch != "" {
		// A window with a page of matches answers the search: relevance
		// then ranks the newest matches within the window. The rule does
		// not depend on the page asked for, so paging stays consistent.
		hits, err := db.searchHits(ctx, s, true)
		if err != nil || len(hits) > s.limit {
			return db.searchPage(ctx, s, hits, err)
		}
	}
	hits, err := db.searchHits(ctx, s, false)
	return db.searchPage(ctx, s, hits, err)
}

// hit is one match: an item id and, for relevance, its rank (lower is better).
type hit struct {
	id   int64
	rank float64
}

// searchHits returns the ids of the newest matches (relevanceCandidates of
// them for relevance, a page and one for newest), through the full-text
// index or, windowed, by scanning the newest rows of the index table.
func (db *DB) searchHits(ctx context.Context, s searchQuery, windowed bool) ([]hit, error) {
	d, ix := db.dialect, s.index
	match, from, id := ix.match, ix.from, "items.id"
	if len(s.w.conds) == 0 {
		// Nothing but the match: the index alone answers, without reading items.
		from, id = ix.table, ix.id
	}
	var args []any
	rank := "0"
	if s.sort == archive.SortRelevance {
		rank = ix.rank
		for range d.rankArgs {
			args = append(args, d.ftsArg(s.tokens))
		}
	}
	if windowed {
		match = ix.windowMatch
		from = strings.Replace(from, ix.table, "(SELECT * FROM "+ix.table+
			cursorCond(s, ix.idColumn)+" ORDER BY "+ix.idColumn+" DESC LIMIT "+strconv.Itoa(searchWindow)+") "+ix.table, 1)
		if s.hasCursor && s.sort == archive.SortNewest {
			args = append(args, s.cursor.id)
		}
	}
	w := s.w
	w.conds = append([]string{match}, w.conds...)
	w.args = append([]any{d.ftsArg(s.tokens)}, w.args...)
	if s.hasCursor && s.sort == archive.SortNewest {
		w.add(ix.id+" < ?", s.cursor.id)
	}
	limit := relevanceCandidates
	if s.sort == archive.SortNewest {
		limit = s.limit + 1
	}
	order := ix.order
	if windowed {
		order = ix.id
	}
	q := "SELECT " + id + ", " + rank + " FROM " + from + w.sql() + " ORDER BY " + order + " DESC LIMIT " + strconv.Itoa(limit)
	rows, err := db.query(ctx, q, append(args, w.args...)...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.id, &h.rank); err != nil {
			return nil, wrap(err)
		}
		hits = append(hits, h)
	}
	return hits, wrap(rows.Err())
}

func cursorCond(s searchQuery, idColumn string) string {
	if s.hasCursor && s.sort == archive.SortNewest {
		return " WHERE " + idColumn + " < ?"
	}
	return ""
}

// searchPage loads the items of one page of hits, in order.
func (db *DB) searchPage(ctx context.Context, s searchQuery, hits []hit, err error) (archive.ItemPage, error) {
	if err != nil {
		return archive.ItemPage{}, err
	}
	offset := 0
	if s.sort == archive.SortRelevance {
		slices.SortStableFunc(hits, func(a, b hit) int {
			switch {
			case a.rank < b.rank:
				return -1
			case a.rank > b.rank:
				return 1
			}
			return 0 // already newest first
		})
		offset = min(s.cursor.offset, len(hits))
	}
	hits = hits[offset:min(len(hits), offset+s.limit+1)]
	page := archive.ItemPage{Items: []archive.Item{}}
	if len(hits) == 0 {
		return page, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = strconv.FormatInt(h.id, 10)
	}
	var w where
	w.in("items.id", ids)
	found, err := db.itemPage(ctx, "SELECT "+itemColumns+" FROM items"+w.sql(), w.args...)
	if err != nil {
		return page, err
	}
	byID := make(map[int64]archive.Item, len(found.Items))
	for _, it := range found.Items {
		byID[it.ID] = it
	}
	for _, h := range hits {
		if it, ok := byID[h.id]; ok {
			page.Items = append(page.Items, it)
		}
	}
	if len(page.Items) > s.limit {
		page.Items = page.Items[:s.limit]
		last := page.Items[s.limit-1]
		next := cursor{id: last.ID, at: micros(last.ReceivedAt), offset: offset + s.limit}
		page.NextCursor = next.encode(s.sort)
	}
	return page, nil
}
