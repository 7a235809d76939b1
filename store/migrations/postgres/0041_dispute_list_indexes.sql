-- The disputes' list at 100,000 disputes (issue 13's benchmark): the risk
-- filter had no index (a scan of every dispute, its row fetched, for the
-- page and again for the total), and a status within a period was counted
-- through disputes_due (status, due_at), a row of the table fetched per
-- dispute of that status in every year (about 70,000 resolved). These
-- hold what those read: the risk newest first, and the status with the day
-- found, so that a period's count is one range of an index.
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE INDEX IF NOT EXISTS disputes_risk ON disputes(risk, id);
CREATE INDEX IF NOT EXISTS disputes_status_found ON disputes(status, found_on, id);
