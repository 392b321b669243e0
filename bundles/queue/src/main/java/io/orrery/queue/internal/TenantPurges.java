package io.orrery.queue.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tells the other members that a tenant's queues were purged because the tenant is being deleted
 * ({@link io.orrery.api.queue.QueueService#purgeTenant}), so that each drops the tenant's meters. The purge runs on
 * one member, but every member has meters of every queue: depth gauges of the shards it owns, counts of what its own
 * callers did. The member that purged has dropped its own already, so it does not act on its own announcement.
 */
final class TenantPurges implements AutoCloseable {

    static final String TOPIC = "orrery.queue.purged-tenants";

    private final ITopic<String> topic;
    private final UUID listener;

    /** @param purgedElsewhere called with a tenant another member purged */
    TenantPurges(HazelcastInstance hz, Consumer<String> purgedElsewhere) {
        this.topic = hz.getTopic(TOPIC);
        this.listener = topic.addMessageListener(message -> {
            Member from = message.getPublishingMember();
            if (from == null || !from.localMember()) {
                purgedElsewhere.accept(message.getMessageObject());
            }
        });
    }

    void announce(String tenant) {
        topic.publish(tenant);
    }

    @Override
    public void close() {
        topic.removeMessageListener(listener);
    }
}
