package io.orrery.api.metrics;

/**
 * Every meter of the node in the Prometheus text format. The trace subsystem, which owns the registry, provides it;
 * the gateway serves it at {@code /api/v1/metrics} to authenticated callers, a tenant seeing only its own series.
 */
public interface MetricsExposition {

    /** The media type of {@link #scrape()}. */
    String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** The current value of every series; each tenant's series carry the label {@code tenant="<name>"}. */
    String scrape();
}
