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
