-- A questionnaire's counters per month get a table of their own. They
-- were kept in survey_counts beside the day counters, their day column
-- holding 'm:YYYY-MM' (which sorts after every day), a rule every reader
-- had to remember; survey_counts now holds days only. The month rows are
-- moved here (a run again after a test dropped this table finds none to
-- move and keeps nothing twice).
CREATE TABLE IF NOT EXISTS survey_month_counts (
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    month     TEXT NOT NULL, -- YYYY-MM
    township  TEXT NOT NULL,
    question  TEXT NOT NULL,
    opt       INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (survey_id, month, township, question, opt)
);
INSERT INTO survey_month_counts(survey_id, month, township, question, opt, n)
    SELECT survey_id, substr(day, 3), township, question, opt, n FROM survey_counts WHERE day LIKE 'm:%'
    ON CONFLICT(survey_id, month, township, question, opt) DO NOTHING;
DELETE FROM survey_counts WHERE day LIKE 'm:%';
