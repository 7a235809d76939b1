package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Setting returns the value of a bureau setting, "" when it was never set.
func (db *DB) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := db.queryRow(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, wrap(err)
}

// SetSetting stores a bureau setting, noting who changed it and when.
func (db *DB) SetSetting(ctx context.Context, name, value, by string) error {
	return db.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, `INSERT INTO settings(name, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			name, value, by, micros(time.Now()))
		return wrap(err)
	})
}
