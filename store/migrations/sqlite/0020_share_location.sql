-- The citizen's consent to publish an Open311 request's address and
-- coordinates (archive.Location.ShareLocation): without it, Open311 shows
-- only the township and village. Existing items never consented.
ALTER TABLE items ADD COLUMN share_location INTEGER NOT NULL DEFAULT 0;
