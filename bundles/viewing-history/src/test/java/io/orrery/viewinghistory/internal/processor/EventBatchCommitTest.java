package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A batch's commits: one per partition, each at that partition's last record of the batch. */
class EventBatchCommitTest {

    private final List<String> committed = new ArrayList<>();

    @Test
    void eachPartitionIsCommittedOnceAtItsLastRecordWhateverTheInterleaving() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            List<Exchange> batch = new ArrayList<>();
            long[][] records = {{0, 10}, {1, 50}, {0, 11}, {2, 7}, {1, 51}, {0, 12}, {1, 52}};
            for (long[] r : records) {
                batch.add(record(camel, (int) r[0], r[1]));
            }

            EventBatch.commit(batch);

            assertThat(committed).containsExactlyInAnyOrder("p0@12", "p1@52", "p2@7");
        }
    }

    @Test
    void aCommitOfAnotherKindIsPlacedByThePartitionHeader() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            List<Exchange> batch = new ArrayList<>();
            for (long offset = 3; offset <= 5; offset++) {
                long at = offset;
                Exchange e = new DefaultExchange(camel);
                e.getMessage().setHeader(KafkaConstants.PARTITION, 4);
                e.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit) () -> committed.add(
                        "p4@" + at));
                batch.add(e);
            }
            batch.add(new DefaultExchange(camel));          // no commit header: left alone

            EventBatch.commit(batch);

            assertThat(committed).containsExactly("p4@5");
        }
    }

    private Exchange record(CamelContext camel, int partition, long offset) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        e.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, new DefaultKafkaManualCommit(
                new KafkaManualCommitFactory.CamelExchangePayload(e, null, "t", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(new TopicPartition("events", partition), offset,
                        1000)) {
            @Override
            public void commit() {
                committed.add("p" + getPartition().partition() + "@" + getRecordOffset());
            }
        });
        return e;
    }
}
