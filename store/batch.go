package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"minyi"
)

// maxBatch bounds how many writes share one commit, so one slow batch cannot
// hold many clients for long.
const maxBatch = 256

type job struct {
	ctx  context.Context
	fn   func(tx) error
	done chan error
}

// batcher is the single writer of a database. Writes that arrive while a
// commit is in progress are run together in the next transaction, each
// inside its own savepoint so one failure undoes only its own work; the
// whole group is then committed with one fsync, and nobody is answered
// before that commit.
//
// SQLite has one writer anyway. On PostgreSQL every write also ends by
// moving the event chain's head, one row that serialises all writers, so a
// write per transaction would be one write per commit round trip; grouping
// turns that round trip into one per group, across any number of servers.
type batcher struct {
	db   *DB
	jobs chan job
	quit chan struct{}
	wg   sync.WaitGroup
	// mu orders queueing against stopping: do queues under the read lock,
	// stop closes under the write lock, so no job is queued after the
	// loop's last look at the queue, where nobody would ever answer it.
	mu     sync.RWMutex
	closed bool
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, jobs: make(chan job, maxBatch), quit: make(chan struct{})}
	b.wg.Add(1)
	go b.loop()
	return b
}

func (b *batcher) do(ctx context.Context, fn func(tx) error) error {
	j := job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errClosed
	}
	select {
	case b.jobs <- j:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return wrap(ctx.Err())
	}
	// Wait for the outcome even if ctx ends: once queued, the job may commit,
	// and answering "cancelled" for a committed write would be a lie.
	return <-j.done
}

var errClosed = &minyi.Error{Code: minyi.EUnavailable, Message: "服务器正在关闭 / the server is shutting down",
	Err: errors.New("database is closed")}

func (b *batcher) stop() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.quit)
	}
	b.mu.Unlock()
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

// run commits a group, retrying it whole when the database says the
// transaction may simply be run again (a deadlock with another server).
func (b *batcher) run(group []job) {
	for attempt := 0; ; attempt++ {
		err := b.runOnce(group)
		if err == nil {
			return
		}
		if attempt >= 5 || !b.db.dialect.retryable(err) {
			for _, j := range group {
				j.done <- wrap(err)
			}
			return
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
}

// runOnce runs the group in one transaction and answers every job, or
// returns the error that undid the whole transaction without answering.
func (b *batcher) runOnce(group []job) error {
	results := make([]error, len(group))
	sqlTx, err := b.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	t := tx{Tx: sqlTx, d: b.db.dialect, p: newPending(), q: b.db.jobQueue()}
	if b.db.dialect.name == "sqlite" {
		t.stmts = map[string]*sql.Stmt{}
	}
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
		if err := runJob(j, t); err != nil {
			results[i] = err
			*t.p = *saved
			if b.db.dialect.retryable(err) {
				// The whole transaction is doomed: run the group again.
				sqlTx.Rollback()
				return err
			}
			if _, rbErr := t.exec(ctx, "ROLLBACK TO job"); rbErr != nil {
				// The transaction is unusable; fail the whole group.
				sqlTx.Rollback()
				for k, j := range group {
					j.done <- firstErr(results[k], wrap(rbErr))
				}
				return nil
			}
		}
		if _, err := t.exec(ctx, "RELEASE job"); err != nil {
			// The job's work may still be in the transaction; answering it
			// "failed" could make its client write it twice. Fail them all.
			sqlTx.Rollback()
			for k, j := range group {
				j.done <- firstErr(results[k], wrap(err))
			}
			return nil
		}
	}
	err = t.flush(ctx)
	if err == nil {
		err = sqlTx.Commit()
	} else {
		sqlTx.Rollback()
	}
	if err != nil {
		return err
	}
	for i, j := range group {
		j.done <- results[i]
	}
	return nil
}

// runJob runs one write, turning a panic into that write's error: it runs
// on the batcher's goroutine, where a panic would end the whole server.
func runJob(j job, t tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = wrap(fmt.Errorf("panic in a write: %v", v))
		}
	}()
	return j.fn(t)
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
