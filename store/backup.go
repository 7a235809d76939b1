package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot). PostgreSQL is backed
// up with pg_dump; see docs/OPERATIONS.md. The copy is written under a
// temporary name beside path, synced, and only then given its name, so a
// copy cut short (a full disk, a crash) never stands where a backup should:
// the temporary file is removed and a retry finds path free.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect.name != "sqlite" {
		return fmt.Errorf("backup: use pg_dump for PostgreSQL (see docs/OPERATIONS.md)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", abs)
	}
	dir := filepath.Dir(abs)
	b := make([]byte, 6)
	rand.Read(b)
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".partial-"+hex.EncodeToString(b))
	defer os.Remove(tmp)
	// A connection of its own: the read pool is query_only, which SQLite
	// applies to VACUUM INTO's target too, and the writer must stay free.
	conn, err := sql.Open("sqlite", sqliteDSN(filepath.Join(db.url, SQLiteFile), false))
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncPath(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// A link never replaces a file that appeared meanwhile; a rename is the
	// fallback where the file system has no links.
	if err := os.Link(tmp, abs); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup: %s already exists; choose a new file", abs)
	} else if err != nil {
		if err := os.Rename(tmp, abs); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	return syncPath(dir)
}

// syncPath flushes a file or a directory (its entries) to the disk.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// OpenBackup opens a backup file (minyi backup's copy of an SQLite
// archive) read-only, after checking that it is whole: not empty, an
// SQLite database that passes integrity_check, holding minyi's schema at
// a version this program knows. Verify then checks its event log.
func OpenBackup(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	switch {
	case err != nil:
		return nil, fmt.Errorf("backup %s: %w", abs, err)
	case fi.IsDir():
		return nil, fmt.Errorf("backup %s is a directory; give the backup file", abs)
	case fi.Size() == 0:
		return nil, fmt.Errorf("backup %s is empty (0 bytes): it is not a complete backup", abs)
	}
	conn, err := sql.Open("sqlite", "file:"+abs+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	fail := func(format string, args ...any) (*DB, error) {
		conn.Close()
		return nil, fmt.Errorf("backup %s "+format, append([]any{abs}, args...)...)
	}
	var result string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&result); err != nil {
		return fail("is not a readable SQLite database (truncated or damaged?): %v", err)
	}
	if result != "ok" {
		return fail("is damaged: %s", result)
	}
	db := &DB{write: conn, read: conn, dialect: sqliteDialect, url: filepath.Dir(abs)}
	var version sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&version); err != nil || !version.Valid {
		return fail("holds no minyi archive (no schema version)")
	}
	if int(version.Int64) > db.SchemaVersion() {
		return fail("is at schema version %d, newer than this minyi (%d): verify it with a newer minyi", version.Int64, db.SchemaVersion())
	}
	return db, nil
}
