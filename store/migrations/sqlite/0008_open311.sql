-- Open311's request list: the items readable through it (filed through
-- Open311, or published and answered), newest first by receipt. The
-- condition is repeated word for word by store.open311SQL.
CREATE INDEX items_open311 ON items(received_at, id) WHERE channel = 'open311' OR (publish = 1 AND status IN ('answered','visited','closed'));
