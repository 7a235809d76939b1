-- Photos of ledger records (a matter's progress entries and outcome story,
-- a volunteer activity), one table for every register: entry is the
-- number of the record's entry the photo belongs to (a matter's progress
-- entry, from 1), or 0 for the record itself (a matter's outcome story, an
-- activity). Checked as items' photos are (archive.CheckPhotos); the
-- event that adds a photo records its sha256, so the log covers it.
CREATE TABLE record_photos (
    id           INTEGER PRIMARY KEY,
    register     TEXT NOT NULL,
    record_id    INTEGER NOT NULL,
    entry        INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX record_photos_record ON record_photos(register, record_id, id);
