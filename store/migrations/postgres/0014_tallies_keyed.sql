-- SQLite's counters are rebuilt clustered on their key (see its 0014).
-- PostgreSQL reads a period's counters through tallies_day and met the
-- rates' targets at a million items without it; the version is kept in
-- step with SQLite's.
SELECT 1;
