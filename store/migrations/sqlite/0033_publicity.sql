-- Publicity pieces (宣传报道台账): each piece the bureau published, a plain
-- record of the ledgers, each change an event of the one log. Days are
-- YYYY-MM-DD in China time; times are Unix microseconds (UTC).
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS publicity_pieces (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    channel     TEXT NOT NULL,
    outlet      TEXT NOT NULL,
    title       TEXT NOT NULL,
    link        TEXT NOT NULL DEFAULT '',
    unit        TEXT NOT NULL,
    branch      TEXT NOT NULL DEFAULT '',
    campaign_id INTEGER REFERENCES campaigns(id),
    note        TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
-- Lists are latest first, for everyone, one unit, one branch or one
-- channel; figures count by channel over the day.
CREATE INDEX IF NOT EXISTS publicity_pieces_day ON publicity_pieces(day, id);
CREATE INDEX IF NOT EXISTS publicity_pieces_unit_day ON publicity_pieces(unit, day, id);
CREATE INDEX IF NOT EXISTS publicity_pieces_branch_day ON publicity_pieces(branch, day, id);
CREATE INDEX IF NOT EXISTS publicity_pieces_channel_day ON publicity_pieces(channel, day, id);
CREATE INDEX IF NOT EXISTS publicity_pieces_campaign ON publicity_pieces(campaign_id, day);
CREATE INDEX IF NOT EXISTS publicity_pieces_figures ON publicity_pieces(day, unit, channel, campaign_id);

-- The practical matters a piece reports, in the order given: a matter's
-- coverage reads them by matter.
CREATE TABLE IF NOT EXISTS publicity_matters (
    piece_id  INTEGER NOT NULL REFERENCES publicity_pieces(id),
    pos       INTEGER NOT NULL,
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    PRIMARY KEY (piece_id, pos)
);
CREATE INDEX IF NOT EXISTS publicity_matters_matter ON publicity_matters(matter_id, piece_id);

-- Each distinct search token of a piece (textsearch.Tokens, simplified
-- script): a search asks for every token of its query.
CREATE TABLE IF NOT EXISTS publicity_terms (
    term     TEXT NOT NULL,
    piece_id INTEGER NOT NULL REFERENCES publicity_pieces(id),
    PRIMARY KEY (term, piece_id)
);
CREATE INDEX IF NOT EXISTS publicity_terms_piece ON publicity_terms(piece_id);
