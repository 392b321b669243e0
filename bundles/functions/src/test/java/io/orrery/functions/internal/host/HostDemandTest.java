package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The host target following queue wait, on a clock the test moves. */
class HostDemandTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final DemandSettings settings = new DemandSettings(Duration.ofMillis(200), 8, Duration.ofSeconds(30));
    final HostDemand demand = new HostDemand(settings, now::get);

    void pass(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aWaitPastTheTargetRaisesTheTargetAtOnceByDoublingIt() {
        assertThat(demand.target("acme", 1)).isEqualTo(1);

        demand.waited("acme", Duration.ofMillis(900));

        assertThat(demand.current("acme")).as("raised before any upkeep").isEqualTo(2);
        assertThat(demand.target("acme", 1)).isEqualTo(2);
        pass(HostDemand.RAISE_SPACING);
        demand.waited("acme", Duration.ofMillis(900));
        assertThat(demand.target("acme", 1)).isEqualTo(4);
    }

    @Test
    void waitsUnderOrAtTheTargetNeverRaiseIt() {
        demand.target("acme", 1);
        for (int i = 0; i < 100; i++) {
            demand.waited("acme", Duration.ofMillis(200));
            pass(Duration.ofSeconds(1));
        }
        assertThat(demand.target("acme", 1)).isEqualTo(1);
    }

    @Test
    void callsWaitingBehindTheSameBacklogRaiseItOnlyOncePerSpacing() {
        demand.target("acme", 1);
        for (int i = 0; i < 50; i++) {
            demand.waited("acme", Duration.ofSeconds(5));
        }
        assertThat(demand.target("acme", 1)).isEqualTo(2);
        pass(HostDemand.RAISE_SPACING.minusMillis(1));
        demand.waited("acme", Duration.ofSeconds(5));
        assertThat(demand.target("acme", 1)).isEqualTo(2);
        pass(Duration.ofMillis(1));
        demand.waited("acme", Duration.ofSeconds(5));
        assertThat(demand.target("acme", 1)).isEqualTo(4);
    }

    @Test
    void theTargetNeverPassesTheCeiling() {
        demand.target("acme", 1);
        for (int i = 0; i < 20; i++) {
            demand.waited("acme", Duration.ofMinutes(10));
            pass(HostDemand.RAISE_SPACING);
        }
        assertThat(demand.target("acme", 1)).isEqualTo(8);
    }

    @Test
    void theTargetNeverPassesWhatThePoolsRunAtOnce() {
        demand.slots(() -> 3);
        demand.target("acme", 1);
        for (int i = 0; i < 5; i++) {
            demand.waited("acme", Duration.ofMinutes(1));
            pass(HostDemand.RAISE_SPACING);
        }
        assertThat(demand.target("acme", 1)).isEqualTo(3);

        demand.slots(() -> 2); // pool-set shrank the root: the target follows at the next upkeep
        assertThat(demand.target("acme", 1)).isEqualTo(2);
    }

    @Test
    void itShrinksOneStepPerCoolDownOnceWaitsStayUnderTheTarget() {
        demand.target("acme", 1);
        for (int i = 0; i < 3; i++) {
            demand.waited("acme", Duration.ofSeconds(3));
            pass(HostDemand.RAISE_SPACING);
        }
        assertThat(demand.target("acme", 1)).isEqualTo(8);
        demand.waited("acme", Duration.ofSeconds(3)); // the last high wait, at the ceiling already

        pass(Duration.ofSeconds(29));
        assertThat(demand.target("acme", 1)).as("within the cool-down").isEqualTo(8);
        demand.waited("acme", Duration.ofMillis(100)); // short waits do not hold it up
        pass(Duration.ofSeconds(1));
        assertThat(demand.target("acme", 1)).isEqualTo(7);
        assertThat(demand.target("acme", 1)).as("one step per cool-down, however often asked").isEqualTo(7);
        pass(Duration.ofSeconds(29));
        assertThat(demand.target("acme", 1)).isEqualTo(7);
        pass(Duration.ofSeconds(1));
        assertThat(demand.target("acme", 1)).isEqualTo(6);
    }

    @Test
    void aHighWaitDuringTheCoolDownRaisesAgainAndStartsTheCoolDownAfresh() {
        demand.target("acme", 1);
        demand.waited("acme", Duration.ofSeconds(3));
        pass(HostDemand.RAISE_SPACING);
        demand.waited("acme", Duration.ofSeconds(3));
        assertThat(demand.target("acme", 1)).isEqualTo(4);

        pass(Duration.ofSeconds(20));
        pass(HostDemand.RAISE_SPACING);
        demand.waited("acme", Duration.ofSeconds(3)); // raises: from 4 to 8
        assertThat(demand.target("acme", 1)).isEqualTo(8);
        pass(Duration.ofSeconds(29));
        assertThat(demand.target("acme", 1)).isEqualTo(8);
        pass(Duration.ofSeconds(1));
        assertThat(demand.target("acme", 1)).isEqualTo(7);
    }

    @Test
    void itNeverGoesBelowTheWarmCountEvenAboveTheCeiling() {
        demand.target("acme", 2);
        demand.waited("acme", Duration.ofSeconds(3));
        assertThat(demand.target("acme", 2)).as("doubled from the warm count").isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            pass(settings.coolDown());
            demand.target("acme", 2);
        }
        assertThat(demand.target("acme", 2)).isEqualTo(2);

        assertThat(demand.target("big", 12)).as("warm capacity is kept past the ceiling").isEqualTo(12);
        demand.waited("big", Duration.ofSeconds(3));
        assertThat(demand.target("big", 12)).isEqualTo(12);
    }

    @Test
    void tenantsAreApart() {
        demand.target("acme", 1);
        demand.target("beta", 1);
        demand.waited("acme", Duration.ofSeconds(3));
        assertThat(demand.target("acme", 1)).isEqualTo(2);
        assertThat(demand.target("beta", 1)).isEqualTo(1);
        demand.forget("acme");
        assertThat(demand.current("acme")).isZero();
    }

    @Test
    void settingsComeFromTheFunctionsFileWithSafeDefaultsAndClearErrors() {
        DemandSettings read = DemandSettings.parse(Map.of("demand.targetWaitMillis", "250", "demand.maxHosts", " 6",
                "demand.coolDownSeconds", "10", "warm.x", "1"));
        assertThat(read).isEqualTo(new DemandSettings(Duration.ofMillis(250), 6, Duration.ofSeconds(10)));
        assertThat(DemandSettings.parse(Map.of())).isEqualTo(DemandSettings.DEFAULTS);
        assertThatThrownBy(() -> DemandSettings.parse(Map.of("demand.maxHosts", "lots")))
                .hasMessageContaining("demand.maxHosts").hasMessageContaining("lots");
        assertThatThrownBy(() -> DemandSettings.parse(Map.of("demand.maxHosts", "0")))
                .hasMessageContaining("demand.maxHosts must be 1 to 64");
        assertThatThrownBy(() -> DemandSettings.parse(Map.of("demand.targetWaitMillis", "-5")))
                .hasMessageContaining("demand.targetWaitMillis must be positive");
        assertThatThrownBy(() -> DemandSettings.parse(Map.of("demand.coolDownSeconds", "-1")))
                .hasMessageContaining("demand.coolDownSeconds");
    }
}
