package io.orrery.engine.internal.verify;

import io.orrery.api.tenant.BundleRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An uploaded jar, spooled to a temporary file (never held whole in memory) and read with
 * {@link java.util.zip.ZipFile}: the central directory, as the framework reads the bundle it installs. Deleted on
 * {@link #close()}.
 */
public final class SpooledJar implements BundleContent, AutoCloseable {

    static final String MANIFEST = "META-INF/MANIFEST.MF";
    private static final int MAX_MANIFEST_BYTES = 512 * 1024;

    private final Path file;
    private final ZipFile zip;
    private final Map<String, String> headers;

    private SpooledJar(Path file, ZipFile zip, Map<String, String> headers) {
        this.file = file;
        this.zip = zip;
        this.headers = headers;
    }

    /**
     * Copies the upload to a temporary file, at most {@code limits.maxCompressedBytes()} of it, and opens it.
     * Throws {@link BundleRejectedException} for an upload over the limit or that is not a jar with a manifest.
     */
    public static SpooledJar spool(InputStream upload, BundleLimits limits) {
        Path file = null;
        try {
            file = Files.createTempFile("orrery-upload-", ".jar");
            copyBounded(upload, file, limits.maxCompressedBytes());
            ZipFile zip = open(file);
            try {
                return new SpooledJar(file, zip, readHeaders(zip));
            } catch (RuntimeException e) {
                zip.close();
                throw e;
            }
        } catch (IOException e) {
            delete(file);
            throw new BundleRejectedException("bundle", "cannot read the upload: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    /** The spooled file, to install from. */
    public Path file() {
        return file;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public List<Entry> entries(int limit) {
        List<Entry> entries = new ArrayList<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements() && entries.size() <= limit) {
            ZipEntry e = all.nextElement();
            entries.add(new Entry(e.getName(), e.getCompressedSize(), e));
        }
        return entries;
    }

    @Override
    public InputStream open(Entry entry) throws IOException {
        return zip.getInputStream((ZipEntry) entry.handle());
    }

    @Override
    public String describe() {
        String bsn = headers.get("Bundle-SymbolicName");
        return bsn == null ? "the upload" : bsn.split(";")[0].trim() + " " + headers.getOrDefault("Bundle-Version", "");
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            // Only the file's deletion matters.
        }
        delete(file);
    }

    private static void copyBounded(InputStream in, Path file, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > limit) {
                    throw new BundleRejectedException("bundle", "the bundle is larger than " + limit
                            + " bytes (the limit on a bundle's compressed size)");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static ZipFile open(Path file) {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new BundleRejectedException("bundle", "not a jar: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BundleRejectedException("bundle", "not a readable jar: " + e.getMessage(), e);
        }
    }

    // The manifest named exactly as the framework looks it up; duplicates are refused by the entry rules.
    private static Map<String, String> readHeaders(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(MANIFEST);
        if (entry == null) {
            throw new BundleRejectedException("bundle", "not an OSGi bundle: the jar has no " + MANIFEST);
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new BundleRejectedException("bundle", MANIFEST + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        requireUniqueHeaderNames(bytes);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        new Manifest(new ByteArrayInputStream(bytes)).getMainAttributes()
                .forEach((k, v) -> headers.put(((Attributes.Name) k).toString(), String.valueOf(v)));
        return Collections.unmodifiableMap(headers);
    }

    // Two parsers may keep different copies of a repeated header; a bundle has no reason to repeat one.
    private static void requireUniqueHeaderNames(byte[] manifest) {
        var seen = new TreeMap<String, Boolean>(String.CASE_INSENSITIVE_ORDER);
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
            if (line.isEmpty()) {
                return;
            }
            int colon = line.indexOf(':');
            if (line.charAt(0) != ' ' && colon > 0 && seen.put(line.substring(0, colon).trim(), true) != null) {
                throw new BundleRejectedException(line.substring(0, colon).trim(), MANIFEST + " states the header "
                        + line.substring(0, colon).trim() + " more than once");
            }
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
