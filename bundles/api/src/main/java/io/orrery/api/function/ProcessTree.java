package io.orrery.api.function;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kills a process and everything it started. Descendants go first: once their parent is dead they would be
 * re-parented away and no longer found among its descendants. A process may start another while the tree is being
 * killed, so the walk repeats until none is left.
 */
final class ProcessTree {

    private static final int ROUNDS = 10;

    private ProcessTree() {
    }

    static void kill(Process process) {
        ProcessHandle root = process.toHandle();
        for (int round = 0; round < ROUNDS; round++) {
            List<ProcessHandle> descendants = root.descendants().toList();
            if (descendants.isEmpty()) {
                break;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
            descendants.forEach(ProcessTree::awaitExit);
        }
        process.destroyForcibly();
        awaitExit(root);
    }

    private static void awaitExit(ProcessHandle handle) {
        CompletableFuture<ProcessHandle> exit = handle.onExit();
        try {
            exit.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A process that a SIGKILL does not end within seconds is stuck in the kernel; nothing more can be done.
        }
    }
}
