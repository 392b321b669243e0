package io.orrery.api.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CrashPointsTest {

    @AfterEach
    void reset() {
        CrashPoints.reset();
    }

    @Test
    void anUnarmedPointDoesNothing() {
        CrashPoints.reach("test.unarmed", "member-1");
    }

    @Test
    void anArmedPointRunsItsActionWithTheScopeAndStopsTheThread() {
        List<Object> scopes = new ArrayList<>();
        CrashPoints.arm("test.armed", (point, scope) -> {
            scopes.add(scope);
            throw new SimulatedCrash(point);
        });

        assertThatThrownBy(() -> CrashPoints.reach("test.armed", "member-2"))
                .isInstanceOf(SimulatedCrash.class)
                .hasMessageContaining("test.armed");
        assertThat(scopes).containsExactly("member-2");
        CrashPoints.reach("test.other", "member-2");
    }

    @Test
    void aDisarmedPointNoLongerFires() {
        CrashPoints.arm("test.disarmed", (point, scope) -> {
            throw new SimulatedCrash(point);
        });
        CrashPoints.disarm("test.disarmed");

        CrashPoints.reach("test.disarmed");
    }

    @Test
    void recordingListsThePointsReached() {
        CrashPoints.record();
        CrashPoints.reach("test.recorded");

        assertThat(CrashPoints.seen()).contains("test.recorded");
    }
}
