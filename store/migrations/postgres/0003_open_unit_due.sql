-- Overdue counts and due-date lists per unit read only the open items of
-- that unit, in due order, instead of every item the unit ever had.
CREATE INDEX items_open_unit_due ON items(unit_code, due_at, status) WHERE status IN ('received','returned','dispatched','signed','in_progress');
