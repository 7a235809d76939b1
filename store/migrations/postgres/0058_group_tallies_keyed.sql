-- SQLite's breakdown counters are rebuilt clustered on their key (see its
-- 0058, and 0014 for the tallies); PostgreSQL's are unchanged. The version
-- is kept in step with SQLite's.
SELECT 1;
