package io.orrery.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemberSettingsTest {

    @Test
    void defaultsStayOnLoopbackAwayFromHazelcastsUsualPort() {
        MemberSettings defaults = MemberSettings.defaults();

        assertThat(defaults.clusterName()).isEqualTo("orrery");
        assertThat(defaults.port()).isEqualTo(5801);
        assertThat(defaults.members()).containsExactly("127.0.0.1");
        assertThat(defaults.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(defaults.backupCount()).isEqualTo(1);
    }

    @Test
    void parsesACommaSeparatedMemberList() {
        assertThat(MemberSettings.parseMembers(" 10.0.0.1:5801, 10.0.0.2 ,,")).containsExactly("10.0.0.1:5801", "10.0.0.2");
        assertThat(MemberSettings.parseMembers("")).isEmpty();
    }

    @Test
    void refusesSettingsNoMemberCouldStartWith() {
        MemberSettings defaults = MemberSettings.defaults();

        assertThatThrownBy(() -> defaults.withClusterName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMembers(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withBackupCount(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withJoinWaitSeconds(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
