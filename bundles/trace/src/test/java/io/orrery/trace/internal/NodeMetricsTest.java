package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    @Test
    void exposesRecordedMetersInThePrometheusTextFormat() {
        NodeMetrics metrics = new NodeMetrics();
        metrics.registry().counter("orrery.queue.enqueued", "queue", "acme.functions", "tenant", "acme").increment(3);

        assertThat(metrics.scrape()).contains("orrery_queue_enqueued_total{queue=\"acme.functions\",tenant=\"acme\"} 3.0");
    }
}
