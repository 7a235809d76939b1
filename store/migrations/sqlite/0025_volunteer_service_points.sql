-- Volunteer activities (志愿服务活动) and service points (便民服务站点): plain
-- records of the ledgers, each change an event of the one log. Days are
-- YYYY-MM-DD in China time; times are Unix microseconds (UTC); hours are
-- hundredths of an hour, so that sums are exact.
CREATE TABLE volunteer_activities (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    title       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    branch      TEXT NOT NULL DEFAULT '',
    volunteers  INTEGER NOT NULL DEFAULT 0,
    centihours  INTEGER NOT NULL DEFAULT 0,
    served      INTEGER NOT NULL DEFAULT 0,
    township    TEXT NOT NULL DEFAULT '',
    village     TEXT NOT NULL DEFAULT '',
    place       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
-- Lists are latest first, for everyone, one unit or one branch; figures
-- range over the day.
CREATE INDEX volunteer_activities_day ON volunteer_activities(day, id);
CREATE INDEX volunteer_activities_unit_day ON volunteer_activities(unit, day, id);
CREATE INDEX volunteer_activities_branch_day ON volunteer_activities(branch, day, id);

-- The staff who took part, in the order given: a member's own record reads
-- them by name.
CREATE TABLE volunteer_participants (
    activity_id INTEGER NOT NULL REFERENCES volunteer_activities(id),
    pos         INTEGER NOT NULL,
    user_name   TEXT NOT NULL,
    PRIMARY KEY (activity_id, pos)
);
CREATE INDEX volunteer_participants_user ON volunteer_participants(user_name, activity_id);

-- Each distinct search token of an activity (textsearch.Tokens, simplified
-- script): a search asks for every token of its query.
CREATE TABLE volunteer_activity_terms (
    term        TEXT NOT NULL,
    activity_id INTEGER NOT NULL REFERENCES volunteer_activities(id),
    PRIMARY KEY (term, activity_id)
);
CREATE INDEX volunteer_activity_terms_activity ON volunteer_activity_terms(activity_id);

CREATE TABLE service_points (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    township      TEXT NOT NULL DEFAULT '',
    village       TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    lat           REAL,
    lng           REAL,
    opening_hours TEXT NOT NULL DEFAULT '',
    off_peak      INTEGER NOT NULL DEFAULT 0,
    extended      INTEGER NOT NULL DEFAULT 0,
    services      TEXT NOT NULL DEFAULT '', -- one service per line
    phone         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_points_unit ON service_points(unit, id);
CREATE INDEX service_points_status ON service_points(status, id);

CREATE TABLE service_point_terms (
    term     TEXT NOT NULL,
    point_id INTEGER NOT NULL REFERENCES service_points(id),
    PRIMARY KEY (term, point_id)
);
CREATE INDEX service_point_terms_point ON service_point_terms(point_id);
