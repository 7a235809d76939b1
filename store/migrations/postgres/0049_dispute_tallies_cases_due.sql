-- The counters of the disputes (dispute.TallyOf): per unit, day and
-- campaign (0: none), how many were found that day and how many ended that
-- day resolved (at village level too), referred or unresolved, moved in
-- each dispute's own transaction, so that a year's summary is a sum over
-- (units × days × campaigns) rows however many disputes there are (it
-- counted those ended in a period by status and level, 14,252 ended in 2024
-- at 100,000 disputes, 8 ms of the figures' 33 ms on SQLite, p95 89 ms).
-- Filled from the disputes already stored, once (a later run finds the
-- counters kept).
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS dispute_tallies (
    unit             TEXT NOT NULL,
    day              TEXT NOT NULL,
    campaign_id      BIGINT NOT NULL DEFAULT 0,
    found            BIGINT NOT NULL DEFAULT 0,
    resolved         BIGINT NOT NULL DEFAULT 0,
    referred         BIGINT NOT NULL DEFAULT 0,
    unresolved       BIGINT NOT NULL DEFAULT 0,
    resolved_village BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, day, campaign_id)
);
-- A period's sum reads one range of this index, which holds every counter.
CREATE INDEX IF NOT EXISTS dispute_tallies_day ON dispute_tallies(day, unit, campaign_id, found, resolved, referred,
    unresolved, resolved_village);
INSERT INTO dispute_tallies(unit, day, campaign_id, found, resolved, referred, unresolved, resolved_village)
SELECT unit, day, campaign_id, SUM(found), SUM(resolved), SUM(referred), SUM(unresolved), SUM(resolved_village) FROM (
    SELECT unit_code AS unit, found_on AS day, COALESCE(campaign_id, 0) AS campaign_id, 1 AS found, 0 AS resolved,
        0 AS referred, 0 AS unresolved, 0 AS resolved_village FROM disputes
    UNION ALL
    SELECT unit_code, closed_on, COALESCE(campaign_id, 0), 0, CASE WHEN status = 'resolved' THEN 1 ELSE 0 END,
        CASE WHEN status = 'referred' THEN 1 ELSE 0 END, CASE WHEN status = 'unresolved' THEN 1 ELSE 0 END,
        CASE WHEN status = 'resolved' AND level = 'village' THEN 1 ELSE 0 END
    FROM disputes WHERE closed_on <> '' AND status IN ('resolved', 'referred', 'unresolved')
) c WHERE NOT EXISTS (SELECT 1 FROM dispute_tallies) GROUP BY unit, day, campaign_id;

-- The one-stop cases open by their step's due time: the count of the
-- overdue list (cases?overdue=true) is the open cases, from the counters,
-- less those not yet due, two short ranges of this index, since nearly
-- every open case of a large register is overdue (98,601 of 100,295 at
-- 1,000,000 cases: counted one by one through cases_open, 12–20 ms on
-- SQLite). Partial, so that only a query naming status = 'open' as such
-- reads it: with (status, step_due_at) whole, SQLite's planner read the
-- open cases in order of due time for a search by status, testing each
-- case's words out of the order of their index (10 → 440 ms). The status
-- is kept in it so that SQLite reads no row of the table.
CREATE INDEX IF NOT EXISTS cases_open_due ON cases(step_due_at, status) WHERE status = 'open';
