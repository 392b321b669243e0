package io.orrery.emirax;

import java.util.Objects;

/**
 * One Emirax source file.
 *
 * @param path as reported in compile errors, e.g. {@code src/main/emirax/encode-video.groovy}
 * @param text the source
 */
public record EmiraxSource(String path, String text) {

    public EmiraxSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }
}
