package io.orrery.viewinghistory.internal.region;

import org.apache.camel.builder.RouteBuilder;

/**
 * The region router: a Kafka consumer group on the local cluster's forwarding topic, sending each batch on to the
 * home regions' clusters ({@link RegionForwarder}) with manual commits after they acknowledged. While one region
 * is down the router waits for it, holding up the events of other regions behind it in the same partitions. With a
 * backup cluster it reads that cluster's forwarding topic as well: while the local primary is down the endpoint
 * publishes every event to the backup, those of other regions included.
 */
public class RegionRoute extends RouteBuilder {

    public static final String GROUP = "orrery-viewing-history-router";
    /** How long a region may be down before the router's consumer leaves its group (and its batch is redelivered). */
    public static final java.time.Duration MAX_WAIT = java.time.Duration.ofHours(1);

    private final HomeRegions regions;
    private final RegionForwarder forwarder;
    private final String localBrokers;
    private final String backupBrokers;

    /**
     * {@code localBrokers}: the cluster the endpoint publishes to (the primary), whose forwarding topic is read;
     * {@code backupBrokers}: the local backup cluster the endpoint fails over to, blank for none.
     */
    public RegionRoute(HomeRegions regions, RegionForwarder forwarder, String localBrokers, String backupBrokers) {
        this.regions = regions;
        this.forwarder = forwarder;
        this.localBrokers = localBrokers;
        this.backupBrokers = backupBrokers;
    }

    @Override
    public void configure() {
        if (regions == null) {
            return; // one region: nothing to forward
        }
        forwardFrom("primary", localBrokers);
        if (backupBrokers != null && !backupBrokers.isBlank()) {
            forwardFrom("backup", backupBrokers);
        }
    }

    private void forwardFrom(String cluster, String brokers) {
        from("kafka:" + regions.forwardTopic() + "?groupId=" + GROUP
                + "&autoCommitEnable=false&allowManualCommit=true&batching=true&breakOnFirstError=true"
                + "&maxPollRecords=500&pollTimeoutMs=200&autoOffsetReset=earliest"
                // a batch waits inside the forwarder while its region is down: stay in the group meanwhile
                + "&maxPollIntervalMs=" + MAX_WAIT.toMillis()
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + (brokers == null || brokers.isBlank() ? "" : "&brokers=" + brokers))
                .routeId("orrery-viewing-history-region-router" + ("primary".equals(cluster) ? "" : "-" + cluster))
                .process(forwarder);
    }
}
