package io.orrery.gateway.internal.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.gateway.internal.http.ApiProblem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitAndCursorTest {

    private static final Duration LIMIT = Duration.ofSeconds(28);

    @Test
    void waitsAreDurationsCutToTheLimit() {
        assertThat(WaitParameter.parse(null, LIMIT)).isZero();
        assertThat(WaitParameter.parse("30s", LIMIT)).isEqualTo(LIMIT);
        assertThat(WaitParameter.parse("500ms", LIMIT)).isEqualTo(Duration.ofMillis(500));
        assertThat(WaitParameter.parse("7", LIMIT)).isEqualTo(Duration.ofSeconds(7));
        assertThat(WaitParameter.parse("2m", LIMIT)).isEqualTo(LIMIT);
        for (String bad : new String[] {"", "soon", "-1", "1h", "1.5s", "99999999s"}) {
            assertThatThrownBy(() -> WaitParameter.parse(bad, LIMIT)).as(bad)
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.field()).isEqualTo("wait"));
        }
    }

    @Test
    void cursorsRoundTripAndForgeriesAreRefused() {
        assertThat(ListCursor.decode(ListCursor.after("order:42"))).isEqualTo("order:42");
        assertThat(ListCursor.decode(null)).isNull();
        String slash = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("k:a/../b".getBytes());
        for (String bad : new String[] {"zzz", "%%%", "bzotMQ", ListCursor.after("a") + "x", slash}) {
            assertThatThrownBy(() -> ListCursor.decode(bad)).as(bad).isInstanceOf(ApiProblem.class);
        }
    }
}
