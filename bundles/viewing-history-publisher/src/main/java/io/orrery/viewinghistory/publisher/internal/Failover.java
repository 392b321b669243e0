package io.orrery.viewinghistory.publisher.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which cluster events go to: the primary until a send to it fails, then (if there is one) the backup, while a
 * probe asks the primary every {@code probeInterval} whether it is back; the first answer switches back.
 */
public final class Failover implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

    private final ClusterLink primary;
    private final ClusterLink backup;
    private final ScheduledExecutorService prober;
    private volatile boolean onBackup;

    public Failover(ClusterLink primary, ClusterLink backup, Duration probeInterval) {
        this.primary = primary;
        this.backup = backup;
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orrery-vh-publisher-probe");
            t.setDaemon(true);
            return t;
        });
        if (backup != null) {
            long every = probeInterval.toMillis();
            prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The cluster for an event now. */
    public ClusterLink linkFor(boolean critical) {
        return onBackup && backup != null ? backup : primary;
    }

    public boolean onBackup() {
        return onBackup;
    }

    public boolean isBackup(ClusterLink link) {
        return link == backup && backup != null;
    }

    /** A send to {@code link} failed: when it was the primary, move to the backup. */
    public void failed(ClusterLink link, Exception failure) {
        if (link == primary && backup != null && !onBackup) {
            onBackup = true;
            LOG.warn("Primary Kafka cluster unreachable ({}); publishing to the backup cluster", failure.toString());
        }
    }

    private void probe() {
        if (onBackup && primary.reachable()) {
            onBackup = false;
            LOG.info("Primary Kafka cluster answers again; publishing to it");
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        try {
            primary.close();
        } finally {
            if (backup != null) {
                backup.close();
            }
        }
    }
}
