package store

import (
	"context"
	"time"

	"minyi/org"
)

// RecordLoginFailure notes a failed login for the user name (which need not
// exist, so that guessing names is throttled too) from a remote address.
func (db *DB) RecordLoginFailure(ctx context.Context, name, remote string, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "INSERT INTO login_failures(name, at, remote) VALUES (?, ?, ?)",
			name, micros(at), remote)
		return wrap(err)
	})
}

// RecentLoginFailures counts the failed logins for the user name at or
// after since, from every address and from remote, and those from remote
// for any name at or after remoteSince.
func (db *DB) RecentLoginFailures(ctx context.Context, name, remote string, since, remoteSince time.Time) (org.LoginFailures, error) {
	var f org.LoginFailures
	err := db.queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN name = ? AND at >= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN name = ? AND remote = ? AND at >= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN remote = ? AND at >= ? THEN 1 ELSE 0 END), 0)
		FROM login_failures WHERE (name = ? AND at >= ?) OR (remote = ? AND at >= ?)`,
		name, micros(since), name, remote, micros(since), remote, micros(remoteSince),
		name, micros(since), remote, micros(remoteSince)).Scan(&f.Name, &f.NameFromAddress, &f.Address)
	return f, wrap(err)
}

// ClearLoginFailures forgets the failed logins for the user name from
// remote (from every address when remote is empty), after a successful
// login from there: failures from elsewhere still count.
func (db *DB) ClearLoginFailures(ctx context.Context, name, remote string) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "DELETE FROM login_failures WHERE name = ? AND (? = '' OR remote = ?)", name, remote, remote)
		return wrap(err)
	})
}

// PruneLoginFailures deletes failed logins older than before and reports how
// many, so that failures for names nobody logs in as again do not pile up.
func (db *DB) PruneLoginFailures(ctx context.Context, before time.Time) (int64, error) {
	return db.deleteCount(ctx, "DELETE FROM login_failures WHERE at < ?", micros(before))
}
