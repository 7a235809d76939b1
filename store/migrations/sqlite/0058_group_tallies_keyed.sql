-- The dashboard's split by category and channel sums the breakdown counters
-- of its period: whole months from group_tallies_monthly, the days of a
-- partial month (this month, the last 30 days) from group_tallies. Stored in
-- the order of their key without a rowid, as the tallies are since 0014, a
-- period is one contiguous range of the table, summed as it is read; before,
-- each row was a look-up from the key's index into the table: a year of all
-- units is 3,000 rows at a million items.
CREATE TABLE group_tallies_keyed (
    day       TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    dim       TEXT NOT NULL, -- category or channel
    key       TEXT NOT NULL,
    received  BIGINT NOT NULL DEFAULT 0,
    closed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, unit_code, dim, key)
) WITHOUT ROWID;
INSERT INTO group_tallies_keyed(day, unit_code, dim, key, received, closed)
SELECT day, unit_code, dim, key, received, closed FROM group_tallies;
DROP TABLE group_tallies;
ALTER TABLE group_tallies_keyed RENAME TO group_tallies;

CREATE TABLE group_tallies_monthly_keyed (
    month     TEXT NOT NULL, -- YYYY-MM, China time
    unit_code TEXT NOT NULL,
    dim       TEXT NOT NULL,
    key       TEXT NOT NULL,
    received  BIGINT NOT NULL DEFAULT 0,
    closed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, unit_code, dim, key)
) WITHOUT ROWID;
INSERT INTO group_tallies_monthly_keyed(month, unit_code, dim, key, received, closed)
SELECT month, unit_code, dim, key, received, closed FROM group_tallies_monthly;
DROP TABLE group_tallies_monthly;
ALTER TABLE group_tallies_monthly_keyed RENAME TO group_tallies_monthly;
