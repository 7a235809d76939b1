-- What each page form filed (archive/form.go), keyed by the hash of the
-- form's token and written in the transaction that files the item or the
-- meeting: a form sent twice files once, across servers and after a crash.
-- The key is a hash, so a copy of the database cannot reopen a receipt.
-- (IF NOT EXISTS: the migration tests run the later migrations again.)
CREATE TABLE IF NOT EXISTS form_results (
    form_key    TEXT PRIMARY KEY,
    item_number TEXT NOT NULL DEFAULT '',
    meeting_id  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

-- The bureau's settings that admins change on the pages (e.g. the duty
-- phone citizens are told to call in an emergency), one row per setting.
CREATE TABLE IF NOT EXISTS settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
