package store

import (
	"context"
	"database/sql"

	"minyi/archive"
)

// writeAttachments stores the files of an answer's event e, after the log
// gave it its sequence, in the event's transaction.
func writeAttachments(ctx context.Context, t tx, itemID int64, e *archive.Event) error {
	for i := range e.Attachments {
		a := &e.Attachments[i]
		a.Seq = e.Seq
		err := t.queryRow(ctx, "INSERT INTO item_attachments(item_id, event_seq, name, content_type, size, sha256, data) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			itemID, e.Seq, a.Name, a.ContentType, a.Size, a.SHA256, a.Data).Scan(&a.ID)
		if err != nil {
			return wrap(err)
		}
	}
	return nil
}

// ItemAttachments lists the attachments of an item's answers, without
// their bytes, in the order they were stored.
func (db *DB) ItemAttachments(ctx context.Context, itemID int64) ([]archive.AttachmentInfo, error) {
	rows, err := db.query(ctx, "SELECT id, event_seq, name, content_type, size, sha256 FROM item_attachments WHERE item_id = ? ORDER BY id", itemID)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []archive.AttachmentInfo
	for rows.Next() {
		var a archive.AttachmentInfo
		if err := rows.Scan(&a.ID, &a.Seq, &a.Name, &a.ContentType, &a.Size, &a.SHA256); err != nil {
			return nil, wrap(err)
		}
		out = append(out, a)
	}
	return out, wrap(rows.Err())
}

// ItemAttachment returns one attachment of an item with its bytes.
func (db *DB) ItemAttachment(ctx context.Context, itemID, id int64) (archive.Attachment, error) {
	var a archive.Attachment
	err := db.queryRow(ctx, "SELECT id, event_seq, name, content_type, size, sha256, data FROM item_attachments WHERE id = ? AND item_id = ?",
		id, itemID).Scan(&a.ID, &a.Seq, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Data)
	if err == sql.ErrNoRows {
		return a, notFound("附件", "attachment", id)
	}
	return a, wrap(err)
}
