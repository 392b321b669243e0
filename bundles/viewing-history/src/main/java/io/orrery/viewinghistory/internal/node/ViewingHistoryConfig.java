package io.orrery.viewinghistory.internal.node;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.orrery.viewinghistory.cfg}. */
@ObjectClassDefinition(name = "Orrery viewing history", description = "Playback ingestion and the history processor")
public @interface ViewingHistoryConfig {

    @AttributeDefinition(description = "The tenant that owns the playback and user endpoints and the retry queue")
    String tenant() default "playback";

    @AttributeDefinition(description = "The Kafka topic of playback events")
    String topic() default "orrery.playback.events";

    @AttributeDefinition(description = "Bootstrap servers of the primary cluster; empty is the node's (io.orrery.kafka)")
    String primaryBootstrap() default "";

    @AttributeDefinition(description = "Bootstrap servers of the backup cluster for critical events; empty for none")
    String backupBootstrap() default "";

    @AttributeDefinition(description = "Events accepted but not yet acknowledged by Kafka, at most: the worst-case loss")
    int bufferCapacity() default 10_000;

    @AttributeDefinition(description = "How long one send may take before its cluster counts as unreachable, in ms")
    int deliveryTimeoutMillis() default 5_000;

    @AttributeDefinition(description = "Kafka consumers of the processor on this node")
    int consumers() default 1;

    @AttributeDefinition(description = "Most Kafka consumers the processor scales up to on this node, by records per "
            + "second against the measured per-consumer baseline; 0 (or at most consumers) keeps consumers fixed")
    int maxConsumers() default 0;

    @AttributeDefinition(description = "Records per second one consumer handles, for scaling; 0 measures it (the most "
            + "one consumer processed per second while a backlog remained)")
    int consumerBaseline() default 0;

    @AttributeDefinition(description = "Seconds between two steps down of the consumer count")
    int scaleDownCoolDownSeconds() default 300;

    @AttributeDefinition(description = "Most records the processor handles in one batch (one store transaction, "
            + "one offset commit and one round of grid calls per batch)")
    int batchSize() default 2000;

    @AttributeDefinition(description = "An open session with no event for this long is closed, in seconds")
    int inactivityGapSeconds() default 1800;

    @AttributeDefinition(description = "First retry delay of a failed event, in ms; doubled per attempt")
    int retryBaseMillis() default 1000;

    @AttributeDefinition(description = "Longest retry delay, in ms")
    int retryMaxMillis() default 300_000;

    @AttributeDefinition(description = "Processing attempts of a failing event before it is dead-lettered")
    int maxAttempts() default 6;

    @AttributeDefinition(description = "Percentage of users (by userId hash) whose events go through Kafka; the "
            + "others are processed on the request path. orrery:vh-rollout changes it for the whole cluster")
    int rolloutPercent() default 100;

    @AttributeDefinition(description = "Seconds between two consumer-scaling decisions")
    int scaleIntervalSeconds() default 10;

    @AttributeDefinition(description = "Shadow mode: every event is processed on the request path into the store users "
            + "read and published to Kafka, whose processor writes the shadow store; a validator compares the two")
    boolean shadowMode() default false;

    @AttributeDefinition(description = "Seconds between two shadow validations while in shadow mode (orrery:vh-status "
            + "--shadow runs one at once)")
    int shadowValidateSeconds() default 300;

    @AttributeDefinition(description = "This node's region; empty: one region, nothing is forwarded")
    String region() default "";

    @AttributeDefinition(description = "Every region and its Kafka cluster, in one order on every node: "
            + "name=bootstrap servers, separated by ';' (this region's is the primary cluster)")
    String regions() default "";

    @AttributeDefinition(description = "Users whose home region is named rather than hashed: userId=region, separated by ','")
    String homeRegions() default "";
}
