package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.UnknownWorkflowException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What a request that ended in an exception is answered. */
class ProblemMappingTest {

    @Test
    void anEngineThatStoppedUnderARequestIsTheServersStateAndAsksForTheRequestAgain() {
        ApiProblem problem = ProblemMapping.of(new CompletionException(
                new EngineStoppedException("acme/wf/k: the engine stopped before the event ran; it was not run")));
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.headers()).containsKey("Retry-After");
    }

    @Test
    void theCallersMistakeNamesItsFieldAndAnythingElseIsAnErrorIdNotAMessage() {
        ApiProblem unknown = ProblemMapping.of(new UnknownWorkflowException("acme", "nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.getMessage()).contains("nope");

        ApiProblem fault = ProblemMapping.of(new IllegalStateException("secret internal detail"));
        assertThat(fault.status()).isEqualTo(500);
        assertThat(fault.getMessage()).doesNotContain("secret").contains("error id");
    }
}
