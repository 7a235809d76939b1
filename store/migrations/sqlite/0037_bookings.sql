-- Service points' slots and citizens' bookings (预约): a point's weekly
-- schedule (a slot is held on its weekdays from start to end, HH:MM China
-- time, for capacity citizens; kind regular, off_peak 错时, extended 延时 or
-- holiday 节假日), and the bookings of a slot on a day. A schedule is
-- replaced whole: the slots it replaces are retired, not deleted, since
-- bookings name them. Days are YYYY-MM-DD in China time; times are Unix
-- microseconds (UTC). (IF NOT EXISTS: the migration tests run the later
-- migrations again.)
CREATE TABLE IF NOT EXISTS booking_slots (
    id        INTEGER PRIMARY KEY,
    point_id  INTEGER NOT NULL REFERENCES service_points(id),
    pos       INTEGER NOT NULL,
    weekdays  TEXT NOT NULL, -- ISO weekdays, comma-separated: 1,2,3,4,5
    start_time TEXT NOT NULL,
    end_time  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    capacity  INTEGER NOT NULL,
    services  TEXT NOT NULL DEFAULT '', -- one service per line
    retired   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS booking_slots_point ON booking_slots(point_id, retired, pos);

CREATE TABLE IF NOT EXISTS bookings (
    id           INTEGER PRIMARY KEY,
    point_id     INTEGER NOT NULL REFERENCES service_points(id),
    slot_id      INTEGER NOT NULL REFERENCES booking_slots(id),
    unit         TEXT NOT NULL,
    day          TEXT NOT NULL,
    start_time   TEXT NOT NULL,
    end_time     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    service_id   INTEGER,          -- a one-stop service (一件事), when named
    service_name TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    phone        TEXT NOT NULL,
    id_number    TEXT NOT NULL DEFAULT '',
    elderly      INTEGER NOT NULL DEFAULT 0,
    green        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    cancelled_by TEXT NOT NULL DEFAULT '',
    code_hash    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
-- A citizen finds their booking by its code alone.
CREATE UNIQUE INDEX IF NOT EXISTS bookings_code ON bookings(code_hash);
-- The day's bookings of everyone, a unit or a point, by start; figures
-- range over the day.
CREATE INDEX IF NOT EXISTS bookings_day ON bookings(day, start_time, id);
CREATE INDEX IF NOT EXISTS bookings_unit_day ON bookings(unit, day, start_time, id);
CREATE INDEX IF NOT EXISTS bookings_point_day ON bookings(point_id, day, start_time, id);

-- The places taken of a point's slot starting at start_time on day: the
-- one row two bookings for the last place meet on, so that one wins.
CREATE TABLE IF NOT EXISTS booking_places (
    point_id   INTEGER NOT NULL REFERENCES service_points(id),
    day        TEXT NOT NULL,
    start_time TEXT NOT NULL,
    taken      INTEGER NOT NULL,
    PRIMARY KEY (point_id, day, start_time)
);

-- Each distinct search token of a booking (name, service, note).
CREATE TABLE IF NOT EXISTS booking_terms (
    term       TEXT NOT NULL,
    booking_id INTEGER NOT NULL REFERENCES bookings(id),
    PRIMARY KEY (term, booking_id)
);
CREATE INDEX IF NOT EXISTS booking_terms_booking ON booking_terms(booking_id);
