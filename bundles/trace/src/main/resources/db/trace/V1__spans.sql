-- Spans Orrery keeps after the cluster's map has dropped them; read by tenant and trace.
CREATE TABLE trace_spans (
    trace_id      VARCHAR(32)  NOT NULL,
    span_id       VARCHAR(16)  NOT NULL,
    tenant        VARCHAR(128) NOT NULL,
    start_micros  BIGINT       NOT NULL,
    body          VARCHAR(65536) NOT NULL,
    PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX trace_spans_start ON trace_spans (start_micros);
