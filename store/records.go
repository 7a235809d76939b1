package store

import (
	"context"
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

// eachByID calls fn with every row of table that w selects, oldest first
// (by id), in the order filed (eachFiled): the ids by the index w's
// conditions choose, then the rows a chunk of ids at a time, each chunk
// given its details (nil: none) before fn sees it. The registers'
// streamed doors (the ledgers' workbook) read so. Read instead a chunk at a
// time by a range of the key after the chunk before, with a period's
// condition, each chunk read the period's whole range of its index again
// and sorted it (the matters done in a year: 14,229 rows in 0.63 s of a
// workbook of a million-item archive).
func eachByID[T any](ctx context.Context, db *DB, columns, table string, w where, scan func(scanner) (T, error),
	details func(context.Context, []T) error, fn func(T) error) error {
	return db.eachFiled(ctx, "SELECT id FROM "+table+w.sql(), w.args, func(ids []int64) error {
		c := w.clone()
		c.ids(&db.dialect, table+".id", ids)
		rows, err := list(ctx, db, "SELECT "+columns+" FROM "+table+db.dialect.byIDIndex+c.sql()+" ORDER BY id", scan, c.args...)
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
		return nil
	})
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
