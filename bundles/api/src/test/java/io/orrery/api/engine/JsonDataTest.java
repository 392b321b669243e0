package io.orrery.api.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonDataTest {

    /**
     * A list holding the same list twice, forty levels down, is small in memory but a tree of 2^40 values as data:
     * a copy of it would never end (and runs where no time limit stops it), so it is refused once it grows past
     * {@link JsonData#MAX_VALUES}.
     */
    @Test
    void dataSharedOverAndOverIsRefusedInsteadOfCopiedForEver() {
        Object shared = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            shared = List.of(shared, shared);
        }
        Object data = shared;

        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> JsonData.copy(data, "state.x"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("state.x[0]")
                        .hasMessageContaining(": more than " + JsonData.MAX_VALUES + " values"));
    }

    @Test
    void dataUpToTheBoundIsCopied() {
        List<Object> wide = new ArrayList<>();
        for (int i = 0; i < JsonData.MAX_VALUES - 3; i++) {
            wide.add(i);
        }

        assertThat(JsonData.copyMap(Map.of("wide", wide), "state")).containsEntry("wide", wide);
    }

    @Test
    void dataNestedToTheLimitIsCopiedAndOneLevelMoreIsRefusedNamingWhere() {
        assertThat(JsonData.copy(nested(JsonData.MAX_DEPTH), "state.x")).isEqualTo(nested(JsonData.MAX_DEPTH));

        assertThatThrownBy(() -> JsonData.copyMap(Map.of("x", nested(JsonData.MAX_DEPTH)), "state"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("state.x[0][0]")
                .hasMessageContaining(": nested deeper than " + JsonData.MAX_DEPTH + " levels");
    }

    /** Lists inside lists, levels deep, the innermost empty. */
    private static Object nested(int levels) {
        Object value = List.of();
        for (int i = 1; i < levels; i++) {
            value = List.of(value);
        }
        return value;
    }
}
