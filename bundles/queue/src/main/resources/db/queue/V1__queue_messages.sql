-- Orrery queue: messages written behind from the Hazelcast shards, read back after a full-cluster restart.
-- Portable between H2 2.x and PostgreSQL. Times are epoch microseconds.

CREATE TABLE queue_queues (
    tenant         VARCHAR(120) NOT NULL,
    queue_name     VARCHAR(120) NOT NULL,
    shards         INTEGER      NOT NULL,
    lease_ms       BIGINT       NOT NULL,
    max_attempts   INTEGER      NOT NULL,
    retry_delay_ms BIGINT       NOT NULL,
    PRIMARY KEY (tenant, queue_name)
);

CREATE TABLE queue_messages (
    tenant         VARCHAR(120)  NOT NULL,
    queue_name     VARCHAR(120)  NOT NULL,
    id             VARCHAR(200)  NOT NULL,
    shard          INTEGER       NOT NULL,
    state          VARCHAR(16)   NOT NULL,
    priority       INTEGER       NOT NULL,
    deadline_us    BIGINT,
    not_before_us  BIGINT,
    exclusive_key  VARCHAR(200),
    attempts       INTEGER       NOT NULL,
    max_attempts   INTEGER       NOT NULL,
    traceparent    VARCHAR(64),
    payload        BYTEA,
    enqueued_us    BIGINT        NOT NULL,
    order_stamp_us BIGINT        NOT NULL,
    available_us   BIGINT        NOT NULL,
    last_error     VARCHAR(1000),
    state_since_us BIGINT        NOT NULL,
    version        BIGINT        NOT NULL,
    PRIMARY KEY (tenant, queue_name, id)
);

-- finished rows (idempotency tombstones) are deleted by age
CREATE INDEX queue_messages_finished ON queue_messages (state, state_since_us);
-- purge deletes a shard's unfinished rows
CREATE INDEX queue_messages_shard ON queue_messages (tenant, queue_name, shard);
