package io.orrery.engine.internal.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import io.orrery.engine.internal.ReevaluationClaim;
import io.orrery.engine.internal.ReevaluationClaims;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-evaluation claims held in a cluster map: a claim's value is the UUID of the member re-evaluating, then
 * {@link #DONE}. Taking is a {@code putIfAbsent}, taking over from a member that left a {@code replace} of its
 * UUID, so exactly one survivor takes over. When a member leaves, the claims it held are offered to this node's
 * engine (after the partitions settle, so the instance scan sees every record). Finished claims are kept for a day,
 * long enough for every node to install the version; a node installing it later than that re-evaluates again, once.
 */
public final class ClusterReevaluationClaims implements ReevaluationClaims, MembershipListener {

    public static final String MAP = "orrery.engine.reevaluations";
    static final String DONE = "done";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReevaluationClaims.class);
    private static final long DONE_KEPT_HOURS = 24;

    private final HazelcastInstance hz;
    private final IMap<String, String> claims;
    private final String me;
    private final ExecutorService worker;
    private final UUID registration;
    private volatile Consumer<ReevaluationClaim> takeOver = c -> { };

    public ClusterReevaluationClaims(HazelcastInstance hz) {
        this.hz = hz;
        this.claims = hz.getMap(MAP);
        this.me = hz.getCluster().getLocalMember().getUuid().toString();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "orrery-engine-reevaluation-" + hz.getName());
            t.setDaemon(true);
            return t;
        });
        this.registration = hz.getCluster().addMembershipListener(this);
    }

    @Override
    public boolean take(ReevaluationClaim claim) {
        String key = claim.key();
        while (true) {
            String owner = claims.putIfAbsent(key, me);
            if (owner == null || owner.equals(me)) {
                return true;
            }
            if (owner.equals(DONE) || isMember(owner)) {
                return false;
            }
            if (claims.replace(key, owner, me)) {
                LOG.info("tenant {}: re-evaluation of {} version {} taken over from member {}, which left",
                        claim.tenant(), claim.workflow(), claim.version(), owner);
                return true;
            }
        }
    }

    @Override
    public void done(ReevaluationClaim claim) {
        claims.put(claim.key(), DONE, DONE_KEPT_HOURS, TimeUnit.HOURS);
    }

    @Override
    public void release(ReevaluationClaim claim) {
        claims.remove(claim.key(), me);
    }

    @Override
    public void forget(String tenant, String workflow) {
        String prefix = ReevaluationClaim.prefix(tenant, workflow);
        claims.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(claims::delete);
    }

    @Override
    public void onAbandoned(Consumer<ReevaluationClaim> takeOver) {
        this.takeOver = takeOver;
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // a joining member takes no claim over
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        String left = event.getMember().getUuid().toString();
        worker.execute(() -> {
            try {
                SafePartitions.await(hz, Duration.ofSeconds(60));
                List<String> abandoned = claims.entrySet().stream().filter(e -> e.getValue().equals(left))
                        .map(Map.Entry::getKey).toList();
                for (String key : abandoned) {
                    takeOver.accept(ReevaluationClaim.parse(key));
                }
            } catch (HazelcastInstanceNotActiveException e) {
                LOG.debug("re-evaluation claims: this member is shutting down");
            } catch (RuntimeException e) {
                LOG.error("re-evaluation claims: taking over the claims of member {} failed", left, e);
            }
        });
    }

    private boolean isMember(String uuid) {
        for (Member m : hz.getCluster().getMembers()) {
            if (m.getUuid().toString().equals(uuid)) {
                return true;
            }
        }
        return false;
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
