-- The online desk's questions get a full-text index of their own, holding
-- only what the desk shows (title, text, public answer); open items get a
-- marker term in the archive's index. Both are filled from the items by
-- fillScopedIndexes (store/searchindex.go) after this script.
CREATE TABLE desk_search (
    item_id BIGINT PRIMARY KEY REFERENCES items(id),
    tokens  TSVECTOR NOT NULL
);
CREATE INDEX desk_search_tokens ON desk_search USING GIN (tokens);

-- The online desk lists its questions newest first (publicSQL in query.go,
-- in the same words, so that planners see the index applies).
CREATE INDEX items_desk ON items(received_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed') AND public_reply <> '';
