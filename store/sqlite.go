package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

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
		// SQLite's own memory, every connection's together (the process's
		// setting, the same on each): past it SQLite reuses its page
		// caches' memory rather than growing them, so a server that has
		// made a year's reports and workbook stays within issue 14's
		// 250 MB with Go's soft limit (serve --memory-limit).
		"soft_heap_limit(" + strconv.Itoa(SQLiteHeapLimit) + ")",
	} {
		q.Add("_pragma", p)
	}
	// Page caches, in KiB: the writer's holds the index pages that every
	// commit touches; readers share the operating system's file cache, so a
	// small one each keeps the server's memory flat as the pool grows. At
	// 12 MB each, a year's reports of a million-item archive left the
	// server at 247 MB (the soft heap limit did not take the caches back);
	// at 4 MB, 162 MB, the reports and pages as fast (BENCHMARKS.md).
	if readOnly {
		q.Add("_pragma", "cache_size(-4000)")
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "cache_size(-32000)")
		// Take the write lock at BEGIN so a transaction never fails half-way
		// on a lock upgrade.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// SQLiteHeapLimit is SQLite's soft heap limit in bytes (PRAGMA
// soft_heap_limit): its page caches (32 MB for the writer, 4 MB for each
// reader) and statements together.
const SQLiteHeapLimit = 64 << 20

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
