-- Token scopes (comma-separated deploy,run,read; NULL for tokens issued before scopes existed: all of them) and
-- expiry (epoch milliseconds; NULL: never). Tokens are revoked by their public id, hence its index.
ALTER TABLE gateway_tokens ADD COLUMN scopes VARCHAR(64);
ALTER TABLE gateway_tokens ADD COLUMN expires_at BIGINT;
CREATE INDEX gateway_tokens_id ON gateway_tokens (token_id);
