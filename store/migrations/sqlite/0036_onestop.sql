-- One-stop services and cases (一件事一次办). A service is a sequence of
-- steps, each owned by a unit (partner agencies included), defined by
-- admins; its steps are JSON (a list of {name, unit, materials,
-- limit_days}), edited as a whole under the service's version. A case is
-- opened for an applicant and snapshots the service's steps into
-- case_steps, so a service edited later keeps its open cases' steps.
-- Days are YYYY-MM-DD in China time; times are Unix microseconds (UTC).
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS services (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    steps       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- A case: the applicant's personal data (masked for readers without need
-- to know), where it stands (step: the current step's position from 0,
-- step_unit and step_due_at: its unit and due time, 0 once closed), and
-- how it is counted (proxy: the officer's user name for 帮办代办, green:
-- the green channel for elderly applicants, late: a step finished after
-- its due time).
CREATE TABLE IF NOT EXISTS cases (
    id                  INTEGER PRIMARY KEY,
    service_id          INTEGER NOT NULL REFERENCES services(id),
    service_code        TEXT NOT NULL,
    service_name        TEXT NOT NULL,
    unit                TEXT NOT NULL,
    applicant_name      TEXT NOT NULL,
    applicant_phone     TEXT NOT NULL DEFAULT '',
    applicant_id_number TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    step                INTEGER NOT NULL DEFAULT 0,
    step_unit           TEXT NOT NULL,
    step_due_at         INTEGER NOT NULL DEFAULT 0,
    proxy               TEXT NOT NULL DEFAULT '',
    green               TEXT NOT NULL DEFAULT '',
    late                INTEGER NOT NULL DEFAULT 0,
    opened_on           TEXT NOT NULL,
    done_on             TEXT NOT NULL DEFAULT '',
    cancelled_on        TEXT NOT NULL DEFAULT '',
    cancel_reason       TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT '',
    created_by          TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
-- Lists are newest first (by id), for everyone or narrowed by service,
-- status, the current step's unit, proxy or green channel; overdue is an
-- open case past its current step's due time; from/to bound opened_on.
-- cases_open holds what the summary's count of the open cases of a period
-- past their due time reads, so that no row is fetched.
CREATE INDEX IF NOT EXISTS cases_service ON cases(service_id, id);
CREATE INDEX IF NOT EXISTS cases_status ON cases(status, id);
CREATE INDEX IF NOT EXISTS cases_step_unit ON cases(step_unit, id);
CREATE INDEX IF NOT EXISTS cases_proxy ON cases(proxy, id);
CREATE INDEX IF NOT EXISTS cases_green ON cases(green, proxy, id);
CREATE INDEX IF NOT EXISTS cases_open ON cases(status, opened_on, step_due_at, late, unit);
CREATE INDEX IF NOT EXISTS cases_opened ON cases(opened_on, id);

-- The steps of a case as its service had them when the case was opened,
-- with the materials received, the due time and who finished each. A user
-- sees a case when one of its steps is their unit's (org.User.CanSeeCase):
-- case_steps_unit finds them.
CREATE TABLE IF NOT EXISTS case_steps (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    pos         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    materials   TEXT NOT NULL DEFAULT '[]',
    limit_days  INTEGER NOT NULL,
    received    TEXT NOT NULL DEFAULT '[]',
    started_at  INTEGER NOT NULL DEFAULT 0,
    due_at      INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0,
    finished_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, pos)
);
CREATE INDEX IF NOT EXISTS case_steps_unit ON case_steps(unit, case_id);

-- Each distinct search token of a case (textsearch.Tokens, simplified
-- script): a search asks for every token of its query.
CREATE TABLE IF NOT EXISTS case_terms (
    term    TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (term, case_id)
);
CREATE INDEX IF NOT EXISTS case_terms_case ON case_terms(case_id);

-- The counters of the cases (reporting's contract, onestop.TallyOf): per
-- unit that opened them, day opened and service, moved in each case's own
-- transaction, so a year's summary is a sum over (units × days × services)
-- rows, however many cases there are.
CREATE TABLE IF NOT EXISTS case_tallies (
    unit       TEXT NOT NULL,
    day        TEXT NOT NULL,
    service_id INTEGER NOT NULL,
    opened     INTEGER NOT NULL DEFAULT 0,
    done       INTEGER NOT NULL DEFAULT 0,
    proxy      INTEGER NOT NULL DEFAULT 0,
    green      INTEGER NOT NULL DEFAULT 0,
    cancelled  INTEGER NOT NULL DEFAULT 0,
    late       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, day, service_id)
);
CREATE INDEX IF NOT EXISTS case_tallies_day ON case_tallies(day, unit, service_id);
