-- One event log for every register: an event names its register (items,
-- meetings, …) and its record (record_id, the row's id in the register's
-- table; record, its number or key), with no foreign key to items. The
-- items' events written so far become events of register 'items' with
-- their hashes untouched: hash_version 1 is the formula they were hashed
-- with, which covers the item number but not the register or the id
-- (eventlog.HashV1); new events are hashed with version 2. The defaults
-- only fill the rows already there: every insert names both.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_item_id_fkey;
ALTER TABLE events RENAME COLUMN item_id TO record_id;
ALTER TABLE events RENAME COLUMN item_number TO record;
ALTER TABLE events RENAME COLUMN from_status TO from_state;
ALTER TABLE events RENAME COLUMN to_status TO to_state;
ALTER TABLE events ADD COLUMN register TEXT NOT NULL DEFAULT 'items';
ALTER TABLE events ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE events ALTER COLUMN register DROP DEFAULT;
ALTER TABLE events ALTER COLUMN hash_version DROP DEFAULT;
-- A record's timeline (an item's events on its page and the tracking page),
-- in order without sorting.
DROP INDEX events_item;
CREATE INDEX events_record ON events(register, record_id, seq);

-- Notices and webhook deliveries hang off the log's event: its seq (as
-- before), register and record.
ALTER TABLE notices RENAME COLUMN item_id TO record_id;
ALTER TABLE notices RENAME COLUMN item_number TO record;
ALTER TABLE notices ADD COLUMN register TEXT NOT NULL DEFAULT 'items';
ALTER TABLE notices ALTER COLUMN register DROP DEFAULT;
DROP INDEX notices_item;
CREATE INDEX notices_record ON notices(register, record_id, id);

ALTER TABLE webhook_deliveries RENAME COLUMN item_id TO record_id;
ALTER TABLE webhook_deliveries RENAME COLUMN item_number TO record;
ALTER TABLE webhook_deliveries ADD COLUMN register TEXT NOT NULL DEFAULT 'items';
ALTER TABLE webhook_deliveries ALTER COLUMN register DROP DEFAULT;
-- Deliveries of one record to one endpoint go out in order: the worker looks
-- for an earlier unfinished one.
DROP INDEX webhook_deliveries_item;
CREATE INDEX webhook_deliveries_record ON webhook_deliveries(webhook_id, register, record_id, id);
