-- Issue 15 §9: staff's notifications. An alert is one thing to tell a
-- unit's staff or one officer (notify.Alert), written once by its key: in
-- the transaction of the event that causes it (dispatch, assignment, redo,
-- supervision), or by the periodic job (due soon, overdue, the daily
-- digest). It fans out to one notification per officer, read and marked
-- read by that officer alone (the unread count reads a short range of
-- notifications_unread), and to the unit's chat robots: webhooks of format
-- wecom or dingtalk (webhook_formats), for one unit or (unit '') every
-- unit.
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS alerts (
    id         INTEGER PRIMARY KEY,
    alert_key  TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    register   TEXT NOT NULL DEFAULT '',
    record_id  INTEGER NOT NULL DEFAULT 0,
    record     TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    event_seq  INTEGER NOT NULL DEFAULT 0,
    due_at     INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
-- The digest counts a day's alerts per unit and kind.
CREATE INDEX IF NOT EXISTS alerts_created ON alerts(created_at, unit, kind, record_id);
CREATE TABLE IF NOT EXISTS notifications (
    id        INTEGER PRIMARY KEY,
    alert_id  INTEGER NOT NULL REFERENCES alerts(id),
    username  TEXT NOT NULL,
    read_at   INTEGER,
    UNIQUE (alert_id, username)
);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications(username, id);
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications(username, id) WHERE read_at IS NULL;
-- A webhook's format and, for a robot, its unit; a webhook without a row
-- here (every one made before) is minyi's format.
CREATE TABLE IF NOT EXISTS webhook_formats (
    webhook_id INTEGER PRIMARY KEY REFERENCES webhooks(id),
    format     TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT ''
);
