package store

import (
	"context"
	"database/sql"
	"time"

	"minyi/ratelimit"
)

// *DB keeps the abuse limits' counts, so that they hold across every
// server on one database.
var _ ratelimit.Counter = (*DB)(nil)

// HitRateLimit counts one use of key in the window starting at start with
// one statement: a key seen in an earlier window starts again from one.
func (db *DB) HitRateLimit(ctx context.Context, key string, start, expires time.Time) (int, error) {
	var n int
	err := db.inTx(ctx, func(t tx) error {
		var err error
		n, err = t.hitRateLimit(ctx, key, start, expires)
		return err
	})
	return n, err
}

func (t tx) hitRateLimit(ctx context.Context, key string, start, expires time.Time) (int, error) {
	var n int
	err := t.queryRow(ctx, `INSERT INTO rate_limits(bucket, window_start, hits, expires) VALUES (?, ?, 1, ?)
		ON CONFLICT(bucket) DO UPDATE SET
			hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
			window_start = excluded.window_start, expires = excluded.expires
		RETURNING hits`, key, micros(start), micros(expires)).Scan(&n)
	return n, wrap(err)
}

// countUse counts use in t, the transaction of the write it limits, and
// reports whether it went past its allowance.
func (t tx) countUse(ctx context.Context, use ratelimit.Use) (bool, error) {
	n, err := t.hitRateLimit(ctx, use.Key, use.Start, use.End)
	return use.Over(n), err
}

// RateLimitCount returns the uses of key counted in the window starting at start.
func (db *DB) RateLimitCount(ctx context.Context, key string, start time.Time) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?", key, micros(start)).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, wrap(err)
}

// PruneRateLimits deletes the counts whose window expired before before and
// reports how many.
func (db *DB) PruneRateLimits(ctx context.Context, before time.Time) (int64, error) {
	return db.deleteCount(ctx, "DELETE FROM rate_limits WHERE expires < ?", micros(before))
}
