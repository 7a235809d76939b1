-- Outbound: notices to citizens (SMS), partner webhooks and the API keys of
-- outside clients (Open311). Notices and webhook deliveries are written in
-- the same transaction as the event that causes them; the job queue (River)
-- only carries their ids, so these tables are the lasting record.

-- Questions a category asks beyond the text (Open311 service attributes),
-- as a JSON array; empty when it asks none.
ALTER TABLE categories ADD COLUMN attributes TEXT NOT NULL DEFAULT '';

CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL,
    item_number TEXT NOT NULL,
    event_seq   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    body        TEXT NOT NULL,      -- as sent
    display     TEXT NOT NULL,      -- as shown to staff: access codes blanked
    status      TEXT NOT NULL DEFAULT 'pending', -- pending, sent, failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    queued      INTEGER NOT NULL DEFAULT 0, -- a delivery job exists
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    UNIQUE (event_seq, kind)
);
CREATE INDEX notices_status ON notices(status, id);
CREATE INDEX notices_item ON notices(item_id, id);
CREATE INDEX notices_unqueued ON notices(id) WHERE queued = 0;

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    events      TEXT NOT NULL,      -- comma-separated event types, or *
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    webhook_id  INTEGER NOT NULL REFERENCES webhooks(id),
    item_id     INTEGER NOT NULL,
    item_number TEXT NOT NULL,
    event_seq   INTEGER NOT NULL,
    event_type  TEXT NOT NULL,
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending', -- pending, sent, failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    queued      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    UNIQUE (webhook_id, event_seq)
);
-- Deliveries of one item to one endpoint go out in order: the worker looks
-- for an earlier unfinished one.
CREATE INDEX webhook_deliveries_item ON webhook_deliveries(webhook_id, item_id, id);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_unqueued ON webhook_deliveries(id) WHERE queued = 0;

CREATE TABLE api_keys (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    contact         TEXT NOT NULL DEFAULT '',
    key_hash        TEXT NOT NULL UNIQUE,
    prefix          TEXT NOT NULL,  -- first characters, to recognise a key
    rate_per_minute INTEGER NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    last_used_at    INTEGER
);

-- Open311's servicerequestupdates lists events by time.
CREATE INDEX events_at ON events(at);
