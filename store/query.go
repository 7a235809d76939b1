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
	return db.read.QueryContext(ctx, db.dialect.rebind(q), args...)
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
