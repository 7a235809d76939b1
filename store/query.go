package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
)

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = db.dialect.rebind(q)
	if trace := db.trace.Load(); trace != nil {
		(*trace)(q, args)
	}
	return db.read.QueryRowContext(ctx, q, args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = db.dialect.rebind(q)
	if trace := db.trace.Load(); trace != nil {
		(*trace)(q, args)
	}
	return db.read.QueryContext(ctx, q, args...)
}

type scanner interface{ Scan(...any) error }

func list[T any](ctx context.Context, db *DB, q string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out = append(out, v)
	}
	return out, wrap(rows.Err())
}

// each calls fn with each row of q scanned, in turn, rather than a list
// of them all: the rows of a streamed export. fn's error, or a cancelled
// ctx, ends the reading.
func each[T any](ctx context.Context, db *DB, q string, args []any, scan func(scanner) (T, error), fn func(T) error) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return wrap(err)
		}
		if err := fn(v); err != nil {
			return err
		}
		// The driver notices a cancelled ctx in its own time: a download
		// left stops at the next row.
		if err := ctx.Err(); err != nil {
			return wrap(err)
		}
	}
	return wrap(rows.Err())
}

// idChunk is how many rows a reading in the order filed (eachFiled) reads
// a query (a variable for the tests, which read a few rows in several
// chunks).
var idChunk = 1000

// eachFiled reads rows in the order filed, by id: it reads the ids that
// idsSQL selects with args (one query, from whichever index its
// conditions choose: a period's range of the index of its day), sorts
// them, and calls read with each idChunk of them in turn, which reads
// their rows by id — the table's pages in turn. Read in the order of the
// index instead, each row is a seek of its own wherever it lies in the
// table, which for a year of a generated archive (days at random over six
// years) cost SQLite twice the CPU (14.7 µs a one-stop case against 5.5);
// and PostgreSQL, asked the rows of "id IN (SELECT …)" in the order of
// their ids, walked the whole table by its key. Each chunk is read and
// closed before the next, so a reading holds one connection at a time;
// read should apply its conditions again, so that a row changed since its
// id was read is read as it now is, or not at all. A cancelled ctx ends
// the reading between chunks.
func (db *DB) eachFiled(ctx context.Context, idsSQL string, args []any, read func(ids []int64) error) error {
	ids, err := list(ctx, db, idsSQL, func(s scanner) (id int64, err error) { return id, s.Scan(&id) }, args...)
	if err != nil {
		return err
	}
	// Sorted here: asked to sort, a planner may walk the table by id.
	slices.Sort(ids)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), idChunk)]
		ids = ids[len(chunk):]
		if err := read(chunk); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil { // the download was left
			return wrap(err)
		}
	}
	return nil
}

// ids restricts col to ids, as the dialect d spells it best (idsIn).
func (w *where) ids(d *dialect, col string, ids []int64) {
	cond, args := d.idsIn(col, ids)
	w.add(cond, args...)
}

// clone is w with conditions of its own, to add to.
func (w where) clone() where {
	return where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
}

// scanAlso scans the columns its scanner's reader expects, then more.
type scanAlso struct {
	scanner
	more []any
}

// where accumulates SQL conditions with their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in restricts col to values. No values match nothing: callers pass a
// non-nil empty list to mean "none of them" (a visibility that allows no
// unit), and "IN ()" is a syntax error on both databases.
func (w *where) in(col string, values []string) {
	if len(values) == 0 {
		w.add("1 = 0")
		return
	}
	w.add(col+" IN ("+placeholders(len(values))+")", anys(values)...)
}

// keyOrder is the direction of a list's keyset order, every column of it
// alike.
type keyOrder bool

const (
	ascending  keyOrder = false
	descending keyOrder = true
)

// after restricts w to the rows that follow a keyset cursor in a list
// ordered by cols (its sort keys, then the id that breaks their ties, as
// "day, id"), vals the last shown row's values of cols. Every cursor of a
// sort key and an id is written here (a list by id alone bounds the id),
// as one row value, "(day, id) < (?, ?)": both SQLite and PostgreSQL read
// that as a range of the index on (day, id) that starts at the cursor.
// Spelled out as "day < ? OR (day = ? AND id < ?)", with bound arguments,
// neither planner found a range in the OR: both read the index from the
// list's first row to the cursor, so a page deep in a list read every row
// before it again (200,000 volunteer activities, a page near the oldest:
// 11.9 ms instead of 0.09 on SQLite, 106 ms instead of 0.06 on PostgreSQL).
func (w *where) after(order keyOrder, cols string, vals ...any) {
	op := " > "
	if order == descending {
		op = " < "
	}
	w.add("("+cols+")"+op+"("+placeholders(len(vals))+")", vals...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func pageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

func (s scanAlso) Scan(dest ...any) error { return s.scanner.Scan(append(dest, s.more...)...) }
