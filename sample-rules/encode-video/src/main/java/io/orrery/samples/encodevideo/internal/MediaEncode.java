package io.orrery.samples.encodevideo.internal;

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
 * {@code media.encode}: encodes one chunk ({@code uri}) with a named {@code recipe} into the job's
 * {@code encoded-<recipe>/} directory. Answers the encoded chunk's {@code uri} and when the encode ran
 * ({@code started}, {@code ended}: epoch milliseconds), so a workflow can show its chunks were encoded in parallel.
 */
@Component(service = OrreryFunction.class)
public final class MediaEncode implements OrreryFunction {

    static final String NAME = "media.encode";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        Path chunk = MediaArgs.file(args, "uri", NAME);
        Recipe recipe = Recipe.named(MediaArgs.text(args, "recipe", NAME), NAME);
        Path dir = MediaArgs.job(args, NAME).resolve("encoded-" + recipe.label());
        long started = System.currentTimeMillis();
        Path encoded = encode(chunk, recipe, dir, chunk.getFileName().toString());
        long ended = System.currentTimeMillis();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("uri", MediaArgs.uri(encoded));
        result.put("recipe", recipe.label());
        result.put("started", started);
        result.put("ended", ended);
        return result;
    }

    /**
     * Encodes {@code input} into {@code dir/name}, through a partial file moved into place at the end, so a killed
     * attempt never leaves a file that looks finished.
     */
    static Path encode(Path input, Recipe recipe, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(".partial-" + name);
            List<String> arguments = new ArrayList<>(List.of("-i", input.toString()));
            arguments.addAll(recipe.outputOptions());
            arguments.addAll(List.of("-movflags", "+faststart", "-f", "mp4", partial.getFileName().toString()));
            Ffmpeg.run(dir, Ffmpeg.ENCODE_TIMEOUT, arguments);
            return Files.move(partial, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir, e);
        }
    }
}
