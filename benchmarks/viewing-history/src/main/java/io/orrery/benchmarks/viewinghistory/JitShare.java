package io.orrery.benchmarks.viewinghistory;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** The share of wall time the JIT's compiler threads spent compiling since this was made. */
final class JitShare {

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private final long compilingMs = JIT.getTotalCompilationTime();
    private final long startNs = System.nanoTime();

    double share() {
        double wallMs = (System.nanoTime() - startNs) / 1e6;
        return (JIT.getTotalCompilationTime() - compilingMs) / Math.max(1, wallMs);
    }
}
