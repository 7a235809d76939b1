package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, FTS5 built in
)

// SQLiteFile is the database file's name inside the data directory.
const SQLiteFile = "minyi.db"

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",
		// FULL: an acknowledged submission survives power loss, not just a crash.
		"synchronous(FULL)",
		"foreign_keys(1)",
		"busy_timeout(10000)",
	} {
		q.Add("_pragma", p)
	}
	// Page caches, in KiB: the writer's holds the index pages that every
	// commit touches; readers share the operating system's file cache, so a
	// small one each keeps the server's memory flat as the pool grows.
	if readOnly {
		q.Add("_pragma", "cache_size(-12000)")
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "cache_size(-32000)")
		// Take the write lock at BEGIN so a transaction never fails half-way
		// on a lock upgrade.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, dir string) (*DB, error) {
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	write, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	// One writer: SQLite serialises writers anyway, and one connection lets
	// the batcher group concurrent writes into a single commit.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db := &DB{write: write, read: read, dialect: sqliteDialect, url: dir}
	db.batch = newBatcher(db)
	return db, nil
}

// maxBatch bounds how many writes share one commit, so one slow batch cannot
// hold many clients for long.
const maxBatch = 256

type job struct {
	ctx  context.Context
	fn   func(tx) error
	done chan error
}

// batcher is SQLite's single writer. Writes that arrive while a commit is in
// progress are run together in the next transaction, each inside its own
// savepoint so one failure undoes only its own work; the whole group is then
// committed with one fsync, and nobody is answered before that commit.
type batcher struct {
	db   *DB
	jobs chan job
	quit chan struct{}
	wg   sync.WaitGroup
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, jobs: make(chan job, maxBatch), quit: make(chan struct{})}
	b.wg.Add(1)
	go b.loop()
	return b
}

func (b *batcher) do(ctx context.Context, fn func(tx) error) error {
	j := job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.jobs <- j:
	case <-ctx.Done():
		return wrap(ctx.Err())
	case <-b.quit:
		return errClosed
	}
	// Wait for the outcome even if ctx ends: once queued, the job may commit,
	// and answering "cancelled" for a committed write would be a lie.
	return <-j.done
}

var errClosed = wrap(fmt.Errorf("database is closed"))

func (b *batcher) stop() {
	close(b.quit)
	b.wg.Wait()
}

func (b *batcher) loop() {
	defer b.wg.Done()
	for {
		var first job
		select {
		case first = <-b.jobs:
		case <-b.quit:
			b.drain()
			return
		}
		group := []job{first}
	collect:
		for len(group) < maxBatch {
			select {
			case j := <-b.jobs:
				group = append(group, j)
			default:
				break collect
			}
		}
		b.run(group)
	}
}

// drain fails whatever is still queued at shutdown.
func (b *batcher) drain() {
	for {
		select {
		case j := <-b.jobs:
			j.done <- errClosed
		default:
			return
		}
	}
}

func (b *batcher) run(group []job) {
	results := make([]error, len(group))
	sqlTx, err := b.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, j := range group {
			j.done <- wrap(err)
		}
		return
	}
	t := tx{sqlTx, b.db.dialect, newPending()}
	ctx := context.Background()
	for i, j := range group {
		if err := j.ctx.Err(); err != nil {
			results[i] = wrap(err)
			continue
		}
		if _, err := t.exec(ctx, "SAVEPOINT job"); err != nil {
			results[i] = wrap(err)
			continue
		}
		saved := t.p.clone()
		if err := j.fn(t); err != nil {
			results[i] = err
			*t.p = *saved
			if _, rbErr := t.exec(ctx, "ROLLBACK TO job"); rbErr != nil {
				// The transaction is unusable; fail the whole group.
				sqlTx.Rollback()
				for k, j := range group {
					j.done <- firstErr(results[k], wrap(rbErr))
				}
				return
			}
		}
		if _, err := t.exec(ctx, "RELEASE job"); err != nil && results[i] == nil {
			results[i] = wrap(err)
		}
	}
	err = t.flush(ctx)
	if err == nil {
		err = sqlTx.Commit()
	} else {
		sqlTx.Rollback()
	}
	if err != nil {
		for _, j := range group {
			j.done <- wrap(err)
		}
		return
	}
	for i, j := range group {
		j.done <- results[i]
	}
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
