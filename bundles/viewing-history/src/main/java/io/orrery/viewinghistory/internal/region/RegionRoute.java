package io.orrery.viewinghistory.internal.region;

import org.apache.camel.builder.RouteBuilder;

/**
 * The region router: a Kafka consumer group on the local cluster's forwarding topic, sending each batch on to the
 * home regions' clusters ({@link RegionForwarder}) with manual commits after they acknowledged.
 */
public class RegionRoute extends RouteBuilder {

    public static final String GROUP = "orrery-viewing-history-router";

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
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + (localBrokers == null || localBrokers.isBlank() ? "" : "&brokers=" + localBrokers))
                .routeId("orrery-viewing-history-region-router")
                .process(forwarder);
    }
}
