package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/alexedwards/scs/v2"
)

// *DB is the web layer's session store (web.Services.Sessions, under
// scs.SessionManager), so sessions live in the same database (and the same
// backups) as everything else and survive restarts and several servers
// sharing one PostgreSQL.
var (
	_ scs.CtxStore         = (*DB)(nil)
	_ scs.IterableCtxStore = (*DB)(nil)
	_ scs.IterableStore    = (*DB)(nil)
)

// Expiry is compared with the server's clock in Go, not the database's, so
// SQLite and PostgreSQL agree and a session never outlives the deadline scs
// gave it even if the database host's clock differs.

// FindCtx returns the data of a live session; an unknown or expired token is
// not found and not an error, as scs requires.
func (db *DB) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := db.queryRow(ctx, "SELECT data FROM sessions WHERE token = ? AND expiry > ?",
		token, micros(time.Now())).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap(err)
	}
	return data, true, nil
}

// CommitCtx stores a session's data and expiry, replacing any earlier version.
func (db *DB) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	if data == nil {
		// A nil slice would reach the driver as NULL and break NOT NULL.
		data = []byte{}
	}
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO sessions(token, data, expiry) VALUES (?, ?, ?)
			ON CONFLICT(token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
			token, data, micros(expiry))
		return wrap(err)
	})
}

// DeleteCtx removes a session; deleting an unknown token is not an error.
func (db *DB) DeleteCtx(ctx context.Context, token string) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "DELETE FROM sessions WHERE token = ?", token)
		return wrap(err)
	})
}

// AllCtx returns the data of every live session by token (empty, not nil, if none).
func (db *DB) AllCtx(ctx context.Context) (map[string][]byte, error) {
	rows, err := db.query(ctx, "SELECT token, data FROM sessions WHERE expiry > ?", micros(time.Now()))
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			return nil, wrap(err)
		}
		out[token] = data
	}
	return out, wrap(rows.Err())
}

// Find is FindCtx without a context, for scs.Store.
func (db *DB) Find(token string) ([]byte, bool, error) {
	return db.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context, for scs.Store.
func (db *DB) Commit(token string, data []byte, expiry time.Time) error {
	return db.CommitCtx(context.Background(), token, data, expiry)
}

// Delete is DeleteCtx without a context, for scs.Store.
func (db *DB) Delete(token string) error {
	return db.DeleteCtx(context.Background(), token)
}

// All is AllCtx without a context, for scs.IterableStore.
func (db *DB) All() (map[string][]byte, error) {
	return db.AllCtx(context.Background())
}

// DeleteExpiredSessions removes expired sessions and reports how many; Find
// already ignores them, so this only reclaims space and may run rarely.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	return db.deleteCount(ctx, "DELETE FROM sessions WHERE expiry <= ?", micros(time.Now()))
}
