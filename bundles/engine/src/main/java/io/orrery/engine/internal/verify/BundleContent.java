package io.orrery.engine.internal.verify;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A tenant bundle's content as the framework reads it: its main manifest headers and its entries, in the order the
 * archive lists them, duplicates included. Either an uploaded jar spooled to disk ({@link SpooledJar}) or a bundle
 * the framework has installed ({@link InstalledContent}).
 */
public interface BundleContent {

    /** The main manifest headers, names case-insensitive. */
    Map<String, String> headers();

    /** Every entry, duplicates included, at most {@code limit + 1} of them. */
    List<Entry> entries(int limit) throws IOException;

    /** The entry's bytes, inflated. */
    InputStream open(Entry entry) throws IOException;

    /** Where the content came from, for messages. */
    String describe();

    /**
     * One entry of the archive.
     *
     * @param compressedSize as the archive states it; -1 when the framework does not tell
     */
    record Entry(String name, long compressedSize, Object handle) {
    }
}
