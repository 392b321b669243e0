-- Orrery catalog: the tenant bundles deployed in the cluster, so that every node installs them, nodes that join
-- later too, and an undeploy reaches nodes that were down at the time. Portable between H2 2.x and PostgreSQL.

CREATE TABLE catalog_bundles (
    tenant        VARCHAR(120) NOT NULL,
    symbolic_name VARCHAR(255) NOT NULL,
    version       VARCHAR(100) NOT NULL,
    digest        VARCHAR(64)  NOT NULL,  -- SHA-256 of body, hex
    revision      BIGINT       NOT NULL,  -- grows with every deploy and undeploy of this name
    deployed      BOOLEAN      NOT NULL,  -- false: undeployed, kept so that every node removes it
    body          BYTEA,                  -- the jar as uploaded; null once undeployed
    updated_at    BIGINT       NOT NULL,  -- epoch milliseconds, the cluster's time
    PRIMARY KEY (tenant, symbolic_name)
);
