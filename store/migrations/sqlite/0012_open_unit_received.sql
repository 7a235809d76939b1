-- A unit's queues list its open items newest first: with the time of
-- receipt in the index of its open items, the list sorts index entries and
-- reads only the rows it shows.
DROP INDEX items_open_unit_due;
CREATE INDEX items_open_unit_due ON items(unit_code, due_at, status, received_at) WHERE status IN ('received','returned','dispatched','signed','in_progress');
