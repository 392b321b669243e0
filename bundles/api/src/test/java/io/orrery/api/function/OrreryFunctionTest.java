package io.orrery.api.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OrreryFunctionTest {

    /** A function written before warm-up and batches existed: only name and apply. */
    static final OrreryFunction HALVE = new OrreryFunction() {
        @Override
        public String name() {
            return "halve";
        }

        @Override
        public Map<String, Object> apply(Map<String, Object> args) {
            int n = ((Number) args.get("n")).intValue();
            if (n % 2 != 0) {
                throw new FunctionFailure("odd: " + n);
            }
            return Map.of("half", n / 2);
        }
    };

    @Test
    void aBatchByDefaultAppliesEachCallInOrderKeepingEachOutcome() throws Exception {
        HALVE.warmUp();
        List<BatchOutcome> out = HALVE.applyBatch(List.of(Map.of("n", 4), Map.of("n", 3), Map.of("n", 10)));
        assertThat(out).hasSize(3);
        assertThat(out.get(0).value()).isEqualTo(Map.of("half", 2));
        assertThat(out.get(1).failed()).isTrue();
        assertThat(out.get(1).error()).isInstanceOf(FunctionFailure.class).hasMessage("odd: 3");
        assertThat(out.get(2).value()).isEqualTo(Map.of("half", 5));
    }

    @Test
    void failuresAreClassedByWhatTheyCarryOrByTheirType() {
        assertThat(ErrorClass.of(new FunctionFailure("bad input"))).isEqualTo(ErrorClass.USER);
        assertThat(ErrorClass.of(new FunctionFailure(ErrorClass.PLATFORM, "gone", null)))
                .isEqualTo(ErrorClass.PLATFORM);
        assertThat(ErrorClass.of(new TransientFailure("busy"))).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(ErrorClass.of(new TransientFailure(ErrorClass.PLATFORM, "host died", null)))
                .isEqualTo(ErrorClass.PLATFORM);
        assertThat(ErrorClass.of(new TimeoutException("slow"))).isEqualTo(ErrorClass.TIMEOUT);
        assertThat(ErrorClass.of(new IllegalStateException("bug"))).isEqualTo(ErrorClass.USER);
        assertThat(ErrorClass.TRANSIENT.tag()).isEqualTo("transient");
    }
}
