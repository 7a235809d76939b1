-- An item's time limit runs from its entry into the archive, while its
-- periods and rates count from when it was collected (received_at), which
-- staff may date back for a paper slip. Items before this migration were
-- timed from received_at, so that is their time of entry.
ALTER TABLE items ADD COLUMN entered_at INTEGER NOT NULL DEFAULT 0;
UPDATE items SET entered_at = received_at;
