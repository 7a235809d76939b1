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
	// searchJoin joins the matching items with a rank column "rank" (lower
	// is better) for the query tokens.
	searchJoin func(tokens []string) (string, any)
}

var sqliteDialect = dialect{
	name:      "sqlite",
	rebind:    func(q string) string { return q },
	forUpdate: "",
	retryable: func(error) bool { return false },
	indexSQL:  "INSERT INTO item_fts(rowid, tokens) VALUES (?, ?)",
	indexArg:  func(text string) any { return textsearch.IndexText(text) },
	searchJoin: func(tokens []string) (string, any) {
		return "JOIN (SELECT rowid AS sid, bm25(item_fts) AS rank FROM item_fts WHERE item_fts MATCH ?) s ON s.sid = items.id",
			textsearch.FTS5Match(tokens)
	},
}

var postgresDialect = dialect{
	name:      "postgres",
	rebind:    rebindDollar,
	forUpdate: " FOR UPDATE",
	retryable: pgRetryable,
	// array_to_tsvector takes our tokens as they are: no parser, no stemming.
	indexSQL: "INSERT INTO item_search(item_id, tokens) VALUES (?, array_to_tsvector(?::text[]))",
	indexArg: func(text string) any { return pgTextArray(textsearch.Tokens(text)) },
	searchJoin: func(tokens []string) (string, any) {
		return "JOIN (SELECT item_id AS sid, -ts_rank(tokens, q) AS rank FROM item_search, CAST(? AS tsquery) q WHERE tokens @@ q) s ON s.sid = items.id",
			textsearch.TSQuery(tokens)
	},
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
