-- Issue 14. The items' lists take the days of answer and of closure
-- (answered_from/answered_to, closed_from/closed_to) beside the day of
-- receipt: the items answered, or closed, in a period, whenever received.
-- Each partial index holds only the items answered, or closed, by that
-- time, with the unit (every officer's list names their units) and the
-- time of receipt (the lists' order and cursor), so that a page, and the
-- total of a list that names nothing else, is read from the index alone.
-- An item gets its entry when first answered, or when closed (a reopened
-- item leaves the closed index until closed again).
CREATE INDEX IF NOT EXISTS items_answered ON items(answered_at, unit_code, received_at, id) WHERE answered_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_closed ON items(closed_at, unit_code, received_at, id) WHERE closed_at IS NOT NULL;
