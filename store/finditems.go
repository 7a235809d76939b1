package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/reporting"
	"minyi/textsearch"
)

// openStatusSQL selects open items in exactly the words of the partial
// indexes' WHERE clauses: planners use a partial index only when they can
// see that the query implies its condition, and bound parameters hide that.
const openStatusSQL = "status IN ('received','returned','dispatched','signed','in_progress')"

// answeredSQL selects the valid items answered, as archive.TallyOf counts
// them answered.
const answeredSQL = "answered_at IS NOT NULL AND status NOT IN ('invalid','merged','withdrawn')"

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

// FindItems lists items matching f, one page at a time. An itemQuery
// builds the SQL, one concern a step; the steps keep the order of the
// conditions, and every index hint, that the million-item benchmarks were
// measured with.
func (db *DB) FindItems(ctx context.Context, f archive.Filter) (archive.ItemPage, error) {
	f.Limit = f.PageSize()
	q := itemQuery{dialect: &db.dialect, f: f, tokens: textsearch.Query(f.Query)}
	if strings.TrimSpace(f.Query) != "" && len(q.tokens) == 0 {
		return archive.ItemPage{Items: []archive.Item{}}, nil // only punctuation: nothing can match
	}
	q.sort = sortOf(f.Sort, q.searching())
	if f.Cursor != "" {
		var err error
		if q.cursor, err = decodeCursor(f.Cursor, q.sort); err != nil {
			return archive.ItemPage{}, err
		}
	}
	if f.Units != nil && len(f.Units) == 0 {
		return archive.ItemPage{Items: []archive.Item{}}, nil // no unit visible
	}
	q.filter()
	q.scope()
	q.access()
	if q.searching() && (q.sort == archive.SortRelevance || q.sort == archive.SortNewest) {
		page, err := db.search(ctx, searchQuery{index: q.index, tokens: q.tokens, w: q.w, sort: q.sort, limit: f.Limit, cursor: q.cursor, hasCursor: f.Cursor != ""})
		if err == nil && f.Public && len(q.w.conds) == 0 {
			var n int
			n, page.TotalCapped, err = db.deskSearchTotal(ctx, q)
			page.Total = &n
		}
		return page, err
	}
	sql, err := q.sql()
	if err != nil {
		return archive.ItemPage{}, err
	}
	page, err := db.itemPage(ctx, sql, append(q.w.args, f.Limit+1)...)
	if err != nil {
		return page, err
	}
	page = q.cut(page)
	if n, ok, err := db.itemTallyTotal(ctx, f); err != nil {
		return page, err
	} else if ok {
		page.Total = &n
	}
	if n, ok, err := db.deskTotal(ctx, f); err != nil {
		return page, err
	} else if ok {
		page.Total = &n
	}
	if n, ok, err := db.workTotal(ctx, f); err != nil {
		return page, err
	} else if ok {
		page.Total = &n
	}
	return page, nil
}

