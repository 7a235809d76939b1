package store

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/textsearch"
)

// where accumulates SQL conditions with their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) in(col string, values []string) {
	w.add(col+" IN ("+placeholders(len(values))+")", anys(values)...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// openStatusSQL selects open items in exactly the words of the partial
// indexes' WHERE clauses: planners use a partial index only when they can
// see that the query implies its condition, and bound parameters hide that.
const openStatusSQL = "status IN ('received','returned','dispatched','signed','in_progress')"

// publicSQL selects the questions on the online desk (archive.Item.OnDesk).
const publicSQL = "publish = 1 AND status IN ('answered','visited','closed') AND desk_answer <> ''"

func allOpen(statuses []archive.Status) bool {
	for _, s := range statuses {
		if !s.Open() {
			return false
		}
	}
	return true
}

// cursor is a position in a list: a keyset (time, id) for the time orders,
// an offset for relevance.
type cursor struct {
	at     int64
	id     int64
	offset int
}

func (c cursor) encode(kind string) string {
	var s string
	if kind == archive.SortRelevance {
		s = "o:" + strconv.Itoa(c.offset)
	} else {
		s = "k:" + strconv.FormatInt(c.at, 10) + ":" + strconv.FormatInt(c.id, 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(s, kind string) (cursor, error) {
	bad := minyi.Invalid("cursor", "翻页标记无效", "cursor is not valid for this query")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	parts := strings.Split(string(raw), ":")
	var c cursor
	switch {
	case kind == archive.SortRelevance && len(parts) == 2 && parts[0] == "o":
		c.offset, err = strconv.Atoi(parts[1])
		if err != nil || c.offset < 0 {
			return c, bad
		}
	case kind != archive.SortRelevance && len(parts) == 3 && parts[0] == "k":
		c.at, err = strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return c, bad
		}
		c.id, err = strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return c, bad
		}
	default:
		return c, bad
	}
	return c, nil
}

func statusStrings(ss []archive.Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// FindItems lists items matching f, one page at a time.
func (db *DB) FindItems(ctx context.Context, f archive.Filter) (archive.ItemPage, error) {
	f.Limit = f.PageSize()
	tokens := textsearch.Query(f.Query)
	if strings.TrimSpace(f.Query) != "" && len(tokens) == 0 {
		return archive.ItemPage{Items: []archive.Item{}}, nil // only punctuation: nothing can match
	}
	sortBy := f.Sort
	if sortBy == "" {
		sortBy = archive.SortNewest
		if len(tokens) > 0 {
			sortBy = archive.SortRelevance
		}
	}
	if sortBy == archive.SortRelevance && len(tokens) == 0 {
		sortBy = archive.SortNewest
	}
	var c cursor
	if f.Cursor != "" {
		var err error
		if c, err = decodeCursor(f.Cursor, sortBy); err != nil {
			return archive.ItemPage{}, err
		}
	}

	var w where
	from := "items"
	searching := len(tokens) > 0
	if f.Units != nil {
		if len(f.Units) == 0 {
			return archive.ItemPage{Items: []archive.Item{}}, nil
		}
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	if len(f.Statuses) > 0 {
		w.in("status", statusStrings(f.Statuses))
		if allOpen(f.Statuses) {
			w.add(openStatusSQL) // lets the planner use the partial indexes of open items
		}
	}
	for _, eq := range [][2]string{{"kind", string(f.Kind)}, {"class", string(f.Class)}, {"channel", string(f.Channel)}, {"category", f.Category}} {
		if eq[1] != "" {
			w.add(eq[0]+" = ?", eq[1])
		}
	}
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	if f.Overdue || f.DueSoon {
		w.add(openStatusSQL)
	}
	if f.Overdue {
		w.add("due_at < ?", micros(now))
	}
	if f.DueSoon {
		w.add("due_at >= ? AND due_at <= ?", micros(now), micros(now.Add(archive.DueSoonWindow)))
	}
	if f.From != nil {
		w.add("received_at >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("received_at < ?", micros(*f.To))
	}
	index := &db.dialect.indexes[scopeAll]
	switch {
	case f.Public:
		// The desk's index holds exactly its questions.
		if !searching {
			w.add(publicSQL)
		}
		index = &db.dialect.indexes[scopeDesk]
	case searching && (len(f.Statuses) > 0 && allOpen(f.Statuses) || f.Overdue || f.DueSoon):
		tokens = append(tokens, openTerm)
	}
	if f.Open311 {
		w.add(open311SQL)
	}

	openOnly := len(f.Statuses) > 0 && allOpen(f.Statuses)
	oneUnit := f.Unit != "" || len(f.Units) == 1
	narrow := false // the open items' index picks the page; rows are read after
	switch {
	case searching:
	case f.Public:
		from += db.dialect.deskIndex
	case sortBy == archive.SortDue && (f.Overdue || f.DueSoon || openOnly):
		from += db.dialect.openIndex(oneUnit)
		narrow = true
	case openOnly && oneUnit || f.Overdue || f.DueSoon:
		// A unit's queue, or the overdue or due-soon items, by date of
		// receipt: open items are few, the archive many, and walking the
		// archive by date to find a queue that may be empty costs a scan
		// of its whole history. The index of open items by unit holds the
		// receipt time, so the page is chosen from it; sorting whole rows
		// instead read the row of every open item (1.2 s for the overdue
		// list of the generated million). A queue of all units reads the
		// status index by date, which the planner finds by itself.
		from += db.dialect.openIndex(true)
		narrow = true
	}
	if searching && (sortBy == archive.SortRelevance || sortBy == archive.SortNewest) {
		return db.search(ctx, searchQuery{index: index, tokens: tokens, w: w, sort: sortBy, limit: f.Limit, cursor: c, hasCursor: f.Cursor != ""})
	}
	if searching {
		from = index.from
		w.conds = append([]string{index.match}, w.conds...)
		w.args = append([]any{db.dialect.ftsArg(tokens)}, w.args...)
	}
	var order string
	switch sortBy {
	case archive.SortOldest:
		if f.Cursor != "" {
			w.add("(received_at > ? OR (received_at = ? AND items.id > ?))", c.at, c.at, c.id)
		}
		order = "received_at, items.id"
	case archive.SortDue:
		if f.Cursor != "" {
			w.add("(due_at > ? OR (due_at = ? AND items.id > ?))", c.at, c.at, c.id)
		}
		order = "due_at, items.id"
	case archive.SortNewest:
		if f.Cursor != "" {
			w.add("(received_at < ? OR (received_at = ? AND items.id < ?))", c.at, c.at, c.id)
		}
		order = "received_at DESC, items.id DESC"
	default:
		return archive.ItemPage{}, minyi.Invalid("sort", "排序方式无效（relevance、newest、oldest、due）", "sort must be relevance, newest, oldest or due")
	}
	q := "SELECT " + itemColumns + " FROM " + from + w.sql() + " ORDER BY " + order + " LIMIT ?"
	if narrow {
		// Choose the page's ids from the index alone, then read only
		// those rows: sorting whole rows would read every open item.
		q = "SELECT " + itemColumns + " FROM items WHERE items.id IN (SELECT items.id FROM " + from + w.sql() +
			" ORDER BY " + order + " LIMIT ?) ORDER BY " + order
	}
	page, err := db.itemPage(ctx, q, append(w.args, f.Limit+1)...)
	if err != nil {
		return page, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		next := cursor{id: last.ID, at: micros(last.ReceivedAt)}
		if sortBy == archive.SortDue {
			next.at = micros(last.DueAt)
		}
		page.NextCursor = next.encode(sortBy)
	}
	return page, nil
}

// itemPage runs a query selecting itemColumns.
func (db *DB) itemPage(ctx context.Context, q string, args ...any) (archive.ItemPage, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return archive.ItemPage{}, wrap(err)
	}
	defer rows.Close()
	page := archive.ItemPage{Items: []archive.Item{}}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return page, wrap(err)
		}
		page.Items = append(page.Items, it)
	}
	return page, wrap(rows.Err())
}

// CountOpen counts the items still in someone's hands, for the inbox tabs.
// Only open and answered statuses are scanned, through the status index, so
// the cost follows the open workload rather than the archive's size.
func (db *DB) CountOpen(ctx context.Context, f archive.Filter) (archive.OpenCounts, error) {
	out := archive.OpenCounts{ByStatus: map[archive.Status]int{}}
	if f.Units != nil && len(f.Units) == 0 {
		return out, nil
	}
	// Items per status come from the counters; overdue and due-soon
	// depend on the time, so they are counted, but only among the open
	// items not yet due (a range of the open-items index): overdue is the
	// rest. Both sides are small in a working bureau; the counted side
	// stays small even where old items were left open.
	var w where
	w.add("status IN ('received','returned','dispatched','signed','in_progress','answered')")
	if f.Units != nil {
		w.in("unit_code", f.Units)
	}
	rows, err := db.query(ctx, "SELECT status, SUM(n) FROM status_counts"+w.sql()+" GROUP BY status", w.args...)
	if err != nil {
		return out, wrap(err)
	}
	defer rows.Close()
	open := 0
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return out, wrap(err)
		}
		out.ByStatus[archive.Status(st)] = n
		if archive.Status(st).Open() {
			open += n
		}
	}
	if err := rows.Err(); err != nil {
		return out, wrap(err)
	}
	now, soon := micros(f.Now), micros(f.Now.Add(archive.DueSoonWindow))
	var due where
	due.add(openStatusSQL)
	due.add("due_at >= ?", now)
	index := "items_open_due"
	if f.Units != nil {
		due.in("unit_code", f.Units)
		index = "items_open_unit_due"
	}
	from := " FROM items"
	if db.dialect.name == "sqlite" {
		from += " INDEXED BY " + index
	}
	var notDue, dueSoon int
	err = db.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 END), 0)"+from+due.sql(),
		append([]any{soon}, due.args...)...).Scan(&notDue, &dueSoon)
	if err != nil {
		return out, wrap(err)
	}
	// The counters and the count are read a moment apart: clamp rather
	// than show a negative figure while items arrive.
	out.Overdue, out.DueSoon = max(open-notDue, 0), dueSoon
	return out, nil
}
