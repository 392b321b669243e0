package io.orrery.viewinghistory.internal.region;

import org.apache.camel.builder.RouteBuilder;

/**
 * The region router: a Kafka consumer group on the local cluster's forwarding topic, sending each batch on to the
 * home regions' clusters ({@link RegionForwarder}) with manual commits after they acknowledged. While one region
 * is down the router waits for it, holding up the events of other regions behind it in the same partitions.
 */
public class RegionRoute extends RouteBuilder {

    public static final String GROUP = "orrery-viewing-history-router";
    /** How long a region may be down before the router's consumer leaves its group (and its batch is redelivered). */
    public static final java.time.Duration MAX_WAIT = java.time.Duration.ofHours(1);

    private final HomeRegions regions;
    private final RegionForwarder forwarder;
    private final String localBrokers;

    /** {@code localBrokers}: the cluster the endpoint publishes to (the primary), whose forwarding topic is read. */
    public RegionRoute(HomeRegions regions, RegionForwarder forwarder, String localBrokers) {
        this.regions = regions;
        this.forwarder = forwarder;
        this.localBrokers = localBrokers;
    }

    @Override
    public void configure() {
        if (regions == null) {
            return; // one region: nothing to forward
        }
        from("kafka:" + regions.forwardTopic() + "?groupId=" + GROUP
                + "&autoCommitEnable=false&allowManualCommit=true&batching=true&breakOnFirstError=true"
                + "&maxPollRecords=500&pollTimeoutMs=200&autoOffsetReset=earliest"
                // a batch waits inside the forwarder while its region is down: stay in the group meanwhile
                + "&maxPollIntervalMs=" + MAX_WAIT.toMillis()
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + (localBrokers == null || localBrokers.isBlank() ? "" : "&brokers=" + localBrokers))
                .routeId("orrery-viewing-history-region-router")
                .process(forwarder);
    }
}
