package io.orrery.engine.internal.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which catalog revision of each tenant bundle this node has applied. Kept in a file beside the framework's own
 * bundle cache, so a restarted node that still has its bundles installed does not deploy them all again; a node
 * whose cache was cleaned loses both together and installs everything anew.
 */
public final class AppliedRevisions {

    private static final Logger LOG = LoggerFactory.getLogger(AppliedRevisions.class);

    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    private final Path file;

    private AppliedRevisions(Path file) {
        this.file = file;
    }

    /** Revisions kept in memory only (tests). */
    public static AppliedRevisions inMemory() {
        return new AppliedRevisions(null);
    }

    public static AppliedRevisions in(Path file) {
        AppliedRevisions applied = new AppliedRevisions(file);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
                p.forEach((k, v) -> applied.revisions.put((String) k, Long.parseLong((String) v)));
            } catch (IOException | NumberFormatException e) {
                LOG.warn("{}: unreadable ({}); every catalog bundle will be applied again", file, e.toString());
                applied.revisions.clear();
            }
        }
        return applied;
    }

    public OptionalLong get(String key) {
        Long r = revisions.get(key);
        return r == null ? OptionalLong.empty() : OptionalLong.of(r);
    }

    public synchronized void put(String key, long revision) {
        revisions.put(key, revision);
        save();
    }

    private void save() {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        revisions.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "catalog revisions applied on this node");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("{}: cannot save the applied catalog revisions: {}", file, e.toString());
        }
    }
}
