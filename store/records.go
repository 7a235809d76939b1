package store

import (
	"context"
	"slices"
)

// listPage reads one page of a register's list, the plumbing every
// register's list shares (docs/ARCHITECTURE.md, "Adding a register"): q,
// a SELECT ending in LIMIT ?, is run with args and size+1, so that one row
// more than the page tells whether another page follows; each row is read
// by scan, and when there is more, next is the cursor after the page's
// last record. items is never nil, so an empty page answers [].
func listPage[T any](ctx context.Context, db *DB, q string, args []any, size int, scan func(scanner) (T, error),
	cursor func(last T) string) (items []T, next string, err error) {
	rows, err := db.query(ctx, q, append(args, size+1)...)
	if err != nil {
		return nil, "", wrap(err)
	}
	defer rows.Close()
	items = []T{}
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return nil, "", wrap(err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap(err)
	}
	if len(items) > size {
		items = items[:size]
		next = cursor(items[size-1])
	}
	return items, next, nil
}

// newestFirst reads one page of a register's list newest first, by id:
// the rows of table that w selects after cursor (afterIDCursor), read by
// scan, with the cursor after the page's last one. Every ledger's list
// pages so (disputes, matters, measures, one-stop cases).
func newestFirst[T any](ctx context.Context, db *DB, columns, table string, w where, cursor string, size int,
	scan func(scanner) (T, error), id func(T) int64) ([]T, string, error) {
	if cursor != "" {
		if err := afterIDCursor(&w, cursor); err != nil {
			return nil, "", err
		}
	}
	return listPage(ctx, db, "SELECT "+columns+" FROM "+table+w.sql()+" ORDER BY id DESC LIMIT ?", w.args, size,
		scan, func(last T) string { return idCursor(id(last)) })
}

// updateVersioned runs q, an UPDATE of one record ending in WHERE id = ?
// AND version = ?, with args, the optimistic lock every register's update
// takes. When it changes no row the record was changed meanwhile (or is
// gone), and the error is stale's: register.Stale, or what the register
// finds out first (the stored version, not found).
func updateVersioned(ctx context.Context, t tx, q string, args []any, stale func() error) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return wrap(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return wrap(err)
	} else if n == 0 {
		return stale()
	}
	return nil
}

// exportChunk is how many rows eachByID reads a query (a variable for the
// tests, which read a few records in several chunks).
var exportChunk = 1000

// eachByID calls fn with every row of table that w selects, oldest first
// (by id), read exportChunk at a time by one range of the primary key
// after the chunk before (no count, no offset), each chunk given its
// details (nil: none) before fn sees it. The chunks are read and closed in
// turn, so a reading holds one connection at a time; fn's error, or a
// cancelled ctx, ends it. The registers' streamed doors (the ledgers'
// workbook) read so.
func eachByID[T any](ctx context.Context, db *DB, columns, table string, w where, scan func(scanner) (T, error),
	id func(T) int64, details func(context.Context, []T) error, fn func(T) error) error {
	var after int64
	for first := true; ; first = false {
		c := where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
		if !first {
			c.add("id > ?", after)
		}
		rows, err := list(ctx, db, "SELECT "+columns+" FROM "+table+c.sql()+" ORDER BY id LIMIT ?", scan,
			append(c.args, exportChunk)...)
		if err != nil {
			return err
		}
		if details != nil {
			if err := details(ctx, rows); err != nil {
				return err
			}
		}
		for _, one := range rows {
			if err := fn(one); err != nil {
				return err
			}
		}
		if len(rows) < exportChunk {
			return nil
		}
		if err := ctx.Err(); err != nil { // the download was left
			return wrap(err)
		}
		after = id(rows[len(rows)-1])
	}
}

// pointers returns a pointer to each element of xs, for the fillers that
// complete a page's or a chunk's records in place.
func pointers[T any](xs []T) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}
