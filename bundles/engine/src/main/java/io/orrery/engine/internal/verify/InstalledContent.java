package io.orrery.engine.internal.verify;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;

/**
 * A bundle the framework has installed, read through the framework itself: the headers it parsed and the entries
 * of the revision it will resolve. Nothing here resolves the bundle ({@link Bundle#getEntryPaths} and
 * {@link Bundle#getEntry} do not), and fragments are not part of it.
 */
public final class InstalledContent implements BundleContent {

    private final Bundle bundle;
    private final Map<String, String> headers;

    public InstalledContent(Bundle bundle) {
        this.bundle = bundle;
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Dictionary<String, String> raw = bundle.getHeaders("");
        for (Enumeration<String> keys = raw.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            h.put(k, raw.get(k));
        }
        this.headers = Collections.unmodifiableMap(h);
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public List<Entry> entries(int limit) {
        List<Entry> entries = new ArrayList<>();
        Deque<String> dirs = new ArrayDeque<>(List.of("/"));
        while (!dirs.isEmpty() && entries.size() <= limit) {
            Enumeration<String> paths = bundle.getEntryPaths(dirs.pop());
            while (paths != null && paths.hasMoreElements() && entries.size() <= limit) {
                String path = paths.nextElement();
                entries.add(new Entry(path, -1, path));
                if (path.endsWith("/")) {
                    dirs.push(path);
                }
            }
        }
        return entries;
    }

    @Override
    public InputStream open(Entry entry) throws IOException {
        URL url = bundle.getEntry((String) entry.handle());
        if (url == null) {
            throw new FileNotFoundException(entry.name());
        }
        return url.openStream();
    }

    @Override
    public String describe() {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }
}
