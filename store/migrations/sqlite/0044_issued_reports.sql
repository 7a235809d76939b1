-- Issued reports (签发的报告): a report stored as it was written, never to
-- change — its period and scope, the template version, the document with
-- its figures (JSON), the position of the event log when it was issued (the
-- last event's seq and hash) and who issued it when; the issued event in
-- the log carries the document's SHA-256. A scheduled report has its key
-- (monthly:2021-09:<unit>, campaign:<id>:<unit>), unique, so it is issued
-- once however many servers run the schedule; one issued by hand has none
-- and may be issued again (a re-issue, both kept). Days are YYYY-MM-DD in
-- China time; times are Unix microseconds (UTC).
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS issued_reports (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    schedule_key     TEXT UNIQUE,
    period_from      TEXT NOT NULL,
    period_to        TEXT NOT NULL,
    unit             TEXT NOT NULL DEFAULT '',
    unit_name        TEXT NOT NULL,
    campaign         INTEGER NOT NULL DEFAULT 0,
    campaign_name    TEXT NOT NULL DEFAULT '',
    script           TEXT NOT NULL,
    title            TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    document         TEXT NOT NULL,
    digest           TEXT NOT NULL,
    log_seq          INTEGER NOT NULL,
    log_hash         TEXT NOT NULL,
    issued_by        TEXT NOT NULL,
    issued_at        INTEGER NOT NULL
);
-- Lists are newest first, for everyone or one unit.
CREATE INDEX IF NOT EXISTS issued_reports_unit ON issued_reports(unit, id);
-- Unchangeable: the database itself refuses to edit or remove one.
CREATE TRIGGER IF NOT EXISTS issued_reports_no_update BEFORE UPDATE ON issued_reports
BEGIN SELECT RAISE(ABORT, 'issued reports are unchangeable'); END;
CREATE TRIGGER IF NOT EXISTS issued_reports_no_delete BEFORE DELETE ON issued_reports
BEGIN SELECT RAISE(ABORT, 'issued reports are unchangeable'); END;
