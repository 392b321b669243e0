package io.orrery.viewinghistory.publisher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** The test broker itself: a port taken between choosing it and the broker binding it does not fail the test. */
class KafkaBrokerTest {

    @Test
    void aBrokerWhosePortWasTakenBeforeItBoundItStartsOnFreshPorts() throws Exception {
        List<int[]> handedOut = new ArrayList<>();
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             KafkaBroker broker = KafkaBroker.start(() -> {
                 int[] ports = KafkaBroker.freePorts(2);
                 if (handedOut.isEmpty()) {
                     ports[0] = squatter.getLocalPort(); // taken between choosing it and binding it
                 }
                 handedOut.add(ports);
                 return ports;
             });
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            assertThat(handedOut).hasSize(2);
            assertThat(broker.bootstrap()).isEqualTo("127.0.0.1:" + handedOut.get(1)[0]);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }
}
