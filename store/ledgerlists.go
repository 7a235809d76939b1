package store

import (
	"context"
	"encoding/base64"
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

// searchTerms restricts w to the records of idCol whose tokens in table
// (record column col) include every token of the query q, in either script.
// A query with no searchable word (only punctuation, say) matches nothing,
// as the items' and the matters' searches do, rather than everything.
func searchTerms(w *where, q, table, col, idCol string) {
	terms := textsearch.Query(q)
	if strings.TrimSpace(q) != "" && len(terms) == 0 {
		w.add("1 = 0")
		return
	}
	for _, term := range terms {
		w.add(idCol+" IN (SELECT "+col+" FROM "+table+" WHERE term = ?)", term)
	}
}

// probeTerms restricts w, as searchTerms does, to the records of idCol
// (qualified with its table) that have every token of terms, tested record
// by record through the (term, record) key: for a search that matches many
// records, whose list then reads the records in its order and tests each
// until a page is full, instead of gathering every match first (a list of
// 125,000 ids for a township's name among 1,000,000 one-stop cases).
func probeTerms(w *where, terms []string, table, col, idCol string) {
	for _, term := range terms {
		w.add("EXISTS (SELECT 1 FROM "+table+" WHERE term = ? AND "+col+" = "+idCol+")", term)
	}
}

// manyMatches is the number of a search's matches above which a ledger's
// list reads its rows in the list's order, testing each, rather than
// fetching and sorting every match: with more matches than this a page of
// 20 is full after about 20 × rows ÷ matches rows read. A variable for the
// tests of both ways.
var manyMatches = 1000

// termsCount returns how many records of table (record column col) have
// every token of terms: one range of the table's (term, record) key per
// token instead of a record's row per match. It counts the search's total
// when the search is a list's only filter; a record's tokens are distinct
// (its key) and records are never deleted, so this is the count of the
// records matched.
func (db *DB) termsCount(ctx context.Context, table, col string, terms []string) (int, error) {
	if len(terms) == 0 {
		return 0, nil
	}
	q := "SELECT COUNT(*) FROM " + table + " t0 WHERE t0.term = ?"
	args := []any{terms[0]}
	for i, term := range terms[1:] {
		t := "t" + strconv.Itoa(i+1)
		q += " AND EXISTS (SELECT 1 FROM " + table + " " + t + " WHERE " + t + ".term = ? AND " + t + "." + col + " = t0." + col + ")"
		args = append(args, term)
	}
	var n int
	err := db.queryRow(ctx, q, args...).Scan(&n)
	return n, wrap(err)
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
	key, id, ok := strings.Cut(string(raw), ":")
	if !ok {
		return ledgerCursor{}, bad
	}
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
