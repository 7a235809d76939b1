-- Smaller full-text indexes beside the archive's: the open items (the
-- staff's searches of their queues, duplicates to merge) and the online
-- desk's questions, holding only what the desk shows (title, text, public
-- answer). Filled from the items by fillScopedIndexes after this script.
CREATE TABLE open_search (
    item_id BIGINT PRIMARY KEY REFERENCES items(id),
    tokens  TSVECTOR NOT NULL
);
CREATE INDEX open_search_tokens ON open_search USING GIN (tokens);

CREATE TABLE desk_search (
    item_id BIGINT PRIMARY KEY REFERENCES items(id),
    tokens  TSVECTOR NOT NULL
);
CREATE INDEX desk_search_tokens ON desk_search USING GIN (tokens);

-- The online desk lists its questions newest first (publicSQL in query.go,
-- in the same words, so that planners see the index applies).
CREATE INDEX items_desk ON items(received_at, id) WHERE publish = 1 AND status IN ('answered','visited','closed') AND public_reply <> '';
