package store

import (
	"context"
	"encoding/base64"
	"slices"
	"sort"
	"strconv"
	"strings"

	"minyi"
	"minyi/textsearch"
)

// The ledgers (volunteer activities, service points) share how they are
// searched and paged: a table of each record's distinct search tokens, and
// a cursor of the last row's sort key and id.

// ledgerTerms returns the distinct tokens to index for text.
func ledgerTerms(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range textsearch.Tokens(text) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// writeTerms replaces the search tokens of record id in table (whose
// record column is col).
func writeTerms(ctx context.Context, t tx, table, col string, id int64, terms []string) error {
	if _, err := t.exec(ctx, "DELETE FROM "+table+" WHERE "+col+" = ?", id); err != nil {
		return wrap(err)
	}
	return insertTerms(ctx, t, table, col, id, terms)
}

// insertTerms adds the search tokens terms of record id to table (whose
// record column is col).
func insertTerms(ctx context.Context, t tx, table, col string, id int64, terms []string) error {
	// Terms go in rows of a fixed number per statement: a long text has
	// thousands of terms, and one statement each would hold the single
	// writer (SQLite) or cost a round trip each (PostgreSQL). Two sizes
	// keep the prepared statements two, whatever the text.
	const chunk = 50
	for len(terms) > 0 {
		n := 1
		if len(terms) >= chunk {
			n = chunk
		}
		args := make([]any, 0, 2*n)
		for _, term := range terms[:n] {
			args = append(args, term, id)
		}
		q := "INSERT INTO " + table + "(term, " + col + ") VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ")
		if _, err := t.exec(ctx, q, args...); err != nil {
			return wrap(err)
		}
		terms = terms[n:]
	}
	return nil
}

// probeTerms restricts w to the records of idCol (qualified with its
// table) that have every token of terms, tested record by record through
// the (term, record) key: for a search that matches many records, whose
// list then reads the records in its order and tests each until a page is
// full, instead of gathering every match first (a list of 125,000 ids for
// a township's name among 1,000,000 one-stop cases).
func probeTerms(w *where, terms []string, table, col, idCol string) {
	for _, term := range terms {
		w.add("EXISTS (SELECT 1 FROM "+table+" WHERE term = ? AND "+col+" = "+idCol+")", term)
	}
}

// defaultSearchTotalCap is the most matches of a search that a list
// counts exactly (register.Page.TotalCapped) unless SetSearchTotalCap says
// otherwise: an exact count of a word found in half of 1,000,000 one-stop
// cases is a count of half the register (4–5 s on SQLite), where a page of
// it costs a few milliseconds; so, as Elasticsearch's track_total_hits, a
// search stops counting after the cap and says "more than". With more
// matches than this a list reads its rows in its order testing each, and
// a page of 20 is full after about 20 × rows ÷ matches rows read. So the
// cap weighs the count (its cost grows with the cap: the benchmark's
// searches took about twice as long at 1,000 as at 500, and again at
// 2,000) against the page of a search just above it (20,000 cases read at
// 1,000,000 with a cap of 1,000, twice that at 500).
const defaultSearchTotalCap = 1000

// SetSearchTotalCap sets the most matches of a search that this
// database's lists count (register.Page.TotalCapped); 0 restores the
// default, 1,000. The tests set a few, to try both ways on few records.
func (db *DB) SetSearchTotalCap(n int) { db.searchCap.Store(int64(n)) }

// searchTotalCap is the most matches of a search that a list counts.
func (db *DB) searchTotalCap() int {
	if n := db.searchCap.Load(); n > 0 {
		return int(n)
	}
	return defaultSearchTotalCap
}

// termSearch is a ledger's full-text search: its records' table (with an
// id column) and the table of their distinct tokens (term, col). indexed
// says that every condition of the list's other filters reads an index of
// the records (a status, a unit: not a test of another table per record).
type termSearch struct {
	records, table, col string
	indexed             bool
}

// searchList restricts w, a list's filter without its cursor, to the records
// that have every word of q, and counts them, up to the cap: every ledger's
// list with words counts so (countList, docs/API.md on total_capped). It
// finds the matches from the postings of the query's rarest token, each
// tested for the other tokens and for w, and stops after one more than the
// cap; so a search costs at most the cap's matches, or the rarest token's
// postings when fewer match. When even the rarest token is in more records
// than the cap and the other filters read an index (s.indexed), the
// matches are found from the records those select instead, each tested for
// the tokens through their key: the index is read, not a record fetched per
// posting to test the filter (cases?q=乌兰镇&status=open: 23 → 7 ms at
// 1,000,000 cases). When more match than the cap (capped) the total is the
// cap and w tests each record for the tokens, for a list that reads its
// records in order; otherwise the total is exact and w names the matches.
// A query with no searchable word (only punctuation, say) matches nothing,
// as the items' search does, rather than everything.
func (db *DB) searchList(ctx context.Context, w *where, q string, s termSearch) (total int, capped bool, err error) {
	terms := textsearch.Query(q)
	if len(terms) == 0 {
		w.add("1 = 0")
		return 0, false, nil
	}
	fewest := -1 // unknown
	if len(terms) > 1 || (s.indexed && len(w.conds) > 0) {
		if terms, fewest, err = db.rarestFirst(ctx, s, terms); err != nil {
			return 0, false, err
		}
	}
	var query string
	var args []any
	if s.indexed && len(w.conds) > 0 && fewest > db.searchTotalCap() {
		m := where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
		probeTerms(&m, terms, s.table, s.col, s.records+".id")
		query, args = "SELECT "+s.records+".id FROM "+s.records+m.sql(), m.args
	} else {
		query, args = db.postings(s, terms, *w)
	}
	return db.countMatches(ctx, w, query, args, terms, s)
}

