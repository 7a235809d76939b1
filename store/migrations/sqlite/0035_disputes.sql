-- Disputes found and mediated (矛盾纠纷排查化解台账): each dispute a unit
-- found, its lifecycle and the steps taken, each change an event of the one
-- log. Days are YYYY-MM-DD in China time; times are Unix microseconds (UTC).
-- The parties, the mediation steps and the follow-up visits are read and
-- written with their dispute only, as JSON lists of the row. closed_on is
-- the day a dispute was resolved, referred or found unresolved ('' while
-- open).
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS disputes (
    id            INTEGER PRIMARY KEY,
    found_on      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    township      TEXT NOT NULL,
    village       TEXT NOT NULL DEFAULT '',
    parties       TEXT NOT NULL DEFAULT '[]',
    risk          TEXT NOT NULL,
    source        TEXT NOT NULL,
    item_number   TEXT NOT NULL DEFAULT '',
    unit_code     TEXT NOT NULL,
    branch_code   TEXT NOT NULL DEFAULT '',
    campaign_id   INTEGER REFERENCES campaigns(id),
    summary       TEXT NOT NULL,
    status        TEXT NOT NULL,
    due_days      INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    mediations    TEXT NOT NULL DEFAULT '[]',
    closed_on     TEXT NOT NULL DEFAULT '',
    agreement     TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL DEFAULT '',
    referred_to   TEXT NOT NULL DEFAULT '',
    referred_whom TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    follow_ups    TEXT NOT NULL DEFAULT '[]',
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
-- Lists are newest first (by id), for everyone or filtered by unit,
-- branch, status, kind, township or campaign; the overdue filter reads the
-- open ones by their time limit.
CREATE INDEX IF NOT EXISTS disputes_unit ON disputes(unit_code, id);
CREATE INDEX IF NOT EXISTS disputes_branch ON disputes(branch_code, id);
CREATE INDEX IF NOT EXISTS disputes_status ON disputes(status, id);
CREATE INDEX IF NOT EXISTS disputes_kind ON disputes(kind, id);
CREATE INDEX IF NOT EXISTS disputes_township ON disputes(township, id);
CREATE INDEX IF NOT EXISTS disputes_campaign ON disputes(campaign_id, id);
CREATE INDEX IF NOT EXISTS disputes_due ON disputes(status, due_at);
CREATE INDEX IF NOT EXISTS disputes_item ON disputes(item_number);
-- The ledger summary counts a period's disputes found (and which of them
-- are open and overdue at its end) and those that ended in it. These
-- indexes hold every column those counts read, so a year is one range of
-- an index and no row of the table is fetched.
CREATE INDEX IF NOT EXISTS disputes_found ON disputes(found_on, unit_code, campaign_id, closed_on, due_at);
CREATE INDEX IF NOT EXISTS disputes_closed ON disputes(closed_on, status, level, unit_code, campaign_id);

-- Each distinct search token of a dispute's summary and place
-- (textsearch.Tokens, simplified script): a search asks for every token of
-- its query. The parties' names are not searchable: personal data.
CREATE TABLE IF NOT EXISTS dispute_terms (
    term       TEXT NOT NULL,
    dispute_id INTEGER NOT NULL REFERENCES disputes(id),
    PRIMARY KEY (term, dispute_id)
);
CREATE INDEX IF NOT EXISTS dispute_terms_dispute ON dispute_terms(dispute_id);
