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
	err := db.queryRow(ctx, "SELECT item_number, meeting_id, register, record_id FROM form_results WHERE form_key = ?", key).Scan(&r.Number, &r.Meeting, &r.Register, &r.Record)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("表单结果", "form result", nil)
	}
	return r, wrap(err)
}

// recordForm notes in t what the form with key filed; a key already noted
// means the form was sent twice at once, and the second sending gives way.
func (t tx) recordForm(ctx context.Context, key string, r archive.FormResult, at time.Time) error {
	_, err := t.exec(ctx, "INSERT INTO form_results(form_key, item_number, meeting_id, register, record_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		key, r.Number, r.Meeting, r.Register, r.Record, micros(at))
	if isUniqueViolation(err) {
		return minyi.Errorf(minyi.EConflict, "这张表单已经提交过 / this form has already been sent")
	}
	return wrap(err)
}

// recordFormOf notes in t the record id of register reg that a page form
// created (archive.FileOnce), when it came from one.
func (t tx) recordFormOf(ctx context.Context, f archive.Form, reg string, id int64, at time.Time) error {
	if f.FormKey == "" {
		return nil
	}
	return t.recordForm(ctx, f.FormKey, archive.FormResult{Register: reg, Record: id}, at)
}
