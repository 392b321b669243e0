-- Spans written behind, as in trace_span_groups (V2): a row per trace and tenant per flush, its spans encoded
-- together. Without V2's primary key (trace_id, span_id): checking and keeping a unique key of two strings was
-- most of what writing a row cost (readers already take each span once, by its id), so a row is found through a
-- plain index on its trace. trace_span_groups and trace_spans are still read and purged, for rows written before.
CREATE TABLE trace_span_blocks (
    trace_id      VARCHAR(32)  NOT NULL,
    span_id       VARCHAR(16)  NOT NULL,
    tenant        VARCHAR(128) NOT NULL,
    start_micros  BIGINT       NOT NULL,
    span_count    INTEGER      NOT NULL,
    body          BYTEA        NOT NULL
);
CREATE INDEX trace_span_blocks_trace ON trace_span_blocks (trace_id);
CREATE INDEX trace_span_blocks_start ON trace_span_blocks (start_micros);
