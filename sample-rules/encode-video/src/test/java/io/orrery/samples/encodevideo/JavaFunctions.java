package io.orrery.samples.encodevideo;

import io.orrery.api.function.ExternalCommand;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.samples.encodevideo.internal.MediaAssemble;
import io.orrery.samples.encodevideo.internal.MediaEncode;
import io.orrery.samples.encodevideo.internal.MediaIndex;
import io.orrery.samples.encodevideo.internal.MediaProbe;
import io.orrery.samples.encodevideo.internal.MediaReencode;
import io.orrery.samples.encodevideo.internal.MediaSplit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Answers the workflow's calls with this bundle's own Java functions, as the server's workers would. */
public final class JavaFunctions {

    private JavaFunctions() {
    }

    public static List<OrreryFunction> all() {
        return List.of(new MediaProbe(), new MediaSplit(), new MediaEncode(), new MediaAssemble(), new MediaIndex(),
                new MediaReencode());
    }

    public static EmiraxTestKit wired(EmiraxTestKit kit) {
        for (OrreryFunction f : all()) {
            kit.stub(f.name(), args -> {
                try {
                    return f.apply(args);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return kit;
    }

    /** A test video made on the spot by ffmpeg's {@code testsrc}: 640x360 at 25 frames a second, no audio. */
    public static Path testVideo(Path dir, int seconds) {
        Path video = dir.resolve("testsrc-" + seconds + "s.mp4");
        ExternalCommand.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=" + seconds + ":size=640x360:rate=25", "-pix_fmt", "yuv420p", video.toString())
                .timeout(Duration.ofMinutes(1)).run();
        return video;
    }

    /** ffprobe's reading of one entry, e.g. {@code format=duration} or {@code stream=height}. */
    public static String probe(Path file, String entry) {
        return ExternalCommand.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", entry, "-of",
                "default=noprint_wrappers=1:nokey=1", file.toString()).run().stdout().trim();
    }
}
