-- Canned replies (常用答复): stock answers staff start a reply from, for one
-- category or, with category empty, for every item.
CREATE TABLE canned_replies (
    id       INTEGER PRIMARY KEY,
    category TEXT NOT NULL DEFAULT '',
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);
-- The item desk reads one category's replies and the general ones.
CREATE INDEX canned_replies_category ON canned_replies(category, active);
