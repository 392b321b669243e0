package io.orrery.emirax.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;

final class EncodeVideoTestSources {

    static final String SKETCH;

    static {
        try {
            SKETCH = "\n" + EncodeVideoTest.resource("emirax/encode-video.groovy")
                    .replaceFirst("(?m)^function\\('media.size'\\).*$", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EncodeVideoTestSources() {
    }
}
