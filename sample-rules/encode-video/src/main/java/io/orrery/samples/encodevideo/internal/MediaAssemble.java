package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.assemble}: joins encoded chunks ({@code parts}, in order) into one playable file in the job's
 * directory with ffmpeg's concat demuxer, without re-encoding (the chunks share one recipe's settings), and answers
 * its {@code uri}.
 */
@Component(service = OrreryFunction.class)
public final class MediaAssemble implements OrreryFunction {

    static final String NAME = "media.assemble";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        List<Path> parts = MediaArgs.texts(args, "parts", NAME).stream()
                .map(p -> MediaArgs.existing(p, "parts", NAME)).toList();
        Path job = MediaArgs.job(args, NAME);
        try {
            Files.createDirectories(job);
            Path list = job.resolve("concat.txt");
            Files.writeString(list, parts.stream().map(p -> "file " + quoted(p.toString()))
                    .collect(Collectors.joining("\n", "", "\n")));
            Path partial = job.resolve(".partial-output.mp4");
            Ffmpeg.run(job, Ffmpeg.ENCODE_TIMEOUT, List.of("-f", "concat", "-safe", "0", "-i", list.toString(),
                    "-c", "copy", "-movflags", "+faststart", "-f", "mp4", partial.getFileName().toString()));
            Path output = Files.move(partial, job.resolve("output.mp4"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return Map.of("uri", MediaArgs.uri(output));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + job, e);
        }
    }

    // The concat demuxer's quoting: inside single quotes, a quote is written '\''.
    static String quoted(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
