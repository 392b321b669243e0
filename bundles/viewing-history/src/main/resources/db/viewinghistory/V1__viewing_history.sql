-- One entry per playback session; version is the session state's, so an older computation never replaces a newer.
CREATE TABLE vh_entries (
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
CREATE INDEX vh_entries_user ON vh_entries (user_id, ended_at, session_id);

-- One bookmark per user and title, from the session (session_id) with the latest ended_at.
CREATE TABLE vh_bookmarks (
    user_id     VARCHAR(128) NOT NULL,
    title_id    VARCHAR(128) NOT NULL,
    position_ms BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    session_id  VARCHAR(128) NOT NULL,
    PRIMARY KEY (user_id, title_id)
);
