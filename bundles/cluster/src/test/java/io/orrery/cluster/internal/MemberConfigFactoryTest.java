package io.orrery.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.orrery.cluster.MemberSettings;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberConfigFactoryTest {

    @Test
    void mapsTheDefaultsToATcpIpLoopbackMember() {
        ClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader());

        Config config = MemberConfigFactory.create(MemberSettings.defaults(), loader);

        assertThat(config.getClusterName()).isEqualTo("orrery");
        assertThat(config.getClassLoader()).isSameAs(loader);
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("2");
    }

    @Test
    void appliesTheBackupCountToEveryMapAndQueue() {
        Config config = MemberConfigFactory.create(MemberSettings.defaults().withBackupCount(2), null);

        assertThat(config.getMapConfig("any-map").getBackupCount()).isEqualTo(2);
        assertThat(config.getQueueConfig("any-queue").getBackupCount()).isEqualTo(2);
    }

    @Test
    void mapsExplicitMembersPortAndAllInterfaces() {
        MemberSettings settings = MemberSettings.defaults()
                .withClusterName("prod").withPort(6000).withBindAddress("")
                .withMembers(List.of("10.0.0.1:6000", "10.0.0.2:6000")).withJoinWaitSeconds(0);

        Config config = MemberConfigFactory.create(settings, null);

        assertThat(config.getClusterName()).isEqualTo("prod");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(6000);
        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isNull();
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("10.0.0.1:6000", "10.0.0.2:6000");
        assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    }
}
