package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.index}: writes the job's {@code index.json} for an assembled output ({@code uri}): its duration and,
 * per chunk ({@code parts}: the encoded chunks in order, each {@code uri} with its encode's {@code started} and
 * {@code ended}), the chunk's offset and duration in the output as ffprobe measures them, and when it was encoded.
 * Answers the index's {@code uri}, the output's {@code duration} and the number of {@code chunks}.
 */
@Component(service = OrreryFunction.class)
public final class MediaIndex implements OrreryFunction {

    static final String NAME = "media.index";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        Path output = MediaArgs.file(args, "uri", NAME);
        List<Map<String, Object>> parts = parts(args.get("parts"));
        Path job = MediaArgs.job(args, NAME);
        List<Map<String, Object>> chunks = new ArrayList<>();
        double offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            Map<String, Object> part = parts.get(i);
            Path chunk = MediaArgs.file(part, "uri", NAME);
            double duration = Ffmpeg.probe(chunk).duration();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", i);
            entry.put("uri", MediaArgs.uri(chunk));
            entry.put("offset", round(offset));
            entry.put("duration", round(duration));
            entry.put("encodeStarted", part.get("started") instanceof Number n ? n.longValue() : null);
            entry.put("encodeEnded", part.get("ended") instanceof Number n ? n.longValue() : null);
            chunks.add(entry);
            offset += duration;
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("output", MediaArgs.uri(output));
        if (args.get("source") instanceof String source) {
            index.put("source", source);
        }
        if (args.get("recipe") instanceof String recipe) {
            index.put("recipe", recipe);
        }
        double duration = Ffmpeg.probe(output).duration();
        index.put("duration", round(duration));
        index.put("chunks", chunks);
        Path file = write(job, JsonText.of(index));
        return Map.of("uri", MediaArgs.uri(file), "duration", round(duration), "chunks", chunks.size());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parts(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(e -> e instanceof Map<?, ?>)) {
            return (List<Map<String, Object>>) list;
        }
        throw new FunctionFailure(NAME + ": argument 'parts' must be a non-empty list of {uri, started, ended}");
    }

    private static Path write(Path job, String json) {
        try {
            Files.createDirectories(job);
            Path partial = job.resolve(".partial-index.json");
            Files.writeString(partial, json);
            return Files.move(partial, job.resolve("index.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the index into " + job, e);
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1_000_000d) / 1_000_000d;
    }
}
