package io.orrery.viewinghistory.internal.processor;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition's share of a polled batch: the commit of its last record, and where each session's events begin,
 * apart for the events processed now and those read again only to be held ({@code processedBefore}: records below it
 * were processed under the grid's present lifetime by an earlier owner of the partition, so the grid has them).
 */
final class PartitionRead {

    final TopicPartition partition;
    /** The consumer, in its generation of the group, that read this share. */
    final CommitHorizon.Owner owner;
    final long processedBefore;
    DefaultKafkaManualCommit last;
    /** Session to the offset of its first event here, of the events processed now. */
    final Map<String, Long> processed = new LinkedHashMap<>();
    /** The same, of the events read again and not processed. */
    final Map<String, Long> readAgain = new LinkedHashMap<>();
    /** The sessions this share held first in its partition. */
    final Set<String> newlyHeld = new HashSet<>();

    PartitionRead(TopicPartition partition, CommitHorizon.Owner owner, long processedBefore) {
        this.partition = partition;
        this.owner = owner;
        this.processedBefore = processedBefore;
    }

    /** Adds the record at {@code offset}; whether its event is to be processed now. */
    boolean add(String session, long offset) {
        boolean now = offset >= processedBefore;
        (now ? processed : readAgain).putIfAbsent(session, offset);
        return now;
    }

    /** Whether the record at {@code offset} is to be processed now. */
    boolean processesAt(long offset) {
        return offset >= processedBefore;
    }

    /** The offset after the last record read. */
    long next() {
        return last.getRecordOffset() + 1;
    }
}
