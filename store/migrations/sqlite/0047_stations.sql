-- Issue 15 §7 and §8. A unit set to dispatch_by_bureau = 1 gets the items
-- addressed to it (its QR poster, its own staff's entries, its meetings)
-- only through the bureau's dispatch, as every unit did before; the others
-- have them at once. An item's assignee is the user name of the officer in
-- charge of it within its unit (承办人), '' until one is named. The partial
-- indexes hold only assigned items: an officer's open items due soonest
-- first (我的待办), and a unit's officers' workload counted from the index
-- alone. (SQLite has no ADD COLUMN IF NOT EXISTS: a test that goes back to
-- an older schema drops the indexes and columns first.)
ALTER TABLE units ADD COLUMN dispatch_by_bureau INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS items_assignee ON items(assignee, status, due_at) WHERE assignee <> '';
CREATE INDEX IF NOT EXISTS items_unit_assignee ON items(unit_code, assignee, status, due_at, answered_at) WHERE assignee <> '';
