-- The online desk shows a reviewed public version of each question (title,
-- question and answer), kept apart from what the citizen and the officer
-- wrote: an answer may greet the citizen by name. A question is on the desk
-- once its public answer is set. fillDeskVersions (store/searchindex.go)
-- gives the questions already on the desk their public version after this
-- script, where it names nobody.
ALTER TABLE items ADD COLUMN desk_title TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN desk_text TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN desk_answer TEXT NOT NULL DEFAULT '';

DROP INDEX items_desk;
CREATE INDEX items_desk ON items(received_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed') AND desk_answer <> '';
