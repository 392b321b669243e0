package io.orrery.engine.internal.extender;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/** Starts a bundle as Felix File Install starts a jar dropped in {@code deploy/}. */
final class DroppedBundles {

    private DroppedBundles() {
    }

    /**
     * A start racing the extender's own resolve of the new bundle can be refused by Felix ("Unable to acquire global
     * lock for resolve": its deadlock breaker interrupts one side); File Install starts it again on its next scan, and
     * so does this.
     */
    static void start(Bundle bundle) {
        await().atMost(Duration.ofSeconds(30)).ignoreException(BundleException.class).until(() -> {
            bundle.start();
            return true;
        });
    }
}
