-- Issue 15 §2. Ratings have the five levels of the national 政务服务"好差评";
-- the counters keep satisfied, basic_satisfied and unsatisfied as the three
-- groups they always counted (非常满意 counts as satisfied, 非常不满意 as
-- unsatisfied) and count the two ends again within their group, so that the
-- five-level distribution can be reported. No item was rated so before:
-- both start at 0. (SQLite has no ADD COLUMN IF NOT EXISTS and the
-- migration tests run the later migrations again: the table is rebuilt.
-- The copy is migration 52's Go step, copyTallies52, which copies every
-- column the old table has, so that a second run keeps the two new
-- counters instead of restarting them at 0.)
CREATE TABLE tallies_five (
    unit_code        TEXT NOT NULL,
    day              TEXT NOT NULL,
    received         INTEGER NOT NULL DEFAULT 0,
    valid            INTEGER NOT NULL DEFAULT 0,
    responded        INTEGER NOT NULL DEFAULT 0,
    answered         INTEGER NOT NULL DEFAULT 0,
    on_time          INTEGER NOT NULL DEFAULT 0,
    closed           INTEGER NOT NULL DEFAULT 0,
    visited          INTEGER NOT NULL DEFAULT 0,
    satisfied        INTEGER NOT NULL DEFAULT 0,
    basic_satisfied  INTEGER NOT NULL DEFAULT 0,
    unsatisfied      INTEGER NOT NULL DEFAULT 0,
    returned         INTEGER NOT NULL DEFAULT 0,
    redone           INTEGER NOT NULL DEFAULT 0,
    very_satisfied   INTEGER NOT NULL DEFAULT 0,
    very_unsatisfied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day)
) WITHOUT ROWID;
