package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
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

// Settings returns the values of the bureau settings named, "" for each
// never set, read in one query: a reader sees them all as one SetSettings
// left them, never half before and half after it.
func (db *DB) Settings(ctx context.Context, names ...string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	if len(names) == 0 {
		return out, nil
	}
	for _, name := range names {
		out[name] = ""
	}
	rows, err := db.query(ctx, "SELECT name, value FROM settings WHERE name IN ("+placeholders(len(names))+")", anys(names)...)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return nil, wrap(err)
		}
		out[name] = value
	}
	return out, wrap(rows.Err())
}

// SetSetting stores a bureau setting, noting who changed it and when.
func (db *DB) SetSetting(ctx context.Context, name, value, by string) error {
	return db.SetSettings(ctx, map[string]string{name: value}, by)
}

// SetSettings stores several bureau settings in one transaction, noting who
// changed them and when: a form of several settings (the footer's) is
// stored whole or not at all.
func (db *DB) SetSettings(ctx context.Context, values map[string]string, by string) error {
	now := micros(time.Now())
	// In the names' order, so that two admins saving the same settings
	// lock their rows in the same order on PostgreSQL, not in each other's.
	names := slices.Sorted(maps.Keys(values))
	return db.inTx(ctx, func(t tx) error {
		for _, name := range names {
			if _, err := t.exec(ctx, `INSERT INTO settings(name, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				name, values[name], by, now); err != nil {
				return wrap(err)
			}
		}
		return nil
	})
}
