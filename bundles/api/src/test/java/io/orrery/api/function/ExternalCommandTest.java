package io.orrery.api.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a shell and what it starts. */
class ExternalCommandTest {

    @TempDir
    Path dir;

    @Test
    void answersTheOutputOfACommandThatSucceeds() {
        CommandResult result = ExternalCommand.of("sh", "-c", "echo out; echo err >&2; pwd").directory(dir).run();

        assertThat(result.stdout()).isEqualTo("out\n" + dir.toAbsolutePath() + "\n");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void aNonZeroExitFailsWithTheStatusAndWhatTheCommandWroteToStderr() {
        assertThatThrownBy(() -> ExternalCommand.of("sh", "-c", "echo 'No such file: in.mp4' >&2; exit 3").run())
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f).isInstanceOf(FunctionFailure.class);
                    assertThat(f.timedOut()).isFalse();
                    assertThat(ErrorClass.of(f)).isEqualTo(ErrorClass.USER);
                    assertThat(f.exitCode()).isEqualTo(3);
                    assertThat(f.stderr()).isEqualTo("No such file: in.mp4\n");
                    assertThat(f.getMessage()).startsWith("sh -c").contains("exited with status 3")
                            .contains("No such file: in.mp4");
                });
    }

    @Test
    void aProgramThatDoesNotExistFailsNamingIt() {
        assertThatThrownBy(() -> ExternalCommand.of("no-such-program-orrery").run())
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(-1);
                    assertThat(f.getMessage()).startsWith("no-such-program-orrery could not start");
                });
    }

    @Test
    void theTimeoutKillsTheWholeProcessTree() throws IOException {
        Path pids = dir.resolve("pids");
        // The shell starts a sleeping child, writes both process ids, and waits for the child.
        String script = "sleep 300 & echo $$ $! > " + pids + "; wait";

        assertThatThrownBy(() -> ExternalCommand.of("sh", "-c", script).timeout(Duration.ofSeconds(2)).run())
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.timedOut()).isTrue();
                    assertThat(ErrorClass.of(f)).as("counted as a timeout").isEqualTo(ErrorClass.TIMEOUT);
                    assertThat(f.getMessage()).contains("ran longer than PT2S and was killed");
                });

        List<Long> ids = List.of(Files.readString(pids).trim().split(" ")).stream().map(Long::valueOf).toList();
        assertThat(ids).hasSize(2);
        for (long id : ids) {
            assertThat(ProcessHandle.of(id).filter(ProcessHandle::isAlive)).as("process " + id).isEmpty();
        }
    }

    @Test
    void anInterruptedCallerKillsTheTreeAndKeepsItsInterrupt() throws Exception {
        Path pids = dir.resolve("pids");
        String script = "sleep 300 & echo $$ $! > " + pids + "; wait";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> interruptedAfter = pool.submit(() -> {
                try {
                    ExternalCommand.of("sh", "-c", script).timeout(Duration.ofMinutes(5)).run();
                    return false;
                } catch (CommandFailure f) {
                    return f.timedOut() && Thread.currentThread().isInterrupted();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pids) && Files.size(pids) > 0);
            interruptedAfter.cancel(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> List.of(Files.readString(pids).trim().split(" "))
                    .stream().map(Long::valueOf).noneMatch(id -> ProcessHandle.of(id).filter(ProcessHandle::isAlive)
                            .isPresent()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsOnlyTheEndOfAnOutputLargerThanTheLimit() {
        // 200,000 bytes on each stream, then a last line; a limit of 1,000 keeps the end.
        String script = "head -c 200000 /dev/zero | tr '\\0' x; echo; echo last-out;"
                + " head -c 200000 /dev/zero | tr '\\0' y >&2; echo >&2; echo last-err >&2; exit 1";

        assertThatThrownBy(() -> ExternalCommand.of("sh", "-c", script).outputLimit(1000).run())
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.stdout()).startsWith("[199010 earlier bytes dropped]\n").endsWith("x\nlast-out\n");
                    assertThat(f.stderr()).startsWith("[199010 earlier bytes dropped]\n").endsWith("y\nlast-err\n");
                    assertThat(f.getMessage().length()).isLessThan(2_300);
                });
    }

    @Test
    void refusesAMeaninglessTimeout() {
        assertThatThrownBy(() -> ExternalCommand.of("true").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
    }
}
