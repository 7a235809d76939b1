-- Questionnaires (调查问卷): a questionnaire with its questions (JSON, in
-- order, each with a stable id), its answers, their free texts (which may
-- become archive items, linked both ways) and the counters results are
-- read from: per questionnaire, day, township, question and option, moved
-- in each answer's transaction, so that results of any period never scan
-- the answers. Days are YYYY-MM-DD in China time; times are Unix
-- microseconds (UTC). (IF NOT EXISTS: the migration tests run the later
-- migrations again.)
CREATE TABLE IF NOT EXISTS surveys (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    intro        TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL,
    campaign_id  INTEGER REFERENCES campaigns(id),
    opens_on     TEXT NOT NULL DEFAULT '',
    closes_on    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    questions    TEXT NOT NULL,
    answers      INTEGER NOT NULL DEFAULT 0,
    published_on TEXT NOT NULL DEFAULT '',
    closed_on    TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS surveys_unit ON surveys(unit, id);
CREATE INDEX IF NOT EXISTS surveys_status ON surveys(status, id);
CREATE INDEX IF NOT EXISTS surveys_campaign ON surveys(campaign_id, id);
CREATE INDEX IF NOT EXISTS surveys_published ON surveys(published_on, unit);

CREATE TABLE IF NOT EXISTS survey_terms (
    term      TEXT NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    PRIMARY KEY (term, survey_id)
);
CREATE INDEX IF NOT EXISTS survey_terms_survey ON survey_terms(survey_id);

-- One answer per voter (the hash of the device's token, or of the phone).
CREATE TABLE IF NOT EXISTS survey_answers (
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id),
    day        TEXT NOT NULL,
    township   TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    voter      TEXT NOT NULL,
    vals       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (survey_id, voter)
);
CREATE INDEX IF NOT EXISTS survey_answers_day ON survey_answers(survey_id, day, id);

-- The free texts of the answers; token files the text's item once
-- (archive's form token), item_number is the item it became.
CREATE TABLE IF NOT EXISTS survey_texts (
    answer_id    INTEGER NOT NULL REFERENCES survey_answers(id),
    question     TEXT NOT NULL,
    survey_id    INTEGER NOT NULL REFERENCES surveys(id),
    day          TEXT NOT NULL,
    township     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    token        TEXT NOT NULL,
    item_number  TEXT NOT NULL DEFAULT '',
    converted_on TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (answer_id, question)
);
CREATE INDEX IF NOT EXISTS survey_texts_survey ON survey_texts(survey_id, answer_id);
CREATE INDEX IF NOT EXISTS survey_texts_converted ON survey_texts(converted_on, survey_id);

-- Counters: question '' option 0 counts answers; a question with option 0
-- its answers; option n ≥ 1 the choices of option n (or scale value n).
CREATE TABLE IF NOT EXISTS survey_counts (
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    day       TEXT NOT NULL,
    township  TEXT NOT NULL,
    question  TEXT NOT NULL,
    opt       INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (survey_id, day, township, question, opt)
);
CREATE INDEX IF NOT EXISTS survey_counts_answers ON survey_counts(question, opt, day, survey_id, n);
