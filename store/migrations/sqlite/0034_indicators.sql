-- Period indicators (工作指标): the figures a bureau reports but does not
-- manage case by case (criminal cases solved, …), defined by admins, and
-- their entries, one unit's value for one month. An entry is never
-- changed: a correction is a new entry that supersedes the current one of
-- its indicator, unit and month (superseded_by points to it), so history
-- stays and the one current entry (superseded_by = 0) counts. Months are
-- YYYY-MM in China time; times are Unix microseconds (UTC).
CREATE TABLE IF NOT EXISTS indicator_definitions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    measure     TEXT NOT NULL,
    aggregation TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
INSERT INTO indicator_definitions(code, name, name_en, measure, aggregation, created_at, updated_at) VALUES
    ('criminal_cases_solved', '破获刑事案件', 'criminal cases solved', '起', 'sum', 0, 0),
    ('administrative_cases', '查处行政案件', 'administrative cases handled', '起', 'sum', 0, 0)
    ON CONFLICT DO NOTHING; -- the migration tests run the later migrations again

CREATE TABLE IF NOT EXISTS indicator_entries (
    id            INTEGER PRIMARY KEY,
    indicator     TEXT NOT NULL REFERENCES indicator_definitions(code),
    unit          TEXT NOT NULL,
    month         TEXT NOT NULL,
    value         BIGINT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    supersedes    BIGINT NOT NULL DEFAULT 0,
    superseded_by BIGINT NOT NULL DEFAULT 0,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
-- One current entry per indicator, unit and month: of two corrections sent
-- at once one wins and the other is a conflict.
CREATE UNIQUE INDEX IF NOT EXISTS indicator_entries_current ON indicator_entries(indicator, unit, month) WHERE superseded_by = 0;
-- Lists are latest month first; figures range over the month.
CREATE INDEX IF NOT EXISTS indicator_entries_month ON indicator_entries(month, id);
CREATE INDEX IF NOT EXISTS indicator_entries_unit_month ON indicator_entries(unit, month, id);
