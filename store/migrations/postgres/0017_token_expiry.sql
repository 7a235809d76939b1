-- Staff API tokens expire and can be revoked one by one. Tokens made before
-- this migration get an expiry of 90 days from the moment it runs (set by
-- the Go step of this migration, with the server's clock); a token that
-- the old flag marked revoked stays revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
UPDATE api_tokens SET revoked_at = revoked WHERE revoked <> 0;
ALTER TABLE api_tokens DROP COLUMN revoked;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
