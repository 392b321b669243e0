-- Shadow mode's second store: the Kafka processor writes here while the request path writes vh_entries and
-- vh_bookmarks, and the validator compares the two sets. Same shape as the primary tables.
CREATE TABLE vh_shadow_entries (
    session_id       VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id          VARCHAR(128) NOT NULL,
    title_id         VARCHAR(128) NOT NULL,
    device           VARCHAR(256) NOT NULL,
    started_at       BIGINT       NOT NULL,
    ended_at         BIGINT       NOT NULL,
    watched_ms       BIGINT       NOT NULL,
    last_position_ms BIGINT       NOT NULL,
    hidden           BOOLEAN      NOT NULL DEFAULT FALSE,
    version          BIGINT       NOT NULL
);
CREATE INDEX vh_shadow_entries_user ON vh_shadow_entries (user_id, ended_at, session_id);

CREATE TABLE vh_shadow_bookmarks (
    user_id     VARCHAR(128) NOT NULL,
    title_id    VARCHAR(128) NOT NULL,
    position_ms BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    session_id  VARCHAR(128) NOT NULL,
    PRIMARY KEY (user_id, title_id)
);
