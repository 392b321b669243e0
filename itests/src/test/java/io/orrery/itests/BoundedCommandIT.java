package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Test;

/** The itests' process runner on real processes: output, failures, and a command that never ends. */
public class BoundedCommandIT {

    private final BoundedCommand commands = new BoundedCommand(Path.of("target"), Duration.ofSeconds(2));

    @Test
    public void answersTheOutputOfACommandGivenItsInput() throws Exception {
        assertEquals("orrery:status\n", commands.run("orrery:status\n", List.of("cat")));
    }

    @Test
    public void aFailingCommandNamesItsExitStatusAndOutput() throws Exception {
        try {
            commands.run("", List.of("sh", "-c", "echo no such tenant; exit 3"));
            fail("a command exiting 3 was taken for a success");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("exited with 3: no such tenant"));
        }
    }

    /**
     * A command that starts a child holding its output open and never exits: the runner returns after its limit
     * with the output so far, and neither the command nor its child is left running.
     */
    @Test
    public void aCommandThatNeverEndsIsKilledWithItsChildren() throws Exception {
        Path pidFile = Files.createTempFile(Path.of("target"), "child", ".pid").toAbsolutePath();
        long started = System.nanoTime();
        try {
            commands.run("", List.of("sh", "-c", "echo connecting; sleep 600 & echo $! > " + pidFile + "; wait"));
            fail("a command that never ends returned");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("did not end within PT2S"));
            assertTrue(expected.getMessage(), expected.getMessage().contains("connecting"));
        }
        assertTrue("the runner waited past its limit", System.nanoTime() - started < Duration.ofSeconds(30).toNanos());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Await.until(Duration.ofSeconds(10), () -> ProcessHandle.of(child).filter(ProcessHandle::isAlive).isPresent(),
                alive -> !alive, "the command's child (pid " + child + ") to be gone");
    }
}
