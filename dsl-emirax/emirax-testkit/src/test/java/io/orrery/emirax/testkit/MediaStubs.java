package io.orrery.emirax.testkit;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Stubbed media.* functions for the encode-video sketch. */
final class MediaStubs {

    private MediaStubs() {
    }

    static EmiraxTestKit stubbed(EmiraxTestKit kit) {
        return kit
                .stub("media.split", args -> Map.of("parts", IntStream.range(0, ((Number) args.get("count")).intValue())
                        .mapToObj(i -> args.get("uri") + "#" + i).toList()))
                .stub("media.encode", args -> Map.of("uri", args.get("uri") + "." + args.get("recipe")))
                .stub("media.assemble", args -> {
                    List<?> parts = (List<?>) args.get("parts");
                    return Map.of("uri", "assembled(" + parts.size() + "):" + parts.get(0));
                })
                .stub("media.reencode", args -> Map.of("uri", args.get("uri") + ".av1"));
    }
}
