-- Spans written behind in groups: the spans of one trace and tenant that one batch carried, encoded together
-- (SpanCodec.writeAll), keyed by the group's first span. One row per group instead of one per span keeps the
-- store's share of tracing small. trace_spans (V1) is still read, for spans written before it.
CREATE TABLE trace_span_groups (
    trace_id      VARCHAR(32)  NOT NULL,
    span_id       VARCHAR(16)  NOT NULL,
    tenant        VARCHAR(128) NOT NULL,
    start_micros  BIGINT       NOT NULL,
    span_count    INTEGER      NOT NULL,
    body          BYTEA        NOT NULL,
    PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX trace_span_groups_start ON trace_span_groups (start_micros);
