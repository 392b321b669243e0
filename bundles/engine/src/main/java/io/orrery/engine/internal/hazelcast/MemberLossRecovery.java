package io.orrery.engine.internal.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.orrery.engine.internal.InstanceRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a lost member may have left half done, finished by the survivors. An engine saves a record (replicated at
 * once) and only then enqueues its calls and journals it for the store; a member that dies in between leaves a
 * call pending that no queue holds, and a save the store never saw. When a member leaves, every survivor waits for
 * the partitions to settle, then takes the records its own partitions now hold that changed within
 * {@code window} of the loss: it journals them again (revision-guarded, so harmless if written already) and
 * re-dispatches their pending calls (the queue refuses duplicates by message id).
 */
public final class MemberLossRecovery implements MembershipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberLossRecovery.class);
    private static final int CHUNK = 500;

    private final HazelcastInstance hz;
    private final HazelcastInstanceTable table;
    private final Consumer<InstanceRecord> rewrite;
    private final Consumer<List<InstanceRecord>> redispatch;
    private final long windowMillis;
    private final Clock clock;
    private final ExecutorService worker;
    private final UUID registration;

    /**
     * @param rewrite    journals a record again (null without a store)
     * @param redispatch sends a batch of records' pending calls again
     * @param clock      the clock records' {@code updatedAt} come from: the cluster's, never this member's own, since
     *                   the records were saved by other members
     */
    public MemberLossRecovery(HazelcastInstance hz, HazelcastInstanceTable table, Consumer<InstanceRecord> rewrite,
                              Consumer<List<InstanceRecord>> redispatch, Duration window, Clock clock) {
        this.hz = hz;
        this.clock = clock;
        this.table = table;
        this.rewrite = rewrite;
        this.redispatch = redispatch;
        this.windowMillis = window.toMillis();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "orrery-engine-recovery");
            t.setDaemon(true);
            return t;
        });
        this.registration = hz.getCluster().addMembershipListener(this);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // nothing to recover: a joining member takes partitions with their data
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        long lostAt = clock.millis();
        LOG.info("engine: member {} left; recovering its unfinished work", event.getMember().getAddress());
        worker.execute(() -> {
            try {
                recover(lostAt);
            } catch (HazelcastInstanceNotActiveException e) {
                LOG.debug("engine: recovery stopped, this member is shutting down");
            } catch (RuntimeException e) {
                LOG.error("engine: recovery after a member's loss failed", e);
            }
        });
    }

    /** Re-journals and re-dispatches the records this member owns that changed since {@code lostAt - window}. */
    public int recover(long lostAt) {
        SafePartitions.await(hz, Duration.ofSeconds(60));
        long since = lostAt - windowMillis;
        List<String> keys = new ArrayList<>(table.localKeys());
        int recovered = 0;
        for (int i = 0; i < keys.size(); i += CHUNK) {
            Set<String> slice = new HashSet<>(keys.subList(i, Math.min(keys.size(), i + CHUNK)));
            List<InstanceRecord> withCalls = new ArrayList<>();
            for (byte[] bytes : table.getAll(slice).values()) {
                InstanceRecord rec = table.decode(bytes);
                if (rec.updatedAt < since) {
                    continue;
                }
                recovered++;
                if (rewrite != null) {
                    rewrite.accept(rec);
                }
                if (!rec.pending.isEmpty()) {
                    withCalls.add(rec);
                }
            }
            if (!withCalls.isEmpty()) {
                redispatch.accept(withCalls);
            }
        }
        LOG.info("engine: {} recently changed instance(s) of this member's partitions re-journalled and their "
                + "pending calls re-dispatched", recovered);
        return recovered;
    }

    @Override
    public void close() {
        try {
            hz.getCluster().removeMembershipListener(registration);
        } catch (HazelcastInstanceNotActiveException e) {
            // the member is gone already
        }
        worker.shutdownNow();
    }
}
