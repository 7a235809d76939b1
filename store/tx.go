package store

import (
	"context"
	"database/sql"
	"time"
)

// tx is a transaction seen through the dialect, so queries are written once
// with ? placeholders.
type tx struct {
	*sql.Tx
	d dialect
	p *pending
	// stmts, when not nil, keeps the statements prepared in this
	// transaction: a group commit runs the same few statements for every
	// write in the group, and SQLite spends more time parsing our
	// statements than running them. They close with the transaction.
	// (pgx caches prepared statements per connection by itself.)
	stmts map[string]*sql.Stmt
	// q receives the delivery jobs of the outbox rows written (nil: none
	// yet; the rows wait for QueueWaiting).
	q JobQueue
	// rows, when not nil, gathers plain INSERTs into statements of many
	// rows (a batch of records: insertBuffer).
	rows *insertBuffer
}

// prepared returns q prepared in this transaction, or nil when the
// transaction keeps no statements or preparing failed (the caller then
// runs q directly, which reports the error).
func (t tx) prepared(ctx context.Context, q string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if s, ok := t.stmts[q]; ok {
		return s
	}
	s, err := t.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	t.stmts[q] = s
	return s
}

// exec and queryRow never cancel a statement half-way: a write shares its
// transaction with the rest of its group, and an interrupted statement
// would undo them all. A write whose caller has gone is skipped before it
// starts instead (batcher.runOnce).
func (t tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = context.WithoutCancel(ctx)
	if t.rows != nil {
		if res, ok, err := t.rows.exec(ctx, t, q, args); ok {
			return res, err
		}
	}
	q = t.d.rebind(q)
	if s := t.prepared(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, q, args...)
}

func (t tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
	if t.rows != nil {
		t.rows.before(ctx, t, q)
	}
	q = t.d.rebind(q)
	if s := t.prepared(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.QueryRowContext(ctx, q, args...)
}

// inTx runs fn in a write transaction. On SQLite it joins the group commit;
// on PostgreSQL it retries serialisation failures and deadlocks.
// The outcome is remembered for the health check (WriteFailure).
func (db *DB) inTx(ctx context.Context, fn func(tx) error) error {
	if t, ok := ctx.Value(txKey{}).(tx); ok {
		return fn(t)
	}
	err := db.inTxOnce(ctx, fn)
	db.health.note(err)
	return err
}

// txKey marks a context whose writes join a transaction already open
// (withTx): a batch of records (an import) is written by the very code that
// writes one record, all in one transaction.
type txKey struct{}

// withTx returns ctx with t as the transaction that inTx runs in.
func withTx(ctx context.Context, t tx) context.Context { return context.WithValue(ctx, txKey{}, t) }

func (db *DB) inTxOnce(ctx context.Context, fn func(tx) error) error {
	if db.batch != nil {
		return db.batch.do(ctx, fn)
	}
	for attempt := 0; ; attempt++ {
		err := db.runTx(ctx, fn)
		if err == nil || attempt >= 5 || !db.dialect.retryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
}

func (db *DB) runTx(ctx context.Context, fn func(tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err)
	}
	t := tx{Tx: sqlTx, d: db.dialect, p: newPending(), q: db.jobQueue()}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := t.flush(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	return wrap(sqlTx.Commit())
}

// updateOne runs an UPDATE that must change exactly one row; none means
// the thing is not there.
func (db *DB) updateOne(ctx context.Context, zh, en, q string, args ...any) error {
	return db.inTx(ctx, func(t tx) error { return t.updateOne(ctx, zh, en, q, args...) })
}

// updateOne is DB.updateOne inside a transaction.
func (t tx) updateOne(ctx context.Context, zh, en, q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return wrap(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(err)
	}
	if n == 0 {
		return notFound(zh, en, args[len(args)-1])
	}
	return nil
}

// deleteCount runs a DELETE on the write path and returns the rows it removed.
func (db *DB) deleteCount(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return wrap(err)
		}
		n, err = res.RowsAffected()
		return wrap(err)
	})
	if err != nil {
		// On SQLite the group commit can fail after our statement ran.
		return 0, err
	}
	return n, nil
}
