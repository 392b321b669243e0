package io.orrery.api.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FunctionOutputsTest {

    @Test
    void aJobsDirectoryStaysInsideTheRootWhateverItsName() {
        assertThat(FunctionOutputs.forJob("video-1")).isEqualTo(FunctionOutputs.root().resolve("video-1"));
        assertThat(FunctionOutputs.forJob("../../etc/passwd")).isEqualTo(FunctionOutputs.root()
                .resolve(".._.._etc_passwd"));
        assertThat(FunctionOutputs.forJob("/abs olute")).isEqualTo(FunctionOutputs.root().resolve("_abs_olute"));
        assertThat(FunctionOutputs.forJob("../../etc").normalize().startsWith(FunctionOutputs.root())).isTrue();
    }

    @Test
    void refusesNamesThatWouldNotBeADirectoryOfItsOwn() {
        assertThatThrownBy(() -> FunctionOutputs.forJob("..")).isInstanceOf(FunctionFailure.class)
                .hasMessageContaining("only of dots");
        assertThatThrownBy(() -> FunctionOutputs.forJob(" ")).isInstanceOf(FunctionFailure.class);
        assertThatThrownBy(() -> FunctionOutputs.forJob("x".repeat(201))).isInstanceOf(FunctionFailure.class);
    }
}
