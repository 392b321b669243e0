package io.orrery.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.Test;

/**
 * Two real distributions, launched with bin/orrery: the first starts the bundled dev broker, the second is
 * configured with the first as Hazelcast member and its broker as bootstrap server. They form one cluster, both
 * answer health 200, and stopping the first node stops its dev broker too.
 */
public class ClusterJoinIT {

    private static final Duration BOOT = Duration.ofSeconds(150);

    @Test
    public void aSecondDistributionJoinsTheFirstsCluster() throws Exception {
        File distribution = new File(System.getProperty("orrery.distribution"));
        Path dir = Files.createTempDirectory(new File("target").toPath().toAbsolutePath(), "cluster-join");
        String cluster = "orrery-join-" + UUID.randomUUID();
        int hazelcast1 = OrreryContainer.freePort();
        int hazelcast2 = OrreryContainer.freePort();
        int broker = OrreryContainer.freePort();

        try (UnpackedNode first = UnpackedNode.unpack(distribution, dir.resolve("node1"), OrreryContainer.freePort());
             UnpackedNode second = UnpackedNode.unpack(distribution, dir.resolve("node2"), OrreryContainer.freePort())) {
            first.set("etc/io.orrery.cluster.cfg", "clusterName", cluster)
                    .set("etc/io.orrery.cluster.cfg", "port", String.valueOf(hazelcast1))
                    .set("etc/io.orrery.kafka.cfg", "devBrokerPort", String.valueOf(broker));
            second.set("etc/io.orrery.cluster.cfg", "clusterName", cluster)
                    .set("etc/io.orrery.cluster.cfg", "port", String.valueOf(hazelcast2))
                    .set("etc/io.orrery.cluster.cfg", "members", "127.0.0.1:" + hazelcast1)
                    .set("etc/io.orrery.kafka.cfg", "bootstrapServers", "127.0.0.1:" + broker);

            first.launch();
            Await.until(BOOT, first::health, r -> r.status == 200, "node 1 healthy");
            second.launch();
            Http.Response joined = Await.until(BOOT, second::detailedHealth,
                    r -> r.status == 200 && r.body.contains("\"memberCount\":2"), "node 2 healthy in a 2-member cluster");

            assertTrue(joined.body, joined.body.contains("\"devBroker\":false"));
            assertTrue(first.detailedHealth().body.contains("\"memberCount\":2"));
            assertTrue(first.launcherLog(), first.launcherLog().contains("kafka-dev started"));
            assertFalse("the second node starts no broker of its own", second.launcherLog().contains("kafka-dev"));

            second.close();
            Await.until(BOOT, first::detailedHealth, r -> r.body.contains("\"memberCount\":1"), "node 1 alone again");
            first.close();
            assertTrue(first.launcherLog(), first.launcherLog().contains("kafka-dev stopped"));
        }
    }
}
