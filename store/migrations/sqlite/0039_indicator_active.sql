-- An indicator an admin retires (active = 0) takes no new entries, and
-- the entry pages stop offering it; its entries stay, are listed and still
-- count in the figures of their months. Every indicator defined so far is
-- active. (SQLite has no ADD COLUMN IF NOT EXISTS: a test that goes back
-- to an older schema drops the column, or the table, first.)
ALTER TABLE indicator_definitions ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
