-- Abuse limits shared by every server on this database (ratelimit.Counter):
-- one row per limited key (a kind and a hash of the address, phone or
-- tracking number) holding its current fixed window and the uses counted
-- in it. Times are Unix microseconds (UTC), as in 0001. Rows go once their
-- window has expired (PruneRateLimits). IF NOT EXISTS: the migration tests
-- roll the schema version back and run the later migrations again.
CREATE TABLE IF NOT EXISTS rate_limits (
    bucket       TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         INTEGER NOT NULL,
    expires      BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limits_expires ON rate_limits(expires);

-- Failed logins are counted per client address as well as per name, so
-- that one address cannot lock an account for everyone.
CREATE INDEX IF NOT EXISTS login_failures_remote_at ON login_failures(remote, at);
