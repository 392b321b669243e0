package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The consumer endpoint as Camel reads it: the route's contract with Kafka. */
class ProcessorRouteTest {

    @Test
    void consumersFormOneGroupCommitByHandAfterProcessingAndLearnOfRebalancesWithinHalfASecond() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("kafka", new KafkaComponent());
            ProcessorRoute.Source source = new ProcessorRoute.Source("events", "history", "127.0.0.1:1", null, 3, 700);

            KafkaConfiguration config = camel.getEndpoint(ProcessorRoute.consumerUri(source, "127.0.0.1:1", 3),
                    KafkaEndpoint.class).getConfiguration();

            assertThat(config.getTopic()).isEqualTo("events");
            assertThat(config.getGroupId()).isEqualTo("history");
            assertThat(config.getConsumersCount()).isEqualTo(3);
            assertThat(config.isAutoCommitEnable()).isFalse();
            assertThat(config.isAllowManualCommit()).isTrue();
            assertThat(config.isBatching()).isTrue();
            assertThat(config.isBreakOnFirstError()).isTrue();
            assertThat(config.getMaxPollRecords()).isEqualTo(700);
            assertThat(config.getFetchWaitMaxMs()).isEqualTo(50);
            // Kafka's 3 s left a consumer that joined the group idle until the others' next heartbeat.
            assertThat(config.getHeartbeatIntervalMs()).isEqualTo(500);
            // eager rebalances: every partition read again from its commit, which EventBatch's holds rely on
            assertThat(config.getPartitionAssignor()).isEqualTo("org.apache.kafka.clients.consumer.RangeAssignor");
        }
    }
}
