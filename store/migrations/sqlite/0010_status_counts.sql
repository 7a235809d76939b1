-- How many items each unit has in each status, kept with the items like
-- the tallies: the inbox's queue counts are then a read of a few rows, not
-- a count of every open item.
CREATE TABLE status_counts (
    unit_code TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, status)
);

INSERT INTO status_counts(unit_code, status, n)
SELECT unit_code, status, COUNT(*) FROM items GROUP BY unit_code, status;
