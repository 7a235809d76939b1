-- One event log for every register: an event names its register (items,
-- meetings, …) and its record (record_id, the row's id in the register's
-- table; record, its number or key), with no foreign key to items. The
-- items' events written so far become events of register 'items' with
-- their hashes untouched: hash_version 1 is the formula they were hashed
-- with, which covers the item number but not the register or the id
-- (eventlog.HashV1); new events are hashed with version 2. SQLite cannot
-- drop a foreign key, so the table is rebuilt in the same order.
CREATE TABLE events_log (
    seq          INTEGER PRIMARY KEY,
    register     TEXT NOT NULL,
    record_id    INTEGER NOT NULL,
    record       TEXT NOT NULL,
    type         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           INTEGER NOT NULL,
    from_state   TEXT NOT NULL DEFAULT '',
    to_state     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    public       INTEGER NOT NULL DEFAULT 0,
    data         TEXT NOT NULL DEFAULT '',
    hash_version INTEGER NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
INSERT INTO events_log(seq, register, record_id, record, type, actor, at, from_state, to_state, body, public,
    data, hash_version, prev_hash, hash)
SELECT seq, 'items', item_id, item_number, type, actor, at, from_status, to_status, body, public,
    data, 1, prev_hash, hash FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_log RENAME TO events;
-- A record's timeline (an item's events on its page and the tracking page),
-- in order without sorting.
CREATE INDEX events_record ON events(register, record_id, seq);
-- Open311's servicerequestupdates lists events by time.
CREATE INDEX events_at ON events(at);

-- Notices and webhook deliveries hang off the log's event: its seq (as
-- before), register and record.
ALTER TABLE notices RENAME COLUMN item_id TO record_id;
ALTER TABLE notices RENAME COLUMN item_number TO record;
ALTER TABLE notices ADD COLUMN register TEXT NOT NULL DEFAULT 'items';
DROP INDEX notices_item;
CREATE INDEX notices_record ON notices(register, record_id, id);

ALTER TABLE webhook_deliveries RENAME COLUMN item_id TO record_id;
ALTER TABLE webhook_deliveries RENAME COLUMN item_number TO record;
ALTER TABLE webhook_deliveries ADD COLUMN register TEXT NOT NULL DEFAULT 'items';
-- Deliveries of one record to one endpoint go out in order: the worker looks
-- for an earlier unfinished one.
DROP INDEX webhook_deliveries_item;
CREATE INDEX webhook_deliveries_record ON webhook_deliveries(webhook_id, register, record_id, id);
