package io.orrery.api.health;

/**
 * One component's view of its own health. Each subsystem that owns a connection to something outside itself (the
 * Hazelcast member, the Kafka cluster, the store), and each the node cannot work without (the queues, the engine),
 * registers one as an OSGi service;
 * the gateway's {@code /health} and the shell's {@code orrery:status} report all of them.
 */
public interface HealthIndicator {

    /** The component's name as reported: {@code hazelcast}, {@code kafka}, {@code store}, {@code queue}… */
    String component();

    /** Checks the component now. Must answer within a few seconds and never throw. */
    ComponentHealth check();
}
