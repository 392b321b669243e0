package io.orrery.samples.encodevideo;

import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.samples.encodevideo.internal.MediaAssemble;
import io.orrery.samples.encodevideo.internal.MediaEncode;
import io.orrery.samples.encodevideo.internal.MediaReencode;
import io.orrery.samples.encodevideo.internal.MediaSplit;
import java.util.List;

/** Answers the workflow's calls with this bundle's own Java functions, as the server's workers would. */
public final class JavaFunctions {

    private JavaFunctions() {
    }

    public static EmiraxTestKit wired(EmiraxTestKit kit) {
        for (OrreryFunction f : List.of(new MediaSplit(), new MediaEncode(), new MediaAssemble(), new MediaReencode())) {
            kit.stub(f.name(), args -> {
                try {
                    return f.apply(args);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return kit;
    }
}
