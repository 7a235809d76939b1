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
	// indexes are the full-text indexes, one per scope.
	indexes [scopeCount]ftsIndex
	// indexArg turns an item's tokens into the argument of an index's insert.
	indexArg func(tokens []string) any
	// ftsArg turns query tokens into the argument of an index's match, and
	// rankArgs is how many arguments of that kind its rank takes.
	ftsArg   func(tokens []string) any
	rankArgs int
	// openIndex names the partial index of open items to read, for
	// planners that without it prefer the status index and sort or count
	// the whole open workload (SQLite even after ANALYZE); "" to let the
	// planner choose.
	openIndex func(byUnit bool) string
	// answeredIndex and closedIndex name the partial indexes of the items
	// answered and closed by time (migration 54), for a list by the day of
	// answer or of closure; "" to let the planner choose.
	answeredIndex, closedIndex string
	// openUnitReceivedIndex names the partial index of a unit's open items
	// in order of receipt, for a unit's queue by date, which SQLite would
	// otherwise read in due order and sort whole (migration 57).
	openUnitReceivedIndex string
	// deskIndex names the partial index of the online desk's questions, for
	// the same reason.
	deskIndex string
	// eventsAtIndex names the index of events by time for a window of
	// events, which SQLite would otherwise read through the index by
	// register: every item's event is of one register.
	eventsAtIndex string
	// mattersFiguresIndex and activitiesFiguresIndex name the covering
	// indexes of the ledgers' figures (migration 0031), which SQLite's
	// planner passes over after ANALYZE for an index that fetches every
	// row of the period; activitiesDayIndex names the index by day for a
	// search matching many activities, read newest first until a page is
	// full rather than every match fetched and sorted.
	mattersFiguresIndex, activitiesFiguresIndex, activitiesDayIndex string
	// byIDIndex makes a query read its table by id, testing each row: a
	// list whose filter selects a large share of the rows, newest first
	// (SQLite's planner, with the sampled statistics PRAGMA optimize keeps,
	// would fetch every row of an index range, a year's done cases,
	// 140,000, and sort them for a page of 20), and a chunk of ids read in
	// the order filed (eachFiled), which SQLite's planner, without
	// statistics, would read through the index of the period's condition
	// again, the whole period for each chunk, and sort. "" to let the
	// planner choose.
	byIDIndex string
	// casesOpenDueIndex names the partial index of the open cases by due
	// time for the count of those not yet due, which SQLite's planner,
	// with the sampled statistics, reads through cases_open instead: every
	// open case. "" to let the planner choose.
	casesOpenDueIndex string
	// casesOpenIndex names the covering index of the open cases by day
	// opened (cases_open) for the figures' count of a period's open cases
	// past due, which SQLite's planner reads through cases_open_due
	// instead: every open case past due of any period, each row fetched
	// (about 60 ms a report at 250,000 cases, 3,700 of 24,000 in the
	// period). "" to let the planner choose.
	casesOpenIndex string
	// idsIn is the condition that col is one of ids, with its arguments:
	// a list of parameters on SQLite, one array on PostgreSQL, which
	// parses and plans a thousand ids as one parameter (a chunk of a
	// reading in the order filed, eachFiled).
	idsIn func(col string, ids []int64) (string, []any)
	// chinaDay is the day in China time, YYYY-MM-DD, of a column of
	// microseconds since the epoch: China keeps UTC+8 all year, so a day is
	// the time eight hours on, cut to its date.
	chinaDay func(col string) string
}

