-- Issue 15 §11: an answer's attachments (答复附件), photos and PDF
-- documents, written with the answer's event (event_seq) in its
-- transaction; the event's data holds their SHA-256 sums, so the log
-- covers their bytes. Checked by archive.CheckAttachments.
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS item_attachments (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items(id),
    event_seq    INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS item_attachments_item ON item_attachments(item_id, id);
