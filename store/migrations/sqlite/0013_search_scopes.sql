-- The online desk's questions get a full-text index of their own, holding
-- only what the desk shows (title, text, public answer); open items get a
-- marker term in the archive's index. Both are filled from the items by
-- fillScopedIndexes (store/searchindex.go) after this script.
CREATE VIRTUAL TABLE desk_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

-- The online desk lists its questions newest first (publicSQL in query.go,
-- in the same words, so that planners see the index applies).
CREATE INDEX items_desk ON items(received_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed') AND public_reply <> '';
