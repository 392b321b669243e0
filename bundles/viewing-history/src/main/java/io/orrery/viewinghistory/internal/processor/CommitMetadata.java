package io.orrery.viewinghistory.internal.processor;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * What the processor writes beside a partition's committed offset: how far the partition was processed (the offset
 * itself may stop earlier, at the oldest session the store does not hold yet: {@link CommitHorizon}) and under which
 * lifetime of the grid ({@code SessionProcessor#gridLifetime}). Text of the form
 * {@code processed=<offset>;lifetime=<id>}.
 */
record CommitMetadata(long processed, String lifetime) {

    private static final String PROCESSED = "processed=";
    private static final String LIFETIME = ";lifetime=";

    /** As Kafka keeps it beside the offset. */
    String text() {
        return PROCESSED + processed + LIFETIME + lifetime;
    }

    /** What a commit says; null when it says nothing this class wrote (another writer, an earlier release). */
    static CommitMetadata of(OffsetAndMetadata committed) {
        String text = committed == null ? null : committed.metadata();
        if (text == null || !text.startsWith(PROCESSED)) {
            return null;
        }
        int end = text.indexOf(LIFETIME);
        try {
            long processed = Long.parseLong(text.substring(PROCESSED.length(), end < 0 ? text.length() : end));
            return new CommitMetadata(processed, end < 0 ? "" : text.substring(end + LIFETIME.length()));
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    /** How far a partition was processed, as its commit says: at least its committed offset. */
    static long processed(OffsetAndMetadata committed) {
        if (committed == null) {
            return 0;
        }
        CommitMetadata metadata = of(committed);
        return metadata == null ? committed.offset() : Math.max(committed.offset(), metadata.processed());
    }
}
