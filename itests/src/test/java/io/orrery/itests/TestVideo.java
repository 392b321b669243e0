package io.orrery.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test media made on the spot by Debian's ffmpeg (its {@code testsrc} pattern), and ffprobe's reading of a result:
 * no media file is committed. Plain processes: this runs in the test driver and in the container alike.
 */
final class TestVideo {

    private TestVideo() {
    }

    /** A {@code seconds}-long 640x360 video at 25 frames a second under {@code dir}, made once per name. */
    static Path generate(Path dir, int seconds) {
        Path video = dir.toAbsolutePath().resolve("testsrc-" + seconds + "s.mp4");
        if (!Files.isRegularFile(video)) {
            run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=duration=" + seconds + ":size=640x360:rate=25", "-pix_fmt", "yuv420p",
                    video.toString()), dir);
        }
        return video;
    }

    /** ffprobe's duration of a media file, in seconds. */
    static double duration(Path file) {
        return Double.parseDouble(run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=noprint_wrappers=1:nokey=1", file.toString()), file.getParent()).trim());
    }

    /** ffprobe's codec name of a file's first video stream. */
    static String codec(Path file) {
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name",
                "-of", "default=noprint_wrappers=1:nokey=1", file.toString()), file.getParent()).trim();
    }

    private static String run(List<String> command, Path dir) {
        try {
            Files.createDirectories(dir);
            File log = Files.createTempFile(dir, "ffmpeg", ".log").toFile();
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                    .redirectErrorStream(false).redirectError(log).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end");
            }
            String err = Files.readString(log.toPath());
            Files.delete(log.toPath());
            if (p.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + p.exitValue() + ": " + err);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
