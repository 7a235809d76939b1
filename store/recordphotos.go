package store

import (
	"context"
	"database/sql"
	"time"

	"minyi/archive"
)

// storedPhoto is a ledger record's photo as a list of records reads it:
// which record and entry it belongs to, without its bytes.
type storedPhoto struct {
	archive.PhotoInfo
	record int64
	entry  int
}

// writeRecordPhotos stores photos of register's record id in t, at, and
// returns them as read back (with their IDs), in the order given.
func writeRecordPhotos(ctx context.Context, t tx, register string, id int64, photos []archive.NewPhoto, at time.Time) ([]storedPhoto, error) {
	out := make([]storedPhoto, len(photos))
	for i, p := range photos {
		out[i] = storedPhoto{PhotoInfo: p.PhotoInfo, record: id, entry: p.Entry}
		err := t.queryRow(ctx, `INSERT INTO record_photos(register, record_id, entry, content_type, size, sha256, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			register, id, p.Entry, p.ContentType, len(p.Data), p.SHA256, p.Data, micros(at)).Scan(&out[i].ID)
		if err != nil {
			return nil, wrap(err)
		}
		out[i].Size = len(p.Data)
	}
	return out, nil
}

// deleteRecordPhotos removes the photos ids of register's record id in t;
// one that is not the record's is not_found, and the transaction then
// writes nothing.
func deleteRecordPhotos(ctx context.Context, t tx, register string, id int64, ids []int64) error {
	for _, photo := range ids {
		res, err := t.exec(ctx, "DELETE FROM record_photos WHERE id = ? AND register = ? AND record_id = ?", photo, register, id)
		if err != nil {
			return wrap(err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrap(err)
		} else if n == 0 {
			return notFound("照片", "photo", photo)
		}
	}
	return nil
}

// recordPhotos reads the photos of register's records ids (a page at
// most), without their bytes, in the order they were added.
func (db *DB) recordPhotos(ctx context.Context, register string, ids []int64) ([]storedPhoto, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{register}
	for _, id := range ids {
		args = append(args, id)
	}
	return list(ctx, db, "SELECT record_id, entry, id, content_type, size, sha256 FROM record_photos WHERE register = ? AND record_id IN ("+
		placeholders(len(ids))+") ORDER BY record_id, id", func(s scanner) (storedPhoto, error) {
		var p storedPhoto
		err := s.Scan(&p.record, &p.entry, &p.ID, &p.ContentType, &p.Size, &p.SHA256)
		return p, err
	}, args...)
}

// RecordPhoto returns a photo, with its bytes, of register's record id.
func (db *DB) RecordPhoto(ctx context.Context, register string, id, photo int64) (archive.Photo, error) {
	var p archive.Photo
	err := db.queryRow(ctx, "SELECT id, content_type, size, sha256, data FROM record_photos WHERE id = ? AND register = ? AND record_id = ?",
		photo, register, id).Scan(&p.ID, &p.ContentType, &p.Size, &p.SHA256, &p.Data)
	if err == sql.ErrNoRows {
		return p, notFound("照片", "photo", photo)
	}
	return p, wrap(err)
}
