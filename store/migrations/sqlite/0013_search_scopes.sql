-- Smaller full-text indexes beside the archive's: the open items (the
-- staff's searches of their queues, duplicates to merge) and the online
-- desk's questions, holding only what the desk shows (title, text, public
-- answer). Filled from the items by fillScopedIndexes after this script.
CREATE VIRTUAL TABLE open_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE desk_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

-- The online desk lists its questions newest first (publicSQL in query.go,
-- in the same words, so that planners see the index applies).
CREATE INDEX items_desk ON items(received_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed') AND public_reply <> '';
