-- The report template (工作综述的模板): every version an admin saved, the
-- latest that parses in use. A version is never changed: a save is a new
-- version, and an event of the register report_template in the log.
-- Times are Unix microseconds (UTC).
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS report_templates (
    version    INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
