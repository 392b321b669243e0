-- The request path's events (users outside the rollout; every event in shadow mode), written before the request
-- is answered. The grid holds an open session's events in memory only, and the request path has no Kafka topic to
-- read them again from: after a restart of the whole cluster they are appended again from here. A session's rows
-- go once the store holds its entry.
CREATE TABLE vh_request_events (
    session_id  VARCHAR(128)  NOT NULL,
    received_at BIGINT        NOT NULL,
    event       VARCHAR(4000) NOT NULL
);
CREATE INDEX vh_request_events_session ON vh_request_events (session_id);
CREATE INDEX vh_request_events_received ON vh_request_events (received_at);
