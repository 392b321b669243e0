package io.orrery.queue.internal;

import io.orrery.cluster.testing.LoopbackMembers;

/** The loopback members the queue's tests run on. */
final class QueueMembers {

    private QueueMembers() {
    }

    static LoopbackMembers of(int count) {
        // a backup that never answers (its member died applying it) holds a call this long, not 5 s
        return new LoopbackMembers("orrery-queue-test", count)
                .tunedWith(c -> c.setProperty("hazelcast.operation.backup.timeout.millis", "1000"));
    }
}
