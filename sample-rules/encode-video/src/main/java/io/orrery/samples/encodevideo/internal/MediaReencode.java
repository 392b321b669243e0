package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.reencode}: re-encodes a finished output ({@code uri}) with a better {@code codec} (a recipe's name,
 * e.g. {@code av1}) into the job's directory, whole; version 4 of encode-video calls it. Answers the new
 * {@code uri}.
 */
@Component(service = OrreryFunction.class)
public final class MediaReencode implements OrreryFunction {

    static final String NAME = "media.reencode";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        Path input = MediaArgs.file(args, "uri", NAME);
        Recipe recipe = Recipe.named(MediaArgs.text(args, "codec", NAME), NAME);
        Path encoded = MediaEncode.encode(input, recipe, MediaArgs.job(args, NAME), "output-" + recipe.label()
                + ".mp4");
        return Map.of("uri", MediaArgs.uri(encoded));
    }
}
