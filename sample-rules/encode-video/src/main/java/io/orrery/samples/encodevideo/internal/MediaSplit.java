package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.split}: cuts a source into {@code count} chunks. A stand-in: it answers the chunks' URIs
 * ({@code <source>#part-<i>}) without touching any media.
 */
@Component(service = OrreryFunction.class)
public final class MediaSplit implements OrreryFunction {

    static final String NAME = "media.split";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        String uri = MediaArgs.text(args, "uri", NAME);
        int count = MediaArgs.count(args, "count", 1, 10_000, NAME);
        List<String> parts = IntStream.range(0, count).mapToObj(i -> uri + "#part-" + i).toList();
        return Map.of("parts", parts);
    }
}
