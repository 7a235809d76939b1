package store

import (
	"context"
	"database/sql"
	"time"

	"minyi/archive"
	"minyi/outbox"
)

const noticeColumns = `id, record_id, record, event_seq, kind, phone, body, display, status, attempts,
	last_error, created_at, sent_at`

func scanNotice(s scanner) (archive.Notice, error) {
	var n archive.Notice
	var created int64
	var sent sql.NullInt64
	err := s.Scan(&n.ID, &n.ItemID, &n.ItemNumber, &n.EventSeq, &n.Kind, &n.Phone, &n.Body, &n.Display,
		&n.Status, &n.Attempts, &n.LastError, &created, &sent)
	n.CreatedAt, n.SentAt = fromMicros(created), timePtr(sent)
	return n, err
}

// Notice returns one notice.
func (db *DB) Notice(ctx context.Context, id int64) (archive.Notice, error) {
	n, err := scanNotice(db.queryRow(ctx, "SELECT "+noticeColumns+" FROM notices WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return n, notFound("通知", "notice", id)
	}
	return n, wrap(err)
}

// blankNoticeCode, added to the SET of the UPDATE that records a notice
// sent or failed for good, replaces the text as sent with the text as staff
// see it, the access code blanked: once nothing will send the notice
// again, nothing needs the code, and a copy of the database must not hold
// it (the citizen's access to their item).
const blankNoticeCode = ", body = display"

// RecordNotice stores the outcome of a delivery attempt.
func (db *DB) RecordNotice(ctx context.Context, id int64, sentAt *time.Time, errText string, final bool) error {
	return db.recordAttempt(ctx, "notices", id, nil, sentAt, errText, final)
}

// Notices lists notices, newest first.
func (db *DB) Notices(ctx context.Context, f outbox.NoticeFilter) ([]archive.Notice, error) {
	var w where
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.Item != "" {
		w.add("register = ? AND record = ?", archive.Register, f.Item)
	}
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	return list(ctx, db, "SELECT "+noticeColumns+" FROM notices"+w.sql()+" ORDER BY id DESC LIMIT ?",
		scanNotice, append(w.args, pageLimit(f.Limit))...)
}
