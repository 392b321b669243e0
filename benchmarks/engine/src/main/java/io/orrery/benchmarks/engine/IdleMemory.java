package io.orrery.benchmarks.engine;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import java.lang.management.ManagementFactory;

/**
 * What an idle instance of the 5-rule workflow costs in a member's heap: {@code count} completed instances put into
 * the instance map of one member, the heap measured after a full collection before and after.
 * Run on its own with a heap large enough to hold them: {@code benchmarks/run engine memory 1000000} (the run
 * script gives the memory phase a larger heap).
 */
final class IdleMemory {

    private IdleMemory() {
    }

    static void measure(WorkflowModule v1, int count) throws Exception {
        InstanceRecord template = Main.completedRecord(v1);
        byte[] encoded = InstanceCodec.encode(template);
        HazelcastInstance hz = Main.member();
        try {
            HazelcastInstanceTable table = new HazelcastInstanceTable(hz);
            long before = usedAfterGc();
            IdleCopies.load(template, "memory", "idle", count, 5_000, table::putAll);
            long after = usedAfterGc();
            double perInstance = (after - before) / (double) count;
            System.out.printf("record of the 5-rule workflow: %d bytes as stored%n", encoded.length);
            System.out.printf("memory: %d idle instances in one member: heap %d MiB -> %d MiB, %.0f bytes each%n",
                    table.size(), before >> 20, after >> 20, perInstance);
        } finally {
            hz.shutdown();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // a benchmark letting the collector settle, not a test synchronising
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
