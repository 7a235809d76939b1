package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"minyi/archive"
)

// ChainError names the first event whose stored hash does not match.
type ChainError struct {
	Seq    int64
	Item   string
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("event %d (item %s): %s", e.Seq, e.Item, e.Reason)
}

// Verify walks the whole event log in order and checks the hash chain. It
// returns the number of events checked and a *ChainError at the first break.
func (db *DB) Verify(ctx context.Context) (int64, error) {
	rows, err := db.query(ctx, "SELECT "+eventColumns+" FROM events ORDER BY seq")
	if err != nil {
		return 0, wrap(err)
	}
	defer rows.Close()
	prev, want := archive.GenesisHash, int64(1)
	var n int64
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return n, &ChainError{Seq: want, Reason: "unreadable: " + err.Error()}
		}
		switch {
		case e.Seq != want:
			return n, &ChainError{Seq: want, Item: e.ItemNumber, Reason: fmt.Sprintf("missing (next stored event is %d)", e.Seq)}
		case e.PrevHash != prev:
			return n, &ChainError{Seq: e.Seq, Item: e.ItemNumber, Reason: "prev_hash does not match the previous event"}
		case e.ComputeHash(prev) != e.Hash:
			return n, &ChainError{Seq: e.Seq, Item: e.ItemNumber, Reason: "content does not match its hash (edited)"}
		}
		prev, want, n = e.Hash, want+1, n+1
	}
	if err := rows.Err(); err != nil {
		return n, wrap(err)
	}
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, "SELECT seq, hash FROM chain_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return n, wrap(err)
	}
	if headSeq != n || headHash != prev {
		return n, &ChainError{Seq: headSeq, Reason: fmt.Sprintf("chain head says %d events but %d are stored (events deleted at the end?)", headSeq, n)}
	}
	return n, nil
}

// Backup writes a consistent copy of the SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot). PostgreSQL is backed
// up with pg_dump; see docs/OPERATIONS.md.
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
	// A connection of its own: the read pool is query_only, which SQLite
	// applies to VACUUM INTO's target too, and the writer must stay free.
	conn, err := sql.Open("sqlite", sqliteDSN(filepath.Join(db.url, SQLiteFile), false))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "VACUUM INTO ?", abs)
	return err
}
