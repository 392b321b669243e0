package io.orrery.engine.internal.hazelcast;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls that answer from any node. The local engine completes a waiter only when this node saves the
 * instance; an instance settled by another member is seen here through an entry listener on the instance map,
 * registered for the awaited key alone (so only that key's saves travel to this member) and removed as soon as the
 * wait ends. The listener is registered before the local engine looks at the current record, so a save between
 * the two is not missed.
 */
public final class SettledWatch {

    private static final Logger LOG = LoggerFactory.getLogger(SettledWatch.class);

    private final IMap<String, byte[]> map;
    private final WorkflowEngine local;

    public SettledWatch(IMap<String, byte[]> map, WorkflowEngine local) {
        this.map = map;
        this.local = local;
    }

    /** Like {@link WorkflowEngine#awaitSettled}, but also woken by a save on another member. */
    public CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout) {
        CompletableFuture<InstanceView> result = new CompletableFuture<>();
        UUID registration = map.addEntryListener(new Saves(id, result), HazelcastInstanceTable.key(id), true);
        result.whenComplete((v, e) -> removeQuietly(registration));
        local.awaitSettled(id, timeout).whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        });
        return result;
    }

    static boolean settled(InstanceRecord rec) {
        return rec.status == InstanceStatus.FAILED || rec.status == InstanceStatus.IDLE && rec.output != null;
    }

    private void removeQuietly(UUID registration) {
        try {
            map.removeEntryListener(registration);
        } catch (RuntimeException e) {
            // The member is shutting down: its registrations go with it.
            LOG.debug("cannot remove the long-poll listener {}: {}", registration, e.toString());
        }
    }

    private final class Saves implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]> {

        private final InstanceId id;
        private final CompletableFuture<InstanceView> result;

        Saves(InstanceId id, CompletableFuture<InstanceView> result) {
            this.id = id;
            this.result = result;
        }

        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, byte[]> event) {
            saved(event.getValue());
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, byte[]> event) {
            saved(event.getValue());
        }

        private void saved(byte[] bytes) {
            if (result.isDone() || bytes == null) {
                return;
            }
            try {
                if (settled(InstanceCodec.decode(bytes))) {
                    // Off the event thread: it serves every listener of this member.
                    CompletableFuture.runAsync(() -> local.find(id).ifPresent(result::complete));
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot read a saved record for a long-poll: {}", id, e.toString());
            }
        }
    }
}