var sqliteDialect = dialect{
	name:      "sqlite",
	rebind:    func(q string) string { return q },
	forUpdate: "",
	retryable: func(error) bool { return false },
	indexes:   scopedIndexes(0, sqliteIndex),
	// FTS5's unicode61 splits the tokens again at the spaces, unchanged
	// (see package textsearch).
	indexArg: func(tokens []string) any { return strings.Join(tokens, " ") },
	ftsArg:   func(tokens []string) any { return textsearch.FTS5Match(tokens) },
	openIndex: func(byUnit bool) string {
		if byUnit {
			return " INDEXED BY items_open_unit_due"
		}
		return " INDEXED BY items_open_due"
	},
	openUnitReceivedIndex:  " INDEXED BY items_open_unit_received",
	deskIndex:              " INDEXED BY items_desk",
	answeredIndex:          " INDEXED BY items_answered",
	closedIndex:            " INDEXED BY items_closed",
	eventsAtIndex:          " INDEXED BY events_at",
	mattersFiguresIndex:    " INDEXED BY matters_figures",
	activitiesFiguresIndex: " INDEXED BY volunteer_activities_figures",
	activitiesDayIndex:     " INDEXED BY volunteer_activities_day",
	byIDIndex:              " NOT INDEXED",
	casesOpenDueIndex:      " INDEXED BY cases_open_due",
	casesOpenIndex:         " INDEXED BY cases_open",
	chinaDay:               func(col string) string { return "date(" + col + " / 1000000 + 28800, 'unixepoch')" },
	idsIn: func(col string, ids []int64) (string, []any) {
		return col + " IN (" + placeholders(len(ids)) + ")", anys(ids)
	},
}

var postgresDialect = dialect{
	name:      "postgres",
	rebind:    rebindDollar,
	forUpdate: " FOR UPDATE",
	retryable: pgRetryable,
	indexes:   scopedIndexes(1, postgresIndex),
	// array_to_tsvector takes our tokens as they are: no parser, no stemming.
	indexArg:  func(tokens []string) any { return pgTextArray(tokens) },
	ftsArg:    func(tokens []string) any { return textsearch.TSQuery(tokens) },
	rankArgs:  1,
	openIndex: func(bool) string { return "" },
	chinaDay: func(col string) string {
		return "to_char(to_timestamp(" + col + " / 1000000 + 28800) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	},
	idsIn: func(col string, ids []int64) (string, []any) { return col + " = ANY(?)", []any{ids} },
}

// scopedIndexes builds each scope's index from its table name, the
// dialect's being column which of scopeTables.
func scopedIndexes(which int, index func(table string) ftsIndex) [scopeCount]ftsIndex {
	var out [scopeCount]ftsIndex
	for s := range scopeCount {
		out[s] = index(scopeTables[s][which])
	}
	return out
}

// sqliteIndex is an FTS5 table whose rowid is the item's id.
func sqliteIndex(table string) ftsIndex {
	return ftsIndex{
		table: table, idColumn: "rowid",
		from:   table + " JOIN items ON items.id = " + table + ".rowid",
		id:     table + ".rowid",
		match:  table + " MATCH ?",
		rank:   "bm25(" + table + ")",
		order:  table + ".rowid",
		insert: "INSERT INTO " + table + "(rowid, tokens) VALUES (?, ?)",
		remove: "DELETE FROM " + table + " WHERE rowid = ?",
	}
}

// postgresIndex is a table of tsvectors with a GIN index.
func postgresIndex(table string) ftsIndex {
	return ftsIndex{
		table: table, idColumn: "item_id",
		from:  table + " JOIN items ON items.id = " + table + ".item_id",
		id:    table + ".item_id",
		match: table + ".tokens @@ CAST(? AS tsquery)",
		rank:  "-ts_rank(" + table + ".tokens, CAST(? AS tsquery))",
		// "+ 0" hides the primary key's order, so that the planner fetches
		// the (few) matches through the GIN index instead of walking the
		// whole table backwards hoping to meet them.
		order: table + ".item_id + 0",
		// ts_match_vq is the function behind @@; called by name it cannot
		// use the GIN index, so the planner reads the newest rows by
		// primary key.
		windowMatch: "ts_match_vq(" + table + ".tokens, CAST(? AS tsquery))",
		insert:      "INSERT INTO " + table + "(item_id, tokens) VALUES (?, array_to_tsvector(?::text[]))",
		remove:      "DELETE FROM " + table + " WHERE item_id = ?",
	}
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
