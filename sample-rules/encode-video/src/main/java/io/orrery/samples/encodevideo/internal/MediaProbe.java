package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.OrreryFunction;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code media.probe}: what ffprobe reads of a video ({@code uri}: a local path or {@code file:} URI): its
 * {@code duration} in seconds, {@code codec}, {@code width}, {@code height} and {@code frameRate}. A file that is
 * missing or not a video fails the call with the reason.
 */
@Component(service = OrreryFunction.class)
public final class MediaProbe implements OrreryFunction {

    static final String NAME = "media.probe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        return Ffmpeg.probe(MediaArgs.file(args, "uri", NAME)).toMap();
    }
}
