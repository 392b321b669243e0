package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.split}: cuts a source ({@code uri}) into {@code count} chunks of equal duration under the job's
 * directory and answers their {@code file:} URIs in order ({@code parts}). A stream copy could cut only at the
 * source's keyframes, which may be seconds apart, so the video is re-encoded once, near-losslessly and fast, with a
 * keyframe forced at each cut: every chunk starts with a keyframe and is encodable on its own. Audio becomes AAC
 * (a source's own audio codec may not fit the chunks' MP4).
 * A source shorter than {@code count} frames gives fewer chunks.
 */
@Component(service = OrreryFunction.class)
public final class MediaSplit implements OrreryFunction {

    static final String NAME = "media.split";
    static final int MAX_CHUNKS = 1000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        Path source = MediaArgs.file(args, "uri", NAME);
        int count = MediaArgs.count(args, "count", 1, MAX_CHUNKS, NAME);
        Path chunks = MediaArgs.job(args, NAME).resolve("chunks");
        MediaFacts facts = Ffmpeg.probe(source);
        recreate(chunks);
        String cuts = cuts(facts.duration(), count);
        List<String> arguments = new ArrayList<>(List.of("-i", source.toString(), "-map", "0:v:0", "-map", "0:a?",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a",
                "192k"));
        if (!cuts.isEmpty()) {
            // A keyframe lands on the first frame at or after each cut; the delta (half a frame) lets the segment
            // muxer take that frame even when its timestamp rounds just below the cut.
            arguments.addAll(List.of("-force_key_frames", cuts, "-f", "segment", "-segment_times", cuts,
                    "-segment_time_delta", format(halfFrame(facts))));
        } else {
            arguments.addAll(List.of("-f", "segment", "-segment_time", format(facts.duration() * 2)));
        }
        arguments.addAll(List.of("-reset_timestamps", "1", "-segment_format", "mp4", "chunk-%04d.mp4"));
        Ffmpeg.run(chunks, Ffmpeg.ENCODE_TIMEOUT, arguments);
        return Map.of("parts", listChunks(chunks));
    }

    static String cuts(double duration, int count) {
        List<String> times = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            times.add(format(duration * i / count));
        }
        return String.join(",", times);
    }

    private static double halfFrame(MediaFacts facts) {
        return facts.frameRate() > 0 ? 0.5 / facts.frameRate() : 0.02;
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.6f", seconds);
    }

    // A retry starts over: chunks of an earlier, killed attempt must not be taken for this one's.
    private static void recreate(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path p : old.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private static List<String> listChunks(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> parts = files.filter(p -> p.getFileName().toString().matches("chunk-\\d{4}\\.mp4"))
                    .sorted().map(MediaArgs::uri).toList();
            if (parts.isEmpty()) {
                throw new FunctionFailure(NAME + ": ffmpeg wrote no chunk into " + dir);
            }
            return parts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
