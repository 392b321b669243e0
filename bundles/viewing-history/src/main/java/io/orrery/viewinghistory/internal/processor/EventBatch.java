package io.orrery.viewinghistory.internal.processor;

import io.orrery.api.fault.CrashPoints;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polled batch of Kafka records: parsed, processed, failures set aside in the delay queue, and only then the
 * offsets committed, per partition: past its last record, or, while a session with events in the partition is not
 * in the store yet, at that session's first event ({@link CommitHorizon}), with how far the partition was processed
 * in the commit's metadata ({@link CommitMetadata}). A batch that throws is not committed and, with
 * {@code breakOnFirstError}, read again by a new consumer from the committed offset.
 *
 * <p>A consumer that takes a partition (first read, rebalance, reconnect, rescale) reads it from the committed
 * offset. Records below the processed offset of the commit were processed under the grid's present lifetime: they
 * are only held again (their sessions asked about), not processed. After a restart of the whole cluster the grid's
 * lifetime is another, and they are processed again: the open sessions' events come back into the grid. When the
 * grid loses some of its partitions while the cluster stays up (told to this batch while its route runs), each
 * partition holding open sessions that lived there is read again from the first of them, and the lifetime ends.
 */
public final class EventBatch implements Processor, Service {

    /** Crash point: a batch processed and written, its offsets not yet committed. */
    public static final String BEFORE_COMMIT = "viewing-history.batch-before-commit";
    /** How many of a partition's held sessions each batch asks the grid about, in turn. */
    private static final int ASKED_IN_TURN = 32;
    private static final Logger LOG = LoggerFactory.getLogger(EventBatch.class);

    private final SessionProcessor processor;
    private final int batchSize;
    private final DelayQueue delays;
    private final String cluster;
    private final CommitHorizon horizon;
    private final Map<TopicPartition, Long> processedBefore = new ConcurrentHashMap<>();
    /** Grid partitions lost since the last batch, told by the grid's listener. */
    private final Set<Integer> lostGridPartitions = ConcurrentHashMap.newKeySet();
    private volatile UUID lossRegistration;
    private volatile String gridLifetime;

    /**
     * A batch of a route whose batches hold at most {@code batchSize} records (0: unknown). A batch with fewer is the
     * last of a backlog: no next batch may come to ask about what it held, so it asks itself ({@link #hold}).
     */
    public EventBatch(SessionProcessor processor, DelayQueue delays, String cluster, int batchSize) {
        this.batchSize = batchSize;
        this.processor = processor;
        this.delays = delays;
        this.cluster = cluster;
        this.horizon = new CommitHorizon(processor.retention(), Clock.systemUTC());
    }

    /** With its route: from now on the grid tells this batch's consumers of the partitions it loses. */
    @Override
    public void start() {
        lossRegistration = processor.onLostPartitions(lostGridPartitions::add);
    }

    @Override
    public void stop() {
        UUID registration = lossRegistration;
        if (registration != null) {
            processor.ignoreLostPartitions(registration);
            lossRegistration = null;
        }
    }

