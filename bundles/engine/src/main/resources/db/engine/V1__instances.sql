-- Orrery engine: workflow instances written behind from the Hazelcast map orrery.engine.instances, read back when
-- the cluster starts from nothing (a full restart). Portable between H2 2.x and PostgreSQL.

CREATE TABLE engine_instances (
    id         VARCHAR(1000) NOT NULL,  -- tenant/workflow/key: the map's key
    tenant     VARCHAR(120)  NOT NULL,
    workflow   VARCHAR(200)  NOT NULL,
    status     VARCHAR(16)   NOT NULL,  -- ACTIVE, IDLE, FAILED (for restore and for SQL tools)
    revision   BIGINT        NOT NULL,  -- the record's compare-and-set revision: a row never goes back
    updated_at BIGINT        NOT NULL,  -- epoch milliseconds
    body       BYTEA         NOT NULL,  -- the record as UTF-8 JSON, exactly the map's value
    PRIMARY KEY (id)
);

CREATE INDEX engine_instances_workflow ON engine_instances (tenant, workflow);
