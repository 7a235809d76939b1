-- minyi schema v1 for SQLite. Times are Unix microseconds (UTC); days are
-- YYYY-MM-DD in China time.
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    township    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE branches (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    unit_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    unit_code     TEXT NOT NULL DEFAULT '',
    branch_code   TEXT NOT NULL DEFAULT '',
    party_member  INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    grp         TEXT NOT NULL DEFAULT '',
    keywords    TEXT NOT NULL DEFAULT '',
    class       TEXT NOT NULL DEFAULT '',
    unit_code   TEXT NOT NULL DEFAULT '',
    limit_amount INTEGER NOT NULL,
    limit_unit  TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE holidays (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE number_seq (
    year  INTEGER PRIMARY KEY,
    value INTEGER NOT NULL
);

CREATE TABLE items (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    version        INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    channel_detail TEXT NOT NULL DEFAULT '',
    class          TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    status         TEXT NOT NULL,
    unit_code      TEXT NOT NULL DEFAULT '',
    anonymous      INTEGER NOT NULL DEFAULT 0,
    contact_name   TEXT NOT NULL DEFAULT '',
    contact_phone  TEXT NOT NULL DEFAULT '',
    contact_id     TEXT NOT NULL DEFAULT '',
    township       TEXT NOT NULL DEFAULT '',
    village        TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    lat            REAL,
    lng            REAL,
    publish        INTEGER NOT NULL DEFAULT 0,
    received_at    INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    calendar_gap   INTEGER NOT NULL DEFAULT 0,
    responded_at   INTEGER,
    answered_at    INTEGER,
    on_time        INTEGER NOT NULL DEFAULT 0,
    closed_at      INTEGER,
    satisfaction   TEXT NOT NULL DEFAULT '',
    returns        INTEGER NOT NULL DEFAULT 0,
    redos          INTEGER NOT NULL DEFAULT 0,
    extensions     INTEGER NOT NULL DEFAULT 0,
    supervisions   INTEGER NOT NULL DEFAULT 0,
    pending        TEXT NOT NULL DEFAULT '',
    merged_into    TEXT NOT NULL DEFAULT '',
    public_reply   TEXT NOT NULL DEFAULT '',
    access_hash    TEXT NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX items_received ON items(received_at, id);
CREATE INDEX items_unit_received ON items(unit_code, received_at, id);
CREATE INDEX items_status_received ON items(status, received_at, id);
CREATE INDEX items_open_due ON items(due_at, id) WHERE status IN ('received','returned','dispatched','signed','in_progress');
CREATE INDEX items_public ON items(updated_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed');

CREATE VIRTUAL TABLE item_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

CREATE TABLE photos (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items(id),
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX photos_item ON photos(item_id);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    item_number TEXT NOT NULL,
    type        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    public      INTEGER NOT NULL DEFAULT 0,
    data        TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX events_item ON events(item_id, seq);

CREATE TABLE chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head(id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE tallies (
    unit_code       TEXT NOT NULL,
    day             TEXT NOT NULL,
    received        INTEGER NOT NULL DEFAULT 0,
    valid           INTEGER NOT NULL DEFAULT 0,
    responded       INTEGER NOT NULL DEFAULT 0,
    answered        INTEGER NOT NULL DEFAULT 0,
    on_time         INTEGER NOT NULL DEFAULT 0,
    closed          INTEGER NOT NULL DEFAULT 0,
    visited         INTEGER NOT NULL DEFAULT 0,
    satisfied       INTEGER NOT NULL DEFAULT 0,
    basic_satisfied INTEGER NOT NULL DEFAULT 0,
    unsatisfied     INTEGER NOT NULL DEFAULT 0,
    returned        INTEGER NOT NULL DEFAULT 0,
    redone          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day)
);
CREATE INDEX tallies_day ON tallies(day, unit_code);
