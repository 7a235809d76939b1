-- Secrets shown once after a redirect (org.ShownOnce): a new password, key,
-- signing secret or API token, or a citizen's contact just revealed, waits
-- here for the page that shows it, which deletes the row. The payload is
-- sealed under a key of its own that only the browser holds (a cookie), so
-- this table alone yields nothing; rows expire after minutes and
-- housekeeping prunes them.
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS shown_once (
    id         TEXT PRIMARY KEY,
    owner_id   BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    sealed     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS shown_once_expires ON shown_once(expires_at);
