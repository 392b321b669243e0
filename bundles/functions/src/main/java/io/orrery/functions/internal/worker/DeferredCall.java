package io.orrery.functions.internal.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A call sent by a {@link DeferredFunction}: its answer (the function's result, or what failed it), the longest it
 * may run whatever its own timeout, and what ends it when it overruns.
 *
 * @param answer  completed once, by the function's answer or its failure
 * @param limit   the most the call may run (the hosts' call limit); the call's own timeout when shorter applies
 * @param overrun ends the call at its timeout (kills its host and the host's process tree); given the reason
 */
public record DeferredCall(CompletableFuture<Map<String, Object>> answer, Duration limit,
                           Consumer<String> overrun) {
}
