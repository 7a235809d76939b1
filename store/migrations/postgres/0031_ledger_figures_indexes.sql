-- The ledger summary and the branch ranking count a period's done matters
-- and volunteer activities. These indexes hold every column those counts
-- read (id for the join to the counted outcomes), so a year is one range of
-- an index-only scan and no row of the table is fetched (issue 12's
-- performance targets; see BENCHMARKS.md).
CREATE INDEX matters_figures ON matters(status, done_on) INCLUDE (class, lead, due_at, branch_code, unit_code, campaign_id, id);
CREATE INDEX volunteer_activities_figures ON volunteer_activities(day) INCLUDE (unit, branch, volunteers, centihours, served, campaign_id);
