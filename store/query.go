package store

import (
	"context"
	"database/sql"
	"strings"
)

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.dialect.rebind(q), args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = db.dialect.rebind(q)
	if db.trace != nil {
		db.trace(q, args)
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
