package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** {@code media.encode}: encodes one chunk with a recipe. A stand-in: the encoded chunk's URI is {@code <chunk>.<recipe>}. */
@Component(service = OrreryFunction.class)
public final class MediaEncode implements OrreryFunction {

    static final String NAME = "media.encode";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        String uri = MediaArgs.text(args, "uri", NAME);
        String recipe = MediaArgs.text(args, "recipe", NAME);
        return Map.of("uri", uri + "." + recipe);
    }
}
