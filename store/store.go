// Package store keeps minyi's data in SQLite (the embedded default) or
// PostgreSQL (for installations shared by many servers). One implementation
// of plain SQL serves both; the few places where the dialects differ
// (placeholders, full-text search, row locks, group commit) are behind the
// dialect type. Every write runs in one transaction: a record's row, its
// events in the log, its search tokens, its counters and its outbox rows
// commit together or not at all.
//
// One file per table or concern:
//
//	store.go       DB: open, close, ping; OpenExisting for the commands that read an archive
//	sqlite.go, postgres.go, dialect.go  the two databases and where their SQL differs
//	migrate.go     embedded migrations (migrations/{sqlite,postgres})
//	tx.go          write transactions (tx, inTx, updateOne, deleteCount)
//	batch.go       group commit: concurrent writes share one SQLite transaction
//	pending.go     what a transaction writes once just before it commits
//	query.go       reads: query, list, scanner, the where filter builder, placeholders
//	values.go      Go values to stored ones and back (times as microseconds, booleans)
//	errors.go      database errors as minyi errors (wrap, notFound, duplicate)
//	failure.go     the database's own failures (full, unreachable) and the last write's health
//	items.go       items and their photos; tracking numbers
//	finditems.go   item lists (FindItems), inbox counts, desk candidates
//	search.go, searchindex.go  full-text search and its per-scope indexes
//	events.go      the one event log of every register (appendLog, chain head, item events)
//	verify.go      checking the log's hash chain
//	backup.go      online backup and opening a backup
//	tallies.go     reporting's counters, kept in each record's transaction
//	dashboard.go   reporting's reads: stats, trend, breakdown, overdue by unit
//	meetings.go    meetings, their opinions and their figures
//	matters.go     practical matters: participants, items, progress, outcomes, search terms, figures
//	measures.go    convenience measures: their items and matters, search terms, figures
//	volunteer.go, servicepoints.go  volunteer activities and service points, their figures
//	campaigns.go   campaigns, their meetings and documents; the ledgers' campaign filter
//	recordphotos.go  the ledgers' photos (a matter's progress and story, an activity's), one table for all
//	ledgerlists.go the ledgers' search tokens, cursors and counts
//	open311.go     what Open311 reads: public events and last updates
//	org.go         units, branches, users
//	categories.go, canned.go, holidays.go, settings.go  archive configuration
//	forms.go       page forms' results (a form sent twice files once)
//	outbox.go      the job queue and the outbox rows an event causes; outbox counts
//	notices.go, webhooks.go  notices to citizens; webhooks and their deliveries
//	tokens.go, apikeys.go, totp.go  API tokens, Open311 API keys, second factors
//	sessions.go, loginfailures.go, shownonce.go, ratelimits.go  sessions, login throttling,
//	               secrets shown once, rate-limit counters
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"minyi/org"
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
	// searchCap is SetSearchTotalCap's; 0: defaultSearchTotalCap.
	searchCap atomic.Int64
	// trace, when set (by tests only), is given every read's SQL and
	// arguments as query or queryRow runs it: to look at the plans of the
	// lists, or to write between two reads.
	trace atomic.Pointer[func(q string, args []any)]
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

// URL returns what the database was opened with (a directory for SQLite).
func (db *DB) URL() string { return db.url }

// Empty reports whether the database holds no units yet (a fresh install).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM units").Scan(&n)
	return n == 0, wrap(err)
}

// OpenExisting opens the archive at url like Open, but refuses one that is
// not there instead of creating it: a command that reads an archive
// (verify, backup) given a wrong --data or --database must fail, not
// report on a new empty archive.
func OpenExisting(ctx context.Context, url string) (*DB, error) {
	if IsPostgres(url) {
		db, err := openPostgres(ctx, url)
		if err != nil {
			return nil, err
		}
		var table sql.NullString
		if err := db.read.QueryRowContext(ctx, "SELECT to_regclass('schema_migrations')::text").Scan(&table); err != nil {
			db.Close()
			return nil, wrap(err)
		}
		if !table.Valid {
			db.Close()
			return nil, errors.New("no minyi archive in this PostgreSQL database (no schema_migrations table in its search_path): check --database")
		}
		if err := db.migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	dir := url
	if dir == "" {
		dir = "data"
	}
	file := filepath.Join(dir, SQLiteFile)
	if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
		return nil, fmt.Errorf("no minyi archive in %s (%s is missing or empty): check --data", dir, SQLiteFile)
	}
	return Open(ctx, url)
}
