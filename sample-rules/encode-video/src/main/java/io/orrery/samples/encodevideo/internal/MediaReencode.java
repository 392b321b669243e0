package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.reencode}: re-encodes a finished output with a better codec; version 4 of encode-video calls it.
 * A stand-in: the new output's URI is {@code <uri>.<codec>}.
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
        String uri = MediaArgs.text(args, "uri", NAME);
        String codec = MediaArgs.text(args, "codec", NAME);
        return Map.of("uri", uri + "." + codec);
    }
}
