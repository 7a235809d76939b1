package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"minyi"
	"minyi/archive"
)

// FormResult returns what the page form with key filed (archive.FormStore).
func (db *DB) FormResult(ctx context.Context, key string) (archive.FormResult, error) {
	var r archive.FormResult
	err := db.queryRow(ctx, "SELECT item_number, meeting_id FROM form_results WHERE form_key = ?", key).Scan(&r.Number, &r.Meeting)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("表单结果", "form result", nil)
	}
	return r, wrap(err)
}

// recordForm notes in t what the form with key filed; a key already noted
// means the form was sent twice at once, and the second sending gives way.
func (t tx) recordForm(ctx context.Context, key string, r archive.FormResult, at time.Time) error {
	_, err := t.exec(ctx, "INSERT INTO form_results(form_key, item_number, meeting_id, created_at) VALUES (?, ?, ?, ?)",
		key, r.Number, r.Meeting, micros(at))
	if isUniqueViolation(err) {
		return minyi.Errorf(minyi.EConflict, "这张表单已经提交过 / this form has already been sent")
	}
	return wrap(err)
}

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
