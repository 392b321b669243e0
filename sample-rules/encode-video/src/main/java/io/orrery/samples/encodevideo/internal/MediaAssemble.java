package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.assemble}: joins encoded chunks into one output. A stand-in: the output's URI is the source's with
 * {@code .encoded-<n>-parts.mp4} appended.
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
        List<String> parts = MediaArgs.texts(args, "parts", NAME);
        return Map.of("uri", MediaArgs.source(parts.get(0)) + ".encoded-" + parts.size() + "-parts.mp4");
    }
}
