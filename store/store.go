// Package store keeps minyi's data in SQLite (the embedded default) or
// PostgreSQL (for installations shared by many servers). One implementation
// of plain SQL serves both; the few places where the dialects differ
// (placeholders, full-text search, row locks, group commit) are behind the
// dialect type. Every write runs in one transaction: an item's row, its
// events, search tokens and counters commit together or not at all.
package store

import (
	"context"
	"database/sql"
	"errors"
	"minyi/org"
	"strings"
	"sync/atomic"
	"time"

	"minyi"
)

// DB is an open database.
type DB struct {
	write   *sql.DB // SQLite: exactly one connection; PostgreSQL: the pool
	read    *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: same as write
	dialect dialect
	batch   *batcher // groups concurrent writes into one commit
	url     string
	queue   atomic.Pointer[JobQueue]
	key     atomic.Pointer[org.SecretKey] // seals TOTP secrets (totp.go); nil: none given
	health  writeHealth                   // the last write's failure, for /healthz
}

// Open opens (creating if needed) the database at url and migrates it. A url
// starting with postgres:// or postgresql:// selects PostgreSQL; anything
// else is a directory holding the SQLite file minyi.db.
func Open(ctx context.Context, url string) (*DB, error) {
	var db *DB
	var err error
	if IsPostgres(url) {
		db, err = openPostgres(ctx, url)
	} else {
		db, err = openSQLite(ctx, url)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Close stops the writer and closes all connections.
func (db *DB) Close() error {
	if db.batch != nil {
		db.batch.stop()
	}
	if db.dialect.name == "sqlite" {
		// Refresh the planner's statistics where the data has changed, as
		// SQLite advises doing before closing a long-lived connection.
		db.write.Exec("PRAGMA optimize")
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return wrap(db.read.PingContext(ctx)) }

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
	q = t.d.rebind(q)
	if s := t.prepared(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, q, args...)
}

func (t tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = context.WithoutCancel(ctx)
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
	err := db.inTxOnce(ctx, fn)
	db.health.note(err)
	return err
}

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

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.dialect.rebind(q), args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, db.dialect.rebind(q), args...)
}

// wrap turns a database error into a minyi error: unavailable or storage
// full when the database itself failed (classify), else internal. Minyi
// errors (already meaningful) are left alone.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *minyi.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &minyi.Error{Code: minyi.EUnavailable, Message: "请求已取消或超时 / request cancelled or timed out", Err: err}
	}
	if e := classify(err); e != nil {
		return e
	}
	return minyi.Internal(err)
}

// notFound names what was not found and its key, e.g. "件 2021-000999 不存在 /
// item 2021-000999 not found".
// A nil key (a secret's hash, say) is not shown.
func notFound(zh, en string, key any) error {
	if key == nil {
		return minyi.Errorf(minyi.ENotFound, "%s不存在 / %s not found", zh, en)
	}
	return minyi.Errorf(minyi.ENotFound, "%s %v 不存在 / %s %v not found", zh, key, en, key)
}

// micros converts times to the stored form: Unix microseconds, UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
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

// URL returns what the database was opened with (a directory for SQLite).
func (db *DB) URL() string { return db.url }
