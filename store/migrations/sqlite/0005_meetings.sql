-- Meetings (座谈会、恳谈会) where the police listened to a group of citizens,
-- and the items raised at each. Days are YYYY-MM-DD in China time, as in
-- tallies; times are Unix microseconds (UTC).
CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    day             TEXT NOT NULL,
    place           TEXT NOT NULL,
    host_unit       TEXT NOT NULL,
    attendee_groups TEXT NOT NULL DEFAULT '', -- one group per line
    attendees       INTEGER NOT NULL DEFAULT 0,
    minutes         TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
-- Lists are newest first, for everyone or for one host unit.
CREATE INDEX meetings_day ON meetings(day, id);
CREATE INDEX meetings_unit_day ON meetings(host_unit, day, id);

-- A link table rather than a meeting_id column on items: the items row, its
-- column list and its scans are shared by every query of the archive and
-- describe the item's lifecycle state, which a meeting never changes; the
-- link is written once, with the item, and is also recorded in the item's
-- hash-chained received event. An item is raised at one meeting at most.
CREATE TABLE meeting_items (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    item_id    INTEGER NOT NULL UNIQUE REFERENCES items(id),
    PRIMARY KEY (meeting_id, item_id)
);
