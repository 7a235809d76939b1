package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"minyi"
)

// Failures that are the database's state, not the request's: the client
// may try again later (503 or 507 with Retry-After), and an operator must
// act. Everything else stays internal (500).

// errStorageFull and errUnavailable are the messages users see; the cause
// stays in Err for the log.
func errStorageFull(err error) error {
	return &minyi.Error{Code: minyi.EStorageFull, Err: err,
		Message: "存储空间已满，暂时无法保存，请稍后再试 / storage is full: nothing can be saved until space is freed; try again later"}
}

func errUnavailable(err error) error {
	return &minyi.Error{Code: minyi.EUnavailable, Err: err,
		Message: "数据库暂时不可用，请稍后再试 / the database is unavailable; try again shortly"}
}

// classify returns the minyi error for a failure of the database itself,
// or nil when err is something else.
func classify(err error) error {
	var se *sqlite.Error
	var pgErr *pgconn.PgError
	var connErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return errStorageFull(err)
	case errors.As(err, &se):
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return errStorageFull(err)
		case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
			return errUnavailable(err)
		}
	case errors.As(err, &pgErr):
		switch {
		case pgErr.Code == "53100": // disk_full
			return errStorageFull(err)
		case strings.HasPrefix(pgErr.Code, "53"), // insufficient resources: memory, connections
			strings.HasPrefix(pgErr.Code, "08"),                                 // connection exceptions
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // shut down, crashed, starting
			return errUnavailable(err)
		}
	case errors.As(err, &connErr), errors.As(err, &netErr), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF), pgconn.Timeout(err):
		return errUnavailable(err)
	case strings.Contains(err.Error(), "sql: database is closed"), strings.Contains(err.Error(), "conn closed"):
		return errUnavailable(err)
	}
	return nil
}

// writeFailureWindow is how long a write refused for want of storage or
// connection keeps the database reported degraded, unless a write
// succeeds first.
const writeFailureWindow = time.Minute

// writeHealth remembers the last write the database refused for a reason
// of its own state, for the health check.
type writeHealth struct {
	mu     sync.Mutex
	failed time.Time // zero: the last write succeeded
	err    error
}

// note records the outcome of a write.
func (h *writeHealth) note(err error) {
	code := minyi.ErrorCode(err)
	if err != nil && code != minyi.EStorageFull && (code != minyi.EUnavailable ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return // the request's own fault or a client gone: says nothing of the database
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.failed, h.err = time.Time{}, nil
		return
	}
	h.failed, h.err = time.Now(), err
}

// WriteFailure returns the error of the last write when the database
// refused it (full, unreachable) within the last minute and no write has
// succeeded since; nil otherwise.
func (db *DB) WriteFailure() error {
	h := &db.health
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failed.IsZero() || time.Since(h.failed) > writeFailureWindow {
		return nil
	}
	return h.err
}

// CapPages caps the SQLite database at pages pages of storage (0: SQLite's
// own limit again); SQLite never goes below the size already used. A write
// that needs more then fails as on a full disk (SQLITE_FULL), which is how
// the tests and an operator's drill rehearse one without filling a disk.
func (db *DB) CapPages(ctx context.Context, pages int64) error {
	if db.dialect.name != "sqlite" {
		return errors.New("CapPages: SQLite only")
	}
	if pages <= 0 {
		pages = 4294967294 // SQLITE_MAX_PAGE_COUNT
	}
	// The writer pool holds one connection, which every write uses.
	_, err := db.write.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.FormatInt(pages, 10))
	return err
}
