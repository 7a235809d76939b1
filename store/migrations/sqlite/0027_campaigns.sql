-- Campaigns (活动): a bureau-wide drive with a period, a plan, targets per
-- figure of the ledger summary, its mobilisation meetings and its plan
-- documents. Days are YYYY-MM-DD in China time; times are Unix microseconds
-- (UTC). Targets are canonical JSON {"register.key": n}.
CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    plan       TEXT NOT NULL DEFAULT '',
    targets    TEXT NOT NULL DEFAULT '{}',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL
);
CREATE INDEX campaigns_period ON campaigns(to_day, from_day);

-- A campaign's mobilisation meetings (党委会, 动员大会, 中心组学习会, 推进会).
CREATE TABLE campaign_meetings (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    attendees   TEXT NOT NULL,
    minutes     TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX campaign_meetings_campaign ON campaign_meetings(campaign_id, day, id);

-- A campaign's attached plan documents, their bytes kept here: a few
-- documents of at most 10 MB each, backed up with everything else.
CREATE TABLE campaign_documents (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX campaign_documents_campaign ON campaign_documents(campaign_id, id);

-- Every ledger record may belong to a campaign.
ALTER TABLE matters ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
ALTER TABLE measures ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
ALTER TABLE volunteer_activities ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
ALTER TABLE service_points ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
CREATE INDEX matters_campaign ON matters(campaign_id, id);
CREATE INDEX measures_campaign ON measures(campaign_id, id);
CREATE INDEX volunteer_activities_campaign ON volunteer_activities(campaign_id, day);
CREATE INDEX service_points_campaign ON service_points(campaign_id, id);
