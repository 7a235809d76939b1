-- Staff web sessions (github.com/alexedwards/scs) and the failed logins that
-- drive account lockout. Times are Unix microseconds (UTC), as in 0001.
CREATE TABLE sessions (
    token  TEXT NOT NULL PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry INTEGER NOT NULL
);
-- Cleanup deletes by expiry.
CREATE INDEX sessions_expiry ON sessions(expiry);

-- One row per failed login: counting rows in a window lets the lockout
-- policy change without a migration. Rows go when the user logs in or when
-- they age out (PruneLoginFailures).
CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    at     INTEGER NOT NULL,
    remote TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_failures_name_at ON login_failures(name, at);
CREATE INDEX login_failures_at ON login_failures(at);
