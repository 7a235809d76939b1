-- The breakdown counters again by month: a year's split by category and
-- channel then reads twelve months' rows, and only the partial months at
-- the edges of a period read days.
CREATE TABLE group_tallies_monthly (
    month     TEXT NOT NULL, -- YYYY-MM, China time
    unit_code TEXT NOT NULL,
    dim       TEXT NOT NULL,
    key       TEXT NOT NULL,
    received  BIGINT NOT NULL DEFAULT 0,
    closed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, unit_code, dim, key)
);

INSERT INTO group_tallies_monthly(month, unit_code, dim, key, received, closed)
SELECT substr(day, 1, 7), unit_code, dim, key, SUM(received), SUM(closed)
FROM group_tallies GROUP BY substr(day, 1, 7), unit_code, dim, key;