// workTotal counts the items answered, or closed, in a period (and
// received in one, if f bounds that too), of some units or any, and
// nothing else, from the partial index of the time of answer or of
// closure alone, which holds the unit and the time of receipt; and says
// ok. Any other condition would read the items' rows, a period's of them.
func (db *DB) workTotal(ctx context.Context, f archive.Filter) (n int, ok bool, err error) {
	periods := workPeriods(f)
	if len(periods) != 1 || strings.TrimSpace(f.Query) != "" || f.Kind != "" || f.Class != "" || f.Category != "" || f.Channel != "" ||
		len(f.Channels) > 0 || len(f.Statuses) > 0 || f.Assignee != "" || f.Overdue || f.DueSoon || f.Public || f.Open311 || f.Answered ||
		(f.Units != nil && len(f.Units) == 0) {
		return 0, false, nil
	}
	var w where
	p := periods[0]
	if p.from != nil {
		w.add(p.col+" >= ?", micros(*p.from))
	}
	if p.to != nil {
		w.add(p.col+" < ?", micros(*p.to))
	}
	if f.Units != nil {
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	if f.From != nil {
		w.add("received_at >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("received_at < ?", micros(*f.To))
	}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM items"+p.index(&db.dialect)+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, false, wrap(err)
	}
	return n, true, nil
}

// EachItem calls fn with every item f matches, in f's order (a search
// only sorted by date of receipt or due time, or in the order filed), read
// by one query (in the order filed, a chunk of ids at a time:
// eachItemFiled) and scanned one at a time: an export of a year's
// archive, which read in pages of a list costs a query per hundred items.
// f's page and cursor are ignored; fn's error, or a cancelled ctx, ends
// the reading.
func (db *DB) EachItem(ctx context.Context, f archive.Filter, fn func(archive.Item) error) error {
	f.Cursor = ""
	q := itemQuery{dialect: &db.dialect, f: f, tokens: textsearch.Query(f.Query), all: true}
	if strings.TrimSpace(f.Query) != "" && len(q.tokens) == 0 {
		return nil // only punctuation: nothing can match
	}
	q.sort = sortOf(f.Sort, q.searching())
	if q.searching() && (q.sort == archive.SortRelevance || q.sort == archive.SortNewest) {
		return minyi.Invalid("sort", "逐条导出的检索须按收集时间（oldest）或期限（due）排序", "a search read whole is sorted oldest or due")
	}
	if f.Units != nil && len(f.Units) == 0 {
		return nil // no unit visible
	}
	q.filter()
	q.scope()
	q.access()
	scan := scanItem
	if f.Brief {
		r := newAnyRow(22)
		q.columns, scan = itemBriefColumns, func(s scanner) (archive.Item, error) { return scanItemBrief(r, s) }
	}
	if q.sort == archive.SortFiled {
		return db.eachItemFiled(ctx, &q, scan, fn)
	}
	sql, err := q.sql()
	if err != nil {
		return err
	}
	return each(ctx, db, sql, q.w.args, scan, fn)
}

// eachItemFiled reads the items q selects in the order filed (eachFiled):
// their ids by q's conditions from the index they choose (a period's
// range of the index of receipt; a search's full-text index), then the
// rows a chunk of ids at a time, by id, each row checked again against
// the filter's own conditions (filter, scope: the units, the period, a
// desk's questions by publicSQL) rather than those the ids were found by
// (a search's match, the index access chose, the list of a unit's ids of
// unitIDs), which the chunk's rows need not read again.
func (db *DB) eachItemFiled(ctx context.Context, q *itemQuery, scan func(scanner) (archive.Item, error), fn func(archive.Item) error) error {
	from, w := q.from, q.w.clone()
	if q.searching() {
		from = q.index.from
		w.conds = append([]string{q.index.match}, w.conds...)
		w.args = append([]any{q.dialect.ftsArg(q.tokens)}, w.args...)
	}
	recheck := itemQuery{dialect: q.dialect, f: q.f, sort: q.sort}
	recheck.filter()
	recheck.scope()
	columns := cmp.Or(q.columns, itemColumns)
	return db.eachFiled(ctx, "SELECT items.id FROM "+from+w.sql(), w.args, func(ids []int64) error {
		c := recheck.w.clone()
		c.ids(&db.dialect, "items.id", ids)
		return each(ctx, db, "SELECT "+columns+" FROM items"+db.dialect.byIDIndex+c.sql()+" ORDER BY items.id", c.args, scan, fn)
	})
}

// deskTotal counts the online desk's questions f selects — answered and
// published (publicSQL), received in a period, of a unit or any, and
// nothing else: the report's desk replies (回复) — from the desk's partial
// index by time of receipt, and says ok.
func (db *DB) deskTotal(ctx context.Context, f archive.Filter) (n int, ok bool, err error) {
	if !f.Public || strings.TrimSpace(f.Query) != "" || f.Kind != "" || f.Class != "" || f.Category != "" || f.Channel != "" ||
		len(f.Channels) > 0 || len(f.Statuses) > 0 || f.Assignee != "" || f.Overdue || f.DueSoon || f.Open311 || f.Answered || len(workPeriods(f)) > 0 ||
		(f.Units != nil && len(f.Units) == 0) {
		return 0, false, nil
	}
	var w where
	w.add(publicSQL)
	if f.From != nil {
		w.add("received_at >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("received_at < ?", micros(*f.To))
	}
	if cond, args, ok := unitIDs(f); ok {
		w.add(cond, args...)
	}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM items"+db.dialect.deskIndex+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, false, wrap(err)
	}
	return n, true, nil
}

// deskSearchTotal counts the online desk's questions a search of q's
// terms finds, from the desk's full-text index alone, up to the search
// cap (searchTotalCap): a common word counts no more than the cap's
// matches, and capped says more matched.
func (db *DB) deskSearchTotal(ctx context.Context, q itemQuery) (n int, capped bool, err error) {
	ix, most := q.index, db.searchTotalCap()
	sql := "SELECT COUNT(*) FROM (SELECT " + ix.idColumn + " FROM " + ix.table + " WHERE " + ix.match + " LIMIT " + strconv.Itoa(most+1) + ") hits"
	if err := db.queryRow(ctx, sql, q.dialect.ftsArg(q.tokens)).Scan(&n); err != nil {
		return 0, false, wrap(err)
	}
	if n > most {
		return most, true, nil
	}
	return n, false, nil
}

// unitIDs returns the condition that keeps the items of f's units (Unit,
// Units) received in f's period by id, read from the index by unit and
// time, and says ok when f names units. Read from the desk's index, which
// holds no unit, a unit's questions are found without the rows of the
// others; testing unit_code on the desk's rows fetched each answered
// question of the period of every unit (a unit's year counted in 170 ms,
// not 15, and a page of a unit with none read them all).
func unitIDs(f archive.Filter) (cond string, args []any, ok bool) {
	var w where
	if f.Units != nil {
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	if len(w.conds) == 0 {
		return "", nil, false
	}
	if f.From != nil {
		w.add("received_at >= ?", micros(*f.From))
	}
	if f.To != nil {
		w.add("received_at < ?", micros(*f.To))
	}
	return "id IN (SELECT id FROM items" + w.sql() + ")", w.args, true
}

// itemTallyTotal counts the items f selects from the breakdown counters
// (group_tallies: items received per day of receipt, unit and channel, and
// how many of them are closed) when they answer f exactly — items received
// in whole China days, of some channels or any, of some units or any, all
// of them or only the closed, and nothing else — and says ok; the valid
// items answered (Filter.Answered) of any channel it counts from the
// tallies by unit and day. Those are the report's opinions collected and
// resolved, its items answered and closed, and the online desk's
// questions, whose lists must total the figure; a count of the items
// themselves would read a year of them.
func (db *DB) itemTallyTotal(ctx context.Context, f archive.Filter) (n int, ok bool, err error) {
	if strings.TrimSpace(f.Query) != "" || f.Kind != "" || f.Class != "" || f.Category != "" || f.Assignee != "" || f.Overdue || f.DueSoon ||
		f.Public || f.Open311 || len(workPeriods(f)) > 0 || (f.Units != nil && len(f.Units) == 0) {
		return 0, false, nil
	}
	col := "received"
	switch {
	case f.Answered && (len(f.Statuses) > 0 || len(f.Channels) > 0 || f.Channel != ""):
		return 0, false, nil // the daily tallies know no channel
	case f.Answered:
		col = "answered"
	case len(f.Statuses) == 0:
	case len(f.Statuses) == 1 && f.Statuses[0] == archive.StatusClosed:
		col = "closed"
	default:
		return 0, false, nil
	}
	wholeDay := func(t *time.Time) (string, bool) {
		if t == nil {
			return "", true
		}
		c := t.In(calendar.Zone)
		return c.Format(time.DateOnly), c.Hour() == 0 && c.Minute() == 0 && c.Second() == 0 && c.Nanosecond() == 0
	}
	from, ok1 := wholeDay(f.From)
	to, ok2 := wholeDay(f.To)
	if !ok1 || !ok2 {
		return 0, false, nil
	}
	if f.To != nil { // the list's To is the day after
		to = f.To.In(calendar.Zone).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	channels := []string{}
	for _, c := range append(f.Channels, f.Channel) {
		if c != "" {
			channels = append(channels, string(c))
		}
	}
	rf := reporting.Filter{Units: f.Units, Unit: f.Unit}
	if f.Answered {
		// The tallies by unit and day of receipt count the answered.
		rf.From, rf.To = from, to
		w := tallyWhere(rf)
		var sum int64
		if err := db.queryRow(ctx, "SELECT COALESCE(SUM(answered), 0) FROM tallies"+w.sql(), w.args...).Scan(&sum); err != nil {
			return 0, false, wrap(err)
		}
		return int(sum), true, nil
	}
	if f.From == nil && f.To == nil && len(channels) == 0 {
		// Every item of the units, or every one closed out, whenever
		// received: the counters by unit and status hold them in a few
		// rows, where the monthly counters hold a row per month, unit and
		// channel (9,000 at a million items, 3–4 ms a page). The inbox's
		// every-item list, all units' or one unit's, counts this on every
		// page. Both counters count each item once, by its unit now.
		w := tallyWhere(rf)
		if col == "closed" {
			w.add("status = ?", string(archive.StatusClosed))
		}
		var sum int64
		if err := db.queryRow(ctx, "SELECT COALESCE(SUM(n), 0) FROM status_counts"+w.sql(), w.args...).Scan(&sum); err != nil {
			return 0, false, wrap(err)
		}
		return int(sum), true, nil
	}
	// An open end is the calendar's, so that whole months come from the
	// monthly counters: the inbox's every-item list counts its total on
	// every page, and summing each day of every year took 60 ms at 500,000
	// items.
	var total int64
	for _, part := range splitByMonth(cmp.Or(from, "0001-01-01"), cmp.Or(to, "9999-12-31")) {
		g := rf
		g.From, g.To = part.from, part.to
		w := tallyWhere(g)
		table := "group_tallies"
		if part.months {
			table = "group_tallies_monthly"
			w = tallyWhere(rf)
			w.add("month >= ? AND month <= ?", part.from[:7], part.to[:7])
		}
		w.add("dim = ?", "channel")
		if len(channels) > 0 {
			w.in("key", channels)
		}
		var sum int64
		if err := db.queryRow(ctx, "SELECT COALESCE(SUM("+col+"), 0) FROM "+table+w.sql(), w.args...).Scan(&sum); err != nil {
			return 0, false, wrap(err)
		}
		total += sum
	}
	return int(total), true, nil
}

// itemQuery is a list of items being built from a filter in a dialect: the
// order and cursor the filter resolves to, the conditions collected (w),
// and what the query reads (from, or a full-text index).
type itemQuery struct {
	dialect *dialect
	f       archive.Filter
	tokens  []string // the search's terms, none without a search
	sort    string
	cursor  cursor
	w       where
	index   *ftsIndex // the full-text index a search reads
	from    string
	// narrow: an index of open items chooses the page's ids; the rows are
	// read after (access).
	narrow bool
	// all: every row the filter matches, no page (EachItem).
	all bool
	// columns are the columns read: itemColumns when empty.
	columns string
}

func (q *itemQuery) searching() bool { return len(q.tokens) > 0 }

// sortOf is the order of a list asked to sort by asked: relevance is the
// default of a search, newest of anything else, and a list without search
// terms has no relevance.
func sortOf(asked string, searching bool) string {
	switch {
	case asked == "" && searching:
		return archive.SortRelevance
	case asked == "", asked == archive.SortRelevance && !searching:
		return archive.SortNewest
	}
	return asked
}

// openOnly reports whether the filter selects only open items: it asks
// only for open statuses, or for the items no officer holds (未派), which
// are open.
func (q *itemQuery) openOnly() bool {
	return len(q.f.Statuses) > 0 && allOpen(q.f.Statuses) || q.f.Assignee == archive.AssigneeNone
}

// filter adds the conditions of the filter's own fields.
func (q *itemQuery) filter() {
	f, w := q.f, &q.w
	if f.Units != nil {
		w.in("unit_code", f.Units)
	}
	if f.Unit != "" {
		w.add("unit_code = ?", f.Unit)
	}
	switch {
	case q.searching() && openTermIsStatus(f):
		// The index's openTerm says the same (see openTermIsStatus).
	case len(f.Statuses) > 0:
		w.in("status", statusStrings(f.Statuses))
		if q.openOnly() {
			w.add(openStatusSQL) // lets the planner use the partial indexes of open items
		}
	case q.openOnly():
		w.add(openStatusSQL)
	}
	if len(f.Channels) > 0 {
		cs := make([]string, len(f.Channels))
		for i, c := range f.Channels {
			cs[i] = string(c)
		}
		w.in("channel", cs)
	}
	assignee := f.Assignee
	if assignee == archive.AssigneeNone {
		// A unit's items that no officer holds (未派): open in its hands
		// (dispatched, signed or in progress: an item still waiting for
		// the bureau's dispatch may carry its category's unit, but nobody
		// there can take it yet, and an answered, closed, withdrawn or
		// invalid item needs nobody) and held by nobody. The partial
		// indexes of assigned items (migration 0047) do not hold them; a
		// unit's open items are read from its index of open items, which
		// holds the assignee (migration 0056), for openOnly adds the
		// index's own condition.
		w.add("unit_code <> '' AND assignee = '' AND status IN ('dispatched','signed','in_progress')")
		assignee = ""
	}
	for _, eq := range [][2]string{{"kind", string(f.Kind)}, {"class", string(f.Class)}, {"channel", string(f.Channel)}, {"category", f.Category}, {"assignee", assignee}} {
		if eq[1] != "" {
			w.add(eq[0]+" = ?", eq[1])
		}
	}
	if f.Answered {
		w.add(answeredSQL)
	}
	for _, b := range workPeriods(f) {
		if b.from != nil {
			w.add(b.col+" >= ?", micros(*b.from))
		}
		if b.to != nil {
			w.add(b.col+" < ?", micros(*b.to))
		}
	}
	q.due()
	// A page after the first of a list in the order of receipt (not a
	// search: its cursor may be of the index) starts its range at the
	// cursor when that is past the period's bound: SQLite's planner takes
	// the bound alone for the index's range (the cursor's OR is none), so
	// each page read the period again from its start — a year's export at
	// 1,000,000 items, 1,674 pages, 7 ms a page at the first, 40 ms at
	// the 800th.
	if f.From != nil {
		from := micros(*f.From)
		if f.Cursor != "" && q.sort == archive.SortOldest && !q.searching() {
			from = max(from, q.cursor.at)
		}
		w.add("received_at >= ?", from)
	}
	if f.To != nil {
		to := micros(*f.To)
		if f.Cursor != "" && q.sort == archive.SortNewest && !q.searching() {
			to = min(to, q.cursor.at+1)
		}
		w.add("received_at < ?", to)
	}
}

// workPeriod is a bound of a list by the time of answer or of closure
// (Filter.AnsweredFrom …), with the partial index that reads it.
type workPeriod struct {
	col      string
	from, to *time.Time
	index    func(d *dialect) string
}

// workPeriods are the bounds by the time of answer and of closure that f
// sets, the answer's first.
func workPeriods(f archive.Filter) []workPeriod {
	var out []workPeriod
	if f.AnsweredFrom != nil || f.AnsweredTo != nil {
		out = append(out, workPeriod{"answered_at", f.AnsweredFrom, f.AnsweredTo, func(d *dialect) string { return d.answeredIndex }})
	}
	if f.ClosedFrom != nil || f.ClosedTo != nil {
		out = append(out, workPeriod{"closed_at", f.ClosedFrom, f.ClosedTo, func(d *dialect) string { return d.closedIndex }})
	}
	return out
}

// due adds the conditions of the overdue and due-soon lists, which hold
// open items only.
func (q *itemQuery) due() {
	f, w := q.f, &q.w
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
}

// scope chooses the full-text index a search reads, and adds the
// conditions of the online desk and of Open311.
func (q *itemQuery) scope() {
	f := q.f
	q.index = &q.dialect.indexes[scopeAll]
	switch {
	case f.Public:
		// The desk's index holds exactly its questions.
		if !q.searching() {
			q.w.add(publicSQL)
		}
		q.index = &q.dialect.indexes[scopeDesk]
	case q.searching() && (q.openOnly() || f.Overdue || f.DueSoon):
		q.tokens = append(q.tokens, openTerm)
	}
	if f.Open311 {
		q.w.add(open311SQL)
	}
}

// access chooses what a list without search terms reads: the items, or
// one of the partial indexes the planners would not choose by themselves
// (dialect.openIndex, dialect.deskIndex).
func (q *itemQuery) access() {
	f := q.f
	oneUnit := f.Unit != "" || len(f.Units) == 1
	q.from = "items"
	switch {
	case q.searching():
	case f.Public:
		q.from += q.dialect.deskIndex
		// A unit's questions of a period by their ids (unitIDs); without
		// a period the ids would be every one of the unit's items.
		if cond, args, ok := unitIDs(f); ok && f.From != nil && f.To != nil {
			q.w.add(cond, args...)
		}
	case len(workPeriods(f)) > 0 && !f.Overdue && !f.DueSoon && !q.openOnly():
		// The items answered (or closed) in a period, whenever received:
		// the page's ids are chosen from the period's range of the
		// partial index, which holds the unit and the time of receipt;
		// walking the archive by the day of receipt would read every item
		// received since the period to find those answered in it. Open
		// items are never closed, and seldom answered: their own index
		// serves them better.
		q.from += workPeriods(f)[0].index(q.dialect)
		q.narrow = true
	case q.sort == archive.SortDue && (f.Overdue || f.DueSoon || q.openOnly()):
		q.from += q.dialect.openIndex(oneUnit)
		q.narrow = true
	case q.openOnly() && oneUnit && !f.Overdue && !f.DueSoon && (q.sort == archive.SortNewest || q.sort == archive.SortOldest):
		// A unit's queue by date of receipt: open items are few, the
		// archive many, and walking the archive by date to find a queue
		// that may be empty costs a scan of its whole history. The index
		// of the unit's open items in order of receipt, with their status
		// and assignee (the queue's items no officer holds), yields the
		// page's ids and reads no further; the index by due time
		// made the list sort every open item of the unit (3 ms for 11,000
		// in the generated million). A queue of all units reads the status
		// index by date, which the planner finds by itself.
		q.from += q.dialect.openUnitReceivedIndex
		q.narrow = true
	case q.openOnly() && oneUnit || f.Overdue || f.DueSoon:
		// The overdue or due-soon items, by date of receipt: the index of
		// open items by unit holds the due and the receipt time, so the
		// page is chosen from it; sorting whole rows instead read the row
		// of every open item (1.2 s for the overdue list of the generated
		// million).
		q.from += q.dialect.openIndex(true)
		q.narrow = true
	}
}

// order returns the ORDER BY of the list's sort and adds the condition of
// its cursor: the keyset of the last item of the page before.
func (q *itemQuery) order() (string, error) {
	var col, order string
	switch q.sort {
	case archive.SortOldest:
		col, order = "received_at", "received_at, items.id"
	case archive.SortDue:
		col, order = "due_at", "due_at, items.id"
	case archive.SortNewest:
		col, order = "received_at", "received_at DESC, items.id DESC"
	default: // SortFiled too: read whole only (eachItemFiled), no list's order
		return "", minyi.Invalid("sort", "排序方式无效（relevance、newest、oldest、due）", "sort must be relevance, newest, oldest or due")
	}
	if q.f.Cursor != "" {
		dir := ascending
		if q.sort == archive.SortNewest {
			dir = descending
		}
		q.w.after(dir, col+", items.id", q.cursor.at, q.cursor.id)
	}
	return order, nil
}

// sql is the query of a list read in order, not ranked: one page and one
// row more, to know whether another page follows.
func (q *itemQuery) sql() (string, error) {
	if q.searching() {
		// Sorted by date or due time, a search matches through the index
		// and orders the rows it joins.
		q.from = q.index.from
		q.w.conds = append([]string{q.index.match}, q.w.conds...)
		q.w.args = append([]any{q.dialect.ftsArg(q.tokens)}, q.w.args...)
	}
	order, err := q.order()
	if err != nil {
		return "", err
	}
	limit := " LIMIT ?"
	if q.all {
		limit = ""
	}
	columns := cmp.Or(q.columns, itemColumns)
	if q.narrow {
		// Choose the page's ids from the index alone, then read only
		// those rows: sorting whole rows would read every open item.
		return "SELECT " + columns + " FROM items WHERE items.id IN (SELECT items.id FROM " + q.from + q.w.sql() +
			" ORDER BY " + order + limit + ") ORDER BY " + order, nil
	}
	return "SELECT " + columns + " FROM " + q.from + q.w.sql() + " ORDER BY " + order + limit, nil
}

// cut trims the extra row off a page read by sql and, if there was one,
// sets the cursor of the next page.
func (q *itemQuery) cut(page archive.ItemPage) archive.ItemPage {
	limit := q.f.Limit
	if len(page.Items) <= limit {
		return page
	}
	page.Items = page.Items[:limit]
	last := page.Items[limit-1]
	next := cursor{id: last.ID, at: micros(last.ReceivedAt)}
	if q.sort == archive.SortDue {
		next.at = micros(last.DueAt)
	}
	page.NextCursor = next.encode(q.sort)
	return page
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
	// stays small even where old items were left open. One statement, so
	// that both are read at one moment (an item filed or closed between two
	// reads showed an overdue item too few or too many); the count's row
	// has no status.
	var w where
	w.add("status IN ('received','returned','dispatched','signed','in_progress','answered')")
	if f.Units != nil {
		w.in("unit_code", f.Units)
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
	q := "SELECT status, SUM(n), 0 FROM status_counts" + w.sql() + " GROUP BY status" +
		" UNION ALL SELECT '', COUNT(*), COALESCE(SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 END), 0)" + from + due.sql()
	rows, err := db.query(ctx, q, append(append(w.args, soon), due.args...)...)
	if err != nil {
		return out, wrap(err)
	}
	defer rows.Close()
	open, notDue := 0, 0
	for rows.Next() {
		var st string
		var n, dueSoon int
		if err := rows.Scan(&st, &n, &dueSoon); err != nil {
			return out, wrap(err)
		}
		switch {
		case st == "":
			notDue, out.DueSoon = n, dueSoon
		case archive.Status(st).Open():
			open += n
			fallthrough
		default:
			out.ByStatus[archive.Status(st)] = n
		}
	}
	if err := rows.Err(); err != nil {
		return out, wrap(err)
	}
	out.Overdue = max(open-notDue, 0)
	return out, nil
}

// DeskCandidates lists, newest first, the items that may go on the online
// desk but are not on it: those whose citizen agreed to publication but
// which are not answered yet or whose public version waits for review, and
// those staff withdrew from publication. Invalid, merged and withdrawn items are left out.
func (db *DB) DeskCandidates(ctx context.Context, limit int) ([]archive.Item, error) {
	waiting, err := list(ctx, db, "SELECT "+itemColumns+" FROM items WHERE publish = 1 AND NOT ("+publicSQL+
		") AND status NOT IN ('invalid','merged','withdrawn') ORDER BY received_at DESC, id DESC LIMIT ?", scanItem, limit)
	if err != nil {
		return nil, err
	}
	withdrawn, err := list(ctx, db, "SELECT "+itemColumns+` FROM items WHERE publish = 0
		AND status NOT IN ('invalid','merged','withdrawn')
		AND id IN (SELECT record_id FROM events WHERE register = '`+archive.Register+`' AND type = ?)
		ORDER BY received_at DESC, id DESC LIMIT ?`, scanItem, archive.EventPublishingChanged, limit)
	if err != nil {
		return nil, err
	}
	out := append(waiting, withdrawn...)
	slices.SortFunc(out, func(a, b archive.Item) int {
		if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
