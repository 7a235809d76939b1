-- Issue 15 §8, §13: a unit's queue of the items no officer holds (未派,
-- assignee=none) reads them from the index of the unit's open items: with
-- the assignee in it, the list reads only the rows it shows instead of
-- every open item of the unit (5,795 rows of a station at 1,000,000 items:
-- 75 ms warm against 1 ms). The partial indexes of assigned items (0047)
-- hold no unassigned item.
DROP INDEX IF EXISTS items_open_unit_due;
CREATE INDEX items_open_unit_due ON items(unit_code, due_at, status, received_at, assignee) WHERE status IN ('received','returned','dispatched','signed','in_progress');
