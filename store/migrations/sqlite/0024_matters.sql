-- Practical matters (实事台账): what the bureau did for citizens, led by an
-- officer of a unit and a party branch. Days are YYYY-MM-DD in China time;
-- times are Unix microseconds (UTC). Lists are newest first by id; every
-- filter has an index ending in id, so a page is a range of one index.
CREATE TABLE matters (
    id                    INTEGER PRIMARY KEY,
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    unit_code             TEXT NOT NULL,
    branch_code           TEXT NOT NULL DEFAULT '',
    lead                  TEXT NOT NULL DEFAULT '',
    beneficiary_kind      TEXT NOT NULL,
    beneficiary_name      TEXT NOT NULL DEFAULT '',
    beneficiary_phone     TEXT NOT NULL DEFAULT '',
    beneficiary_id_number TEXT NOT NULL DEFAULT '',
    beneficiary_place     TEXT NOT NULL DEFAULT '',
    class                 TEXT NOT NULL,
    status                TEXT NOT NULL,
    opened_on             TEXT NOT NULL,
    due_days              INTEGER NOT NULL,
    due_at                INTEGER NOT NULL,
    done_on               TEXT NOT NULL DEFAULT '',
    drop_reason           TEXT NOT NULL DEFAULT '',
    story                 TEXT NOT NULL DEFAULT '',
    published             INTEGER NOT NULL DEFAULT 0,
    beneficiary_consent   INTEGER NOT NULL DEFAULT 0,
    created_by            TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
CREATE INDEX matters_unit ON matters(unit_code, id);
CREATE INDEX matters_status ON matters(status, id);
CREATE INDEX matters_branch ON matters(branch_code, id);
CREATE INDEX matters_lead ON matters(lead, id);
CREATE INDEX matters_class ON matters(class, id);
CREATE INDEX matters_done ON matters(done_on, unit_code);

CREATE TABLE matter_participants (
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    user_name TEXT NOT NULL,
    ord       INTEGER NOT NULL,
    PRIMARY KEY (matter_id, user_name)
);
CREATE INDEX matter_participants_user ON matter_participants(user_name, matter_id);

-- The opinions a matter answers, by tracking number.
CREATE TABLE matter_items (
    matter_id   INTEGER NOT NULL REFERENCES matters(id),
    item_number TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    PRIMARY KEY (matter_id, item_number)
);
CREATE INDEX matter_items_item ON matter_items(item_number, matter_id);

CREATE TABLE matter_progress (
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    seq       INTEGER NOT NULL,
    day       TEXT NOT NULL,
    body      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at_micros INTEGER NOT NULL,
    PRIMARY KEY (matter_id, seq)
);

-- Counted outcomes of done matters, one row per key, so that reports sum
-- them by key without reading the stories.
CREATE TABLE matter_outcomes (
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    key       TEXT NOT NULL,
    value     BIGINT NOT NULL,
    PRIMARY KEY (matter_id, key)
);

-- Full-text terms (textsearch.Tokens, distinct) of a matter's title,
-- description, story and place: a search is one index range per term.
CREATE TABLE matter_terms (
    term      TEXT NOT NULL,
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    PRIMARY KEY (term, matter_id)
);
CREATE INDEX matter_terms_matter ON matter_terms(matter_id);
