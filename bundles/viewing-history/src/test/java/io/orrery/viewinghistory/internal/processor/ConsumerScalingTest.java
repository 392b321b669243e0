package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerScalingTest {

    @Test
    void keepsItsCountUntilABaselineWasMeasured() {
        ConsumerScaling scaling = new ConsumerScaling(1, 8, Duration.ofMinutes(1));
        assertThat(scaling.decide(0, 1_000_000, 0, 2)).isEqualTo(2);
    }

    @Test
    void scalesUpAtOnceToWhatDemandNeeds() {
        ConsumerScaling scaling = measured(1000);
        assertThat(scaling.decide(1000, 5500, 0, 1)).isEqualTo(6);
        assertThat(scaling.decide(1001, 50_000, 0, 6)).isEqualTo(8); // capped at max
    }

    @Test
    void scalesDownOneStepPerCoolDownSoRebalancesDoNotFlap() {
        ConsumerScaling scaling = measured(1000);
        long t = 0;
        assertThat(scaling.decide(t, 7500, 0, 1)).isEqualTo(8);
        assertThat(scaling.decide(t += 1000, 100, 0, 8)).isEqualTo(8);          // within the cool-down
        assertThat(scaling.decide(t += 60_000, 100, 0, 8)).isEqualTo(7);        // one step
        assertThat(scaling.decide(t += 1000, 100, 0, 7)).isEqualTo(7);
        assertThat(scaling.decide(t += 60_000, 100, 0, 7)).isEqualTo(6);
        assertThat(scaling.decide(t += 1000, 6500, 0, 6)).isEqualTo(7);         // up again at once
    }

    @Test
    void aBacklogCountsAsDemandAndTheBaselineComesOnlyFromBusyIntervals() {
        ConsumerScaling scaling = new ConsumerScaling(1, 8, Duration.ofMinutes(1));
        scaling.observe(9000, 2, 0);               // no backlog: not flat out, not a baseline
        assertThat(scaling.baseline()).isZero();
        scaling.observe(2000, 2, 500);
        assertThat(scaling.baseline()).isEqualTo(1000);
        assertThat(scaling.decide(0, 1000, 20_000, 1)).isEqualTo(3); // 1000/s + 20000 over ten seconds
    }

    @Test
    void aConfiguredBaselineIsNotOverwrittenByMeasurements() {
        ConsumerScaling scaling = new ConsumerScaling(1, 8, Duration.ofMinutes(1)).withBaseline(500);
        scaling.observe(9000, 1, 100);
        assertThat(scaling.baseline()).isEqualTo(500);
        assertThat(scaling.decide(0, 1600, 0, 1)).isEqualTo(4);
        // 0 keeps the baseline measured
        ConsumerScaling measured = new ConsumerScaling(1, 8, Duration.ofMinutes(1)).withBaseline(0);
        measured.observe(700, 1, 1);
        assertThat(measured.baseline()).isEqualTo(700);
    }

    private static ConsumerScaling measured(double perConsumer) {
        ConsumerScaling scaling = new ConsumerScaling(1, 8, Duration.ofMinutes(1));
        scaling.observe(perConsumer, 1, 1);
        return scaling;
    }
}
