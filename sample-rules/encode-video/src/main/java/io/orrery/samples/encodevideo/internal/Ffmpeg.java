package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.CommandResult;
import io.orrery.api.function.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code ffmpeg} and {@code ffprobe}, found on the PATH, run through {@link ExternalCommand}: a run that
 * exits badly fails the call with ffmpeg's own error, a run past its timeout is killed.
 */
final class Ffmpeg {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ENCODE_TIMEOUT = Duration.ofMinutes(10);

    private Ffmpeg() {
    }

    /** {@code ffmpeg} quiet but for errors, never reading stdin, overwriting its outputs (retries rewrite them). */
    static CommandResult run(Path directory, Duration timeout, List<String> arguments) {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        all.addAll(arguments);
        return ExternalCommand.of("ffmpeg", all).directory(directory).timeout(timeout).run();
    }

    /** What ffprobe says of a file's format and first video stream. */
    static MediaFacts probe(Path file) {
        CommandResult r = ExternalCommand.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "stream=codec_name,width,height,r_frame_rate:format=duration", "-of",
                        "default=noprint_wrappers=1", file.toString())
                .directory(file.getParent()).timeout(PROBE_TIMEOUT).run();
        return MediaFacts.parse(file, r.stdout());
    }
}
