package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"minyi/org"
)

// Secrets waiting to be shown once (org.ShownOnce): sealed under a key the
// database never holds, deleted when shown, pruned when expired.

// PutShownOnce stores a sealed secret waiting to be shown.
func (db *DB) PutShownOnce(ctx context.Context, s org.ShownOnce) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "INSERT INTO shown_once(id, owner_id, kind, sealed, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			s.ID, s.Owner, s.Kind, s.Sealed, micros(s.CreatedAt), micros(s.ExpiresAt))
		return wrap(err)
	})
}

// ShownOnce returns owner's secret with id, unless it expired by now.
func (db *DB) ShownOnce(ctx context.Context, id string, owner int64, now time.Time) (org.ShownOnce, error) {
	s := org.ShownOnce{ID: id, Owner: owner}
	var created, expires int64
	err := db.queryRow(ctx, "SELECT kind, sealed, created_at, expires_at FROM shown_once WHERE id = ? AND owner_id = ? AND expires_at > ?",
		id, owner, micros(now)).Scan(&s.Kind, &s.Sealed, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("待显示内容", "secret to show", nil)
	}
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return s, wrap(err)
}

// DeleteShownOnce removes a secret once shown and reports whether it was
// still there.
func (db *DB) DeleteShownOnce(ctx context.Context, id string) (bool, error) {
	n, err := db.deleteCount(ctx, "DELETE FROM shown_once WHERE id = ?", id)
	return n > 0, err
}

// PruneShownOnce deletes the secrets that expired by now, never shown, and
// reports how many.
func (db *DB) PruneShownOnce(ctx context.Context, now time.Time) (int64, error) {
	return db.deleteCount(ctx, "DELETE FROM shown_once WHERE expires_at <= ?", micros(now))
}
