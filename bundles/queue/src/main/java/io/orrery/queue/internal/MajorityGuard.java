package io.orrery.queue.internal;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split-brain protection for the queue: a member that sees fewer than a majority of the cluster's configured
 * members is on the minority side of a split (or what is left of a cluster that lost most of its members), and
 * takes no work there: no enqueue, claim or settlement, and its reaper and journal writer pause. Otherwise both
 * halves would lease the same messages, and one half's acks would be discarded when the halves merge (the shard
 * map's merge policy keeps the larger side's shards, which is the side that went on working).
 *
 * <p>Done here rather than with Hazelcast's {@code SplitBrainProtectionConfig} because Hazelcast reads those only
 * when the member starts, and the member's configuration belongs to the cluster bundle; a queue operation checks
 * one volatile field. The configured members are the TCP-IP join list; with one (or none) there is no guard.
 */
final class MajorityGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MajorityGuard.class);

    private final HazelcastInstance hz;
    private final int configured;
    private final int majority;
    private final UUID registration;
    private volatile boolean present = true;

    MajorityGuard(HazelcastInstance hz) {
        this(hz, configuredMembers(hz));
    }

    MajorityGuard(HazelcastInstance hz, int configured) {
        this.hz = hz;
        this.configured = configured;
        this.majority = configured / 2 + 1;
        if (configured > 1) {
            this.registration = hz.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    update(event.getMembers().size());
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    update(event.getMembers().size());
                }
            });
            update(hz.getCluster().getMembers().size());
        } else {
            this.registration = null;
        }
    }

    static int configuredMembers(HazelcastInstance hz) {
        JoinConfig join = hz.getConfig().getNetworkConfig().getJoin();
        return join.getTcpIpConfig().isEnabled() ? join.getTcpIpConfig().getMembers().size() : 0;
    }

    private void update(int seen) {
        boolean now = seen >= majority;
        if (now != present) {
            if (now) {
                LOG.info("queue: {} of {} configured members present again; taking work", seen, configured);
            } else {
                LOG.warn("queue: only {} of {} configured members present (a majority is {}); taking no work "
                        + "until a majority is back", seen, configured, majority);
            }
        }
        present = now;
    }

    /** Whether this member is on the majority side (always, without a configured member list). */
    boolean present() {
        return present;
    }

    /** Throws unless this member is on the majority side. */
    void check() {
        if (!present) {
            throw new IllegalStateException("queue: this member sees fewer than " + majority + " of the "
                    + configured + " configured cluster members (a split, or most members lost); it takes no "
                    + "queue work until a majority is back");
        }
    }

    @Override
    public void close() {
        if (registration != null && hz.getLifecycleService().isRunning()) {
            hz.getCluster().removeMembershipListener(registration);
        }
    }
}
