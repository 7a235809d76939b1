-- Breakdown counters: items received and closed per unit, day of receipt
-- (China time) and category or channel, kept with the items like the
-- tallies, so the dashboard never reads a year of items.
CREATE TABLE group_tallies (
    day       TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    dim       TEXT NOT NULL, -- category or channel
    key       TEXT NOT NULL,
    received  BIGINT NOT NULL DEFAULT 0,
    closed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, unit_code, dim, key)
);

INSERT INTO group_tallies(day, unit_code, dim, key, received, closed)
SELECT date(received_at / 1000000, 'unixepoch', '+8 hours'), unit_code, 'category', category, COUNT(*), SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END)
FROM items GROUP BY 1, 2, 4;

INSERT INTO group_tallies(day, unit_code, dim, key, received, closed)
SELECT date(received_at / 1000000, 'unixepoch', '+8 hours'), unit_code, 'channel', channel, COUNT(*), SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END)
FROM items GROUP BY 1, 2, 4;
