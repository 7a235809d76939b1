package store

import (
	"strconv"
	"strings"

	"minyi/textsearch"
)

// dialect holds what differs between SQLite and PostgreSQL.
type dialect struct {
	name string
	// rebind rewrites ? placeholders for the database.
	rebind func(string) string
	// forUpdate is appended to a SELECT that must lock its row.
	forUpdate string
	// retryable reports whether a failed transaction may simply be run again.
	retryable func(error) bool
	// search writes an item's search tokens.
	indexSQL string
	// indexArg turns an item's text into the argument of indexSQL.
	indexArg func(text string) any
	// Full-text search: fts is the FROM clause joining the index to items,
	// ftsID the indexed item's id (ordering by it lets the index stop
	// early), match the condition (one argument) and rank an expression,
	// lower is better, with rankArgs arguments of its own.
	fts, ftsID, match, rank string
	rankArgs                int
	ftsArg                  func(tokens []string) any
	// ftsTable and ftsIDColumn name the index table and its item id
	// column; windowMatch, when set, is match written so that the planner
	// reads the newest rows of the table instead of the index (see
	// DB.search).
	ftsTable, ftsIDColumn, windowMatch string
	// indexOrder orders the matches of the full-text index by id. On
	// PostgreSQL it hides the primary key's order ("+ 0") so that the
	// planner fetches the (few) matches through the GIN index instead of
	// walking the whole table backwards hoping to meet them.
	indexOrder string
	// openIndex names the partial index of open items to read, for
	// planners that without it prefer the status index and sort or count
	// the whole open workload (SQLite even after ANALYZE); "" to let the
	// planner choose.
	openIndex func(byUnit bool) string
}

var sqliteDialect = dialect{
	name:        "sqlite",
	rebind:      func(q string) string { return q },
	forUpdate:   "",
	retryable:   func(error) bool { return false },
	indexSQL:    "INSERT INTO item_fts(rowid, tokens) VALUES (?, ?)",
	indexArg:    func(text string) any { return textsearch.IndexText(text) },
	fts:         "item_fts JOIN items ON items.id = item_fts.rowid",
	ftsID:       "item_fts.rowid",
	match:       "item_fts MATCH ?",
	rank:        "bm25(item_fts)",
	ftsTable:    "item_fts",
	indexOrder:  "item_fts.rowid",
	ftsIDColumn: "rowid",
	ftsArg:      func(tokens []string) any { return textsearch.FTS5Match(tokens) },
	openIndex: func(byUnit bool) string {
		if byUnit {
			return " INDEXED BY items_open_unit_due"
		}
		return " INDEXED BY items_open_due"
	},
}

var postgresDialect = dialect{
	name:      "postgres",
	rebind:    rebindDollar,
	forUpdate: " FOR UPDATE",
	retryable: pgRetryable,
	// array_to_tsvector takes our tokens as they are: no parser, no stemming.
	indexSQL:    "INSERT INTO item_search(item_id, tokens) VALUES (?, array_to_tsvector(?::text[]))",
	indexArg:    func(text string) any { return pgTextArray(textsearch.Tokens(text)) },
	fts:         "item_search JOIN items ON items.id = item_search.item_id",
	ftsID:       "item_search.item_id",
	match:       "item_search.tokens @@ CAST(? AS tsquery)",
	rank:        "-ts_rank(item_search.tokens, CAST(? AS tsquery))",
	rankArgs:    1,
	ftsArg:      func(tokens []string) any { return textsearch.TSQuery(tokens) },
	ftsTable:    "item_search",
	ftsIDColumn: "item_id",
	// ts_match_vq is the function behind @@; called by name it cannot use
	// the GIN index, so the planner reads the newest rows by primary key.
	windowMatch: "ts_match_vq(item_search.tokens, CAST(? AS tsquery))",
	indexOrder:  "item_search.item_id + 0",
	openIndex:   func(bool) string { return "" },
}

func rebindDollar(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// pgTextArray renders a text[] literal; tokens never hold quotes, backslashes
// or spaces, but quote them anyway so the literal is always well formed.
func pgTextArray(tokens []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(t))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
