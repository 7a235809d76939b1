-- Convenience measures (便民利民措施): what the bureau researched and put in
-- place for citizens, by a unit and optionally its party branch. Days are
-- YYYY-MM-DD in China time; times are Unix microseconds (UTC). Lists are
-- newest first by id; figures range over the days of research,
-- implementation and withdrawal.
CREATE TABLE measures (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    unit_code       TEXT NOT NULL,
    branch_code     TEXT NOT NULL DEFAULT '',
    changes         TEXT NOT NULL,
    status          TEXT NOT NULL,
    researched_on   TEXT NOT NULL,
    implemented_on  TEXT NOT NULL DEFAULT '',
    withdrawn_on    TEXT NOT NULL DEFAULT '',
    withdraw_reason TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX measures_unit ON measures(unit_code, id);
CREATE INDEX measures_status ON measures(status, id);
CREATE INDEX measures_branch ON measures(branch_code, id);
CREATE INDEX measures_researched ON measures(researched_on, unit_code);
CREATE INDEX measures_implemented ON measures(implemented_on, unit_code);
CREATE INDEX measures_withdrawn ON measures(withdrawn_on, unit_code);

-- The opinions (tracking numbers) and practical matters (ids) that
-- prompted a measure, in the order given.
CREATE TABLE measure_items (
    measure_id  INTEGER NOT NULL REFERENCES measures(id),
    item_number TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    PRIMARY KEY (measure_id, item_number)
);
CREATE INDEX measure_items_item ON measure_items(item_number, measure_id);

CREATE TABLE measure_matters (
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    matter_id  INTEGER NOT NULL,
    ord        INTEGER NOT NULL,
    PRIMARY KEY (measure_id, matter_id)
);
CREATE INDEX measure_matters_matter ON measure_matters(matter_id, measure_id);

-- Each distinct search token (textsearch.Tokens) of a measure's title and
-- what it changes: a search asks for every token of its query.
CREATE TABLE measure_terms (
    term       TEXT NOT NULL,
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    PRIMARY KEY (term, measure_id)
);
CREATE INDEX measure_terms_measure ON measure_terms(measure_id);