// countMatches runs query (with args), the ids of the records of s that
// match a search of terms and w, up to one more than the cap, and
// restricts w to them: when more than the cap match it answers the cap
// and capped, and w tests each record for the tokens, for a list that
// reads its records in order; otherwise the exact count, and w names the
// matches.
func (db *DB) countMatches(ctx context.Context, w *where, query string, args []any, terms []string, s termSearch) (total int, capped bool, err error) {
	most := db.searchTotalCap()
	rows, err := db.query(ctx, query+" LIMIT ?", append(args, most+1)...)
	if err != nil {
		return 0, false, wrap(err)
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, false, wrap(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return 0, false, wrap(err)
	}
	switch {
	case len(ids) > most:
		probeTerms(w, terms, s.table, s.col, s.records+".id")
		return most, true, nil
	case len(ids) == 0:
		w.add("1 = 0")
		return 0, false, nil
	}
	// The list of matches is padded to a power of two with its last id, so
	// that the statements prepared for it are eleven at most, not one per
	// count (pgx keeps each connection's).
	n := len(ids)
	for size := 1; ; size *= 2 {
		if size >= n {
			for len(ids) < size {
				ids = append(ids, ids[n-1])
			}
			break
		}
	}
	w.add(s.records+".id IN ("+placeholders(len(ids))+")", ids...)
	return n, false, nil
}

// countList counts a ledger's list, w its filter without its cursor: with
// words as searchList does (restricting w to them, up to the cap); without,
// every record w selects, row by row — filters alone are always counted
// exactly, since reports link to filtered lists whose counts must match
// their figures.
func (db *DB) countList(ctx context.Context, w *where, q string, s termSearch) (total int, capped bool, err error) {
	if strings.TrimSpace(q) != "" {
		return db.searchList(ctx, w, q, s)
	}
	total, err = db.ledgerCount(ctx, s.records, *w)
	return total, false, err
}

// postings is the query of the records of s that have every token of
// terms and pass w, read from the postings of terms[0], each tested for
// the other tokens and for w (whose unqualified columns are the records'
// table's, the innermost).
func (db *DB) postings(s termSearch, terms []string, w where) (string, []any) {
	query := "SELECT t0." + s.col + " FROM " + s.table + " t0 WHERE t0.term = ?"
	args := []any{terms[0]}
	for i, term := range terms[1:] {
		t := "t" + strconv.Itoa(i+1)
		query += " AND EXISTS (SELECT 1 FROM " + s.table + " " + t + " WHERE " + t + ".term = ? AND " + t + "." + s.col + " = t0." + s.col + ")"
		args = append(args, term)
	}
	if len(w.conds) > 0 {
		query += " AND EXISTS (SELECT 1 FROM " + s.records + " WHERE " + s.records + ".id = t0." + s.col + " AND " +
			strings.Join(w.conds, " AND ") + ")"
		args = append(args, w.args...)
	}
	return query, args
}

// rarestFirst orders terms by how many records of s have each, fewest
// first, each counted up to one more than the cap (one short range of the
// (term, record) key each, in one statement), and answers the fewest: a
// search then reads the postings of its rarest token, not of a word in
// every record.
func (db *DB) rarestFirst(ctx context.Context, s termSearch, terms []string) ([]string, int, error) {
	parts := make([]string, len(terms))
	args := make([]any, 0, 2*len(terms))
	for i, term := range terms {
		parts[i] = "(SELECT COUNT(*) FROM (SELECT 1 FROM " + s.table + " WHERE term = ? LIMIT ?) p" + strconv.Itoa(i) + ")"
		args = append(args, term, db.searchTotalCap()+1)
	}
	counts := make([]int64, len(terms))
	dest := make([]any, len(terms))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := db.queryRow(ctx, "SELECT "+strings.Join(parts, ", "), args...).Scan(dest...); err != nil {
		return nil, 0, wrap(err)
	}
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return counts[order[a]] < counts[order[b]] })
	out := make([]string, len(terms))
	for i, j := range order {
		out[i] = terms[j]
	}
	return out, int(counts[order[0]]), nil
}

// ledgerCursor is a position in a ledger's list: the sort key and id of the
// last row shown.
type ledgerCursor struct {
	key string
	id  int64
}

func (c ledgerCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.key + ":" + strconv.FormatInt(c.id, 10)))
}

func decodeLedgerCursor(s string) (ledgerCursor, error) {
	bad := minyi.Invalid("cursor", "翻页标记无效", "cursor is not valid")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ledgerCursor{}, bad
	}
	// The id follows the last colon: a key may hold colons (a booking's
	// "2021-09-14 12:00").
	i := strings.LastIndexByte(string(raw), ':')
	if i < 0 {
		return ledgerCursor{}, bad
	}
	key, id := string(raw[:i]), string(raw[i+1:])
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return ledgerCursor{}, bad
	}
	return ledgerCursor{key, n}, nil
}

// ledgerCount returns how many rows of from match w.
func (db *DB) ledgerCount(ctx context.Context, from string, w where) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM "+from+w.sql(), w.args...).Scan(&n)
	return n, wrap(err)
}

// idCursor is the cursor of a list newest first by id, after the row id.
func idCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// afterIDCursor restricts w to the rows after cursor (idCursor) in a list
// newest first by id.
func afterIDCursor(w *where, cursor string) error {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	id, perr := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || perr != nil || id <= 0 {
		return minyi.Invalid("cursor", "翻页标记无效", "cursor is not valid")
	}
	w.add("id < ?", id)
	return nil
}
