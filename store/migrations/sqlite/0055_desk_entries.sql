-- Issue 15 §4. The online desk shows one question once for all who asked it
-- (archive.SameQuestion of the public title), counted and paged by those
-- entries, across the whole desk rather than within a page. desk_questions
-- holds each question on the desk (archive.Item.OnDesk) by the key of what
-- it asks (a hash of archive.SameQuestion; a title that folds to nothing is
-- its own question, keyed by the item); desk_entries holds one row per key
-- naming its newest question and how many asked; desk_entry_count counts
-- those rows, so that the desk's first page does not count them. All three
-- are written with the item, in its transaction (store/deskentries.go), and
-- fillDeskEntries fills them for the questions already on the desk after
-- this script. Tables of their own (see 0053), created IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS desk_questions (
  item_id INTEGER PRIMARY KEY,
  question_key TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS desk_questions_key ON desk_questions(question_key, received_at, item_id);
CREATE TABLE IF NOT EXISTS desk_entries (
  question_key TEXT PRIMARY KEY,
  item_id BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  asked BIGINT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS desk_entries_newest ON desk_entries(received_at, item_id);
CREATE TABLE IF NOT EXISTS desk_entry_count (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  entries BIGINT NOT NULL
);
