-- An indicator an admin retires (active = 0) takes no new entries, and
-- the entry pages stop offering it; its entries stay, are listed and still
-- count in the figures of their months. Every indicator defined so far is
-- active.
ALTER TABLE indicator_definitions ADD COLUMN IF NOT EXISTS active BIGINT NOT NULL DEFAULT 1;
