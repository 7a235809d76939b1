-- A second login factor for staff: a TOTP secret (RFC 6238, base32, empty
-- when the user has none) and the last time step a code was accepted for,
-- so that each code logs in once only.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
