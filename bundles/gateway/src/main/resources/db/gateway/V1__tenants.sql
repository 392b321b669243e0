-- Tenants, their API tokens (SHA-256 hashes only, never the tokens) and the Idempotency-Key records of
-- instance creation. Plain SQL that H2 and PostgreSQL both accept; times are epoch milliseconds.

CREATE TABLE gateway_tenants (
    name       VARCHAR(63) NOT NULL PRIMARY KEY,
    created_at BIGINT      NOT NULL
);

-- tenant is NULL for administrator tokens.
CREATE TABLE gateway_tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    tenant     VARCHAR(63) REFERENCES gateway_tenants (name) ON DELETE CASCADE,
    token_id   VARCHAR(16) NOT NULL,
    created_at BIGINT      NOT NULL
);
CREATE INDEX gateway_tokens_tenant ON gateway_tokens (tenant);

-- One row per (tenant, workflow, Idempotency-Key): PENDING while the first request runs, then its answer.
CREATE TABLE gateway_idempotency (
    tenant        VARCHAR(63)  NOT NULL REFERENCES gateway_tenants (name) ON DELETE CASCADE,
    workflow      VARCHAR(100) NOT NULL,
    idem_key      VARCHAR(255) NOT NULL,
    fingerprint   VARCHAR(64)  NOT NULL,
    instance_key  VARCHAR(200),
    status        VARCHAR(16),
    trace_id      VARCHAR(32),
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (tenant, workflow, idem_key)
);
CREATE INDEX gateway_idempotency_created ON gateway_idempotency (created_at);