    @Override
    public void process(Exchange batch) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = batch.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        // The appends go to the grid in waves while the rest of the batch is read.
        SessionAppends appends = processor.appends();
        Map<PlaybackEvent, byte[]> raw = new IdentityHashMap<>();
        Map<TopicPartition, PartitionRead> reads = new LinkedHashMap<>();
        List<Exchange> otherCommits = new ArrayList<>();
        Set<TopicPartition> sentBack = new HashSet<>();
        loseWhatTheGridLost();
        for (Exchange record : records) {
            // One header read per record: Camel's headers sit in a case-insensitive tree, and reading two of every
            // record was 4 % of the processor's CPU. The commit knows the record's partition and offset.
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                    KafkaManualCommit.class);
            if (commit instanceof DefaultKafkaManualCommit known) {
                if (sentBack.contains(known.getPartition())) {
                    continue;
                }
                PartitionRead read = reads.get(known.getPartition());
                if (read == null) {
                    read = open(known.getPartition(), known);
                    if (read == null) {     // sent back to a lost session's first event: these records come again
                        sentBack.add(known.getPartition());
                        continue;
                    }
                    reads.put(known.getPartition(), read);
                }
                read.last = known;
                PlaybackEvent event = parse(record, raw, read.processesAt(known.getRecordOffset()));
                if (event != null && read.add(event.sessionId(), known.getRecordOffset())) {
                    appends.add(event);
                }
            } else {
                otherCommits.add(record);
                PlaybackEvent event = parse(record, raw, true);
                if (event != null) {
                    appends.add(event);
                }
            }
        }
        HeldAsked asked = ask(reads.values());
        SessionProcessor.Outcome outcome = processor.finish(appends);
        for (SessionProcessor.Failure failure : outcome.failures()) {
            for (PlaybackEvent event : failure.events()) {
                delays.defer(event.eventId(), raw.get(event), failure.error());
            }
        }
        Set<String> failed = new HashSet<>();
        outcome.failures().forEach(f -> f.events().forEach(e -> failed.add(e.sessionId())));
        hold(reads.values(), asked, outcome.written(), failed);
        if (batchSize <= 0 || records.size() < batchSize) {
            askAboutNewHolds(reads.values(), asked, failed);
        }
        // A consumer that dies here has written but not committed: its successor redelivers the batch.
        CrashPoints.reach(BEFORE_COMMIT, cluster);
        commit(reads.values());
        commit(otherCommits);
    }

    /**
     * The partition as this batch's consumer reads it: taken over from the committed offset when it is new to it.
     * Null when it is to be read again from a session the grid lost: the consumer is sent back there, and everything
     * from there on is processed again (the appends drop what the grid still has).
     */
    private PartitionRead open(TopicPartition partition, DefaultKafkaManualCommit first) {
        CommitHorizon.Owner owner = owner(first.getConsumer());
        if (horizon.own(partition, owner)) {
            processedBefore.put(partition, processedUnderThisLifetime(partition, first));
        }
        long rewind = horizon.rewind(partition, owner);
        if (rewind >= 0) {
            LOG.warn("Viewing history: the grid lost open sessions with events in {}; reading it again from offset {}",
                    partition, rewind);
            first.getConsumer().seek(partition, rewind);
            processor.countPartitionReadAgain();
            processedBefore.put(partition, rewind);
            return null;
        }
        return new PartitionRead(partition, owner, processedBefore.getOrDefault(partition, 0L));
    }

    /**
     * Has the partitions that hold sessions of the grid partitions lost since the last batch read again, and ends the
     * grid's lifetime.
     */
    private void loseWhatTheGridLost() {
        if (lostGridPartitions.isEmpty()) {
            return;
        }
        Set<Integer> lost = new HashSet<>();
        for (Iterator<Integer> i = lostGridPartitions.iterator(); i.hasNext(); ) {
            lost.add(i.next());
            i.remove();
        }
        LOG.warn("Viewing history: {} partition(s) of the grid lost with their members; their open sessions are read "
                + "again", lost.size());
        horizon.lose(session -> lost.contains(processor.gridPartition(session)));
        // What an earlier owner of a partition processed may be among what was lost: a partition taken over from
        // now on (a rebalance before this consumer's next batch of it) is processed again from its commit.
        processor.endLifetime(gridLifetime());
        gridLifetime = null;
    }

    /** The consumer in its present generation of the group; the generation is unknown (-1) outside a group. */
    private static CommitHorizon.Owner owner(Consumer<?, ?> consumer) {
        int generation;
        try {
            generation = consumer == null ? -1 : consumer.groupMetadata().generationId();
        } catch (RuntimeException noGroup) {
            generation = -1;
        }
        return new CommitHorizon.Owner(consumer, generation);
    }

    /** How far the committed metadata says the partition was processed under the grid's present lifetime; else 0. */
    private long processedUnderThisLifetime(TopicPartition partition, DefaultKafkaManualCommit first) {
        CommitMetadata metadata;
        try {
            metadata = CommitMetadata.of(first.getConsumer().committed(Set.of(partition),
                    Duration.ofMillis(first.getCommitTimeout())).get(partition));
        } catch (RuntimeException unanswered) {
            LOG.warn("Viewing history: the committed position of {} did not come ({}); processing it all again from "
                    + "its offset", partition, unanswered.toString());
            return 0;
        }
        return metadata != null && metadata.lifetime().equals(gridLifetime()) ? metadata.processed() : 0;
    }

    private String gridLifetime() {
        String lifetime = gridLifetime;
        if (lifetime == null) {
            lifetime = processor.gridLifetime();
            gridLifetime = lifetime;
        }
        return lifetime;
    }

    /**
     * The record's event; null when it is not one, deferred then unless read again ({@code processed} false: it was
     * deferred when first processed).
     */
    private PlaybackEvent parse(Exchange record, Map<PlaybackEvent, byte[]> raw, boolean processed) {
        byte[] value = record.getMessage().getBody(byte[].class);
        byte[] bytes = value == null ? new byte[0] : value;
        try {
            PlaybackEvent event = EventCodec.parse(bytes);
            raw.put(event, bytes);
            return event;
        } catch (RuntimeException invalid) {
            if (processed) {
                delays.defer(recordId(record), bytes, invalid);
            }
            return null;
        }
    }

    /** Per partition, the held sessions asked about, and the grid's answer to come: those still unsettled. */
    private record HeldAsked(Map<PartitionRead, List<String>> sessions, CompletableFuture<Set<String>> unsettled) {
    }

    /**
     * Asks the grid about some sessions held in each partition, in turn, before the batch's last appends are sent
     * and any awaited: the grid answers while the appends run, and the batch never waits on the answer alone. The
     * answer may or may not count this batch's events, but a session it calls settled has every event the grid
     * holds of it in the store, so {@link #hold} applies it before it holds what this batch read, and it lets go of
     * earlier events only.
     */
    private HeldAsked ask(Collection<PartitionRead> reads) {
        Map<PartitionRead, List<String>> asked = new LinkedHashMap<>();
        Set<String> all = new HashSet<>();
        for (PartitionRead read : reads) {
            List<String> due = horizon.due(read.partition, read.owner, ASKED_IN_TURN);
            asked.put(read, due);
            all.addAll(due);
        }
        CompletableFuture<Set<String>> unsettled;
        try {
            unsettled = all.isEmpty() ? CompletableFuture.completedFuture(Set.of()) : processor.unsettled(all);
        } catch (RuntimeException gridDidNotAnswer) {
            unsettled = CompletableFuture.failedFuture(gridDidNotAnswer);
        }
        return new HeldAsked(asked, unsettled);
    }

    /**
     * Per partition: lets go of the asked sessions the grid says are settled, then of the sessions the batch wrote,
     * and holds the others the batch read (open, failed, written before, or read again). Not the asked sessions that
     * failed in this batch: their events were just handed to the delay queue, and the grid may hold no state of them.
     * A grid that does not answer lets go of nothing it was asked about: committing less far is always safe.
     */
    private void hold(Collection<PartitionRead> reads, HeldAsked asked, Set<String> written, Set<String> failed) {
        Set<String> unsettled;
        try {
            unsettled = asked.unsettled().join();
        } catch (RuntimeException gridDidNotAnswer) {
            unsettled = null;
        }
        for (PartitionRead read : reads) {
            TopicPartition partition = read.partition;
            if (unsettled != null) {
                Set<String> stillHeld = unsettled;
                horizon.release(partition, read.owner, asked.sessions().getOrDefault(read, List.of()).stream()
                        .filter(s -> !stillHeld.contains(s) && !failed.contains(s)).toList());
            }
            horizon.release(partition, read.owner,
                    read.processed.keySet().stream().filter(written::contains).toList());
            read.processed.forEach((session, offset) -> {
                if (!written.contains(session) && horizon.hold(partition, read.owner, session, offset)) {
                    read.newlyHeld.add(session);
                }
            });
            read.readAgain.forEach((session, offset) -> {
                if (!written.contains(session) && horizon.hold(partition, read.owner, session, offset)) {
                    read.newlyHeld.add(session);
                }
            });
        }
    }

    /**
     * Asks the grid about the sessions this batch held first (not already asked, not failed in it) and lets go of
     * those it says are settled: a duplicate of a written session, or events read again that the store holds. One
     * more wait on the grid, so only for the last batch of a backlog; otherwise the next batch asks in turn.
     */
    private void askAboutNewHolds(Collection<PartitionRead> reads, HeldAsked asked, Set<String> failed) {
        Set<String> all = new HashSet<>();
        for (PartitionRead read : reads) {
            read.newlyHeld.removeIf(s -> failed.contains(s)
                    || asked.sessions().getOrDefault(read, List.of()).contains(s));
            all.addAll(read.newlyHeld);
        }
        if (all.isEmpty()) {
            return;
        }
        Set<String> unsettled;
        try {
            unsettled = processor.unsettled(all).join();
        } catch (RuntimeException gridDidNotAnswer) {
            return;
        }
        for (PartitionRead read : reads) {
            horizon.release(read.partition, read.owner, read.newlyHeld.stream().filter(s -> !unsettled.contains(s))
                    .toList());
        }
    }

    /**
     * Commits each partition up to its horizon, with how far it was processed; one commit for the batch, sent without
     * waiting for the broker's answer. The wait was a fifth of the consumer's time (a round trip per batch), and it
     * bought nothing: Kafka sends a consumer's commits in order, each covers all before it, and the client finishes
     * those in flight when it closes. A commit that fails is covered by the next batch's; without one, what it
     * covered is read again by the next consumer, and reading again writes nothing twice.
     */
    private void commit(Collection<PartitionRead> reads) {
        if (reads.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        DefaultKafkaManualCommit any = null;
        for (PartitionRead read : reads) {
            long next = read.next();
            CommitMetadata metadata = new CommitMetadata(Math.max(next, read.processedBefore), gridLifetime());
            offsets.put(read.partition, new OffsetAndMetadata(horizon.committable(read.partition, next),
                    metadata.text()));
            any = read.last;
        }
        any.getConsumer().commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.warn("Viewing history: committing {} failed; the next batch's commit covers it: {}",
                        done.keySet(), error.toString());
            }
        });
    }

    private String recordId(Exchange record) {
        return cluster + "-p" + record.getMessage().getHeader(KafkaConstants.PARTITION) + "-o"
                + record.getMessage().getHeader(KafkaConstants.OFFSET);
    }

    /** Commits a processed batch: per partition, at its last record. One header read per record. */
    public static void commit(List<Exchange> records) {
        Map<Object, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                    KafkaManualCommit.class);
            if (commit != null) {
                lastPerPartition.put(commit instanceof DefaultKafkaManualCommit known ? known.getPartition()
                        : record.getMessage().getHeader(KafkaConstants.PARTITION), commit);
            }
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
    }
}
