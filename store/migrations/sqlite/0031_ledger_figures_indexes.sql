-- The ledger summary and the branch ranking count a period's done matters
-- and volunteer activities. These indexes hold every column those counts
-- read, so a year is one range of an index and no row of the table is
-- fetched (issue 12's performance targets; see BENCHMARKS.md). The queries
-- name them (INDEXED BY): after ANALYZE SQLite's planner prefers
-- matters_status or volunteer_activities_branch_day, which fetch each row.
CREATE INDEX matters_figures ON matters(status, done_on, class, lead, due_at, branch_code, unit_code, campaign_id);
CREATE INDEX volunteer_activities_figures ON volunteer_activities(day, unit, branch, volunteers, centihours, served, campaign_id);
