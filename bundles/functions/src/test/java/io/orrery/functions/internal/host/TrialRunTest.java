package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrialRunTest {

    private static final Path SH = Path.of("/bin/sh");

    @Test
    void aToolThatSucceedsHasNoTrouble() {
        assertThat(TrialRun.trouble(SH, List.of("/bin/sh", "-c", "echo fine"))).isNull();
    }

    @Test
    void aToolThatFailsIsNamedWithWhatItSaid() {
        assertThat(TrialRun.trouble(SH, List.of("/bin/sh", "-c", "echo 'no namespaces here' >&2; exit 3")))
                .contains("a trial run of /bin/sh failed").contains("no namespaces here");
    }

    @Test
    void aToolThatNeverEndsIsGivenUpOnAfterTheWait() throws Exception {
        // Holding its output open while it hangs: reading that output to its end first waited for ever.
        var trial = CompletableFuture.supplyAsync(() -> TrialRun.trouble(SH, List.of("/bin/sh", "-c",
                "echo started; exec sleep 600"), Duration.ofSeconds(1)));

        assertThat(trial.get(30, TimeUnit.SECONDS)).isEqualTo("a trial run of /bin/sh did not end");
    }
}
