package io.orrery.store.internal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Flyway migrations from a known list of files, for when Flyway cannot scan for them itself (another bundle's
 * entries). Names match what class path scanning would report, so the schema history is the same either way.
 */
final class MigrationResources implements ResourceProvider {

    private final List<LoadableResource> resources;

    MigrationResources(String directory, Collection<URL> files) {
        this.resources = files.stream().map(url -> (LoadableResource) new UrlResource(directory, url)).sorted().toList();
    }

    @Override
    public LoadableResource getResource(String name) {
        return resources.stream().filter(r -> r.getRelativePath().equals(name)).findFirst().orElse(null);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return resources.stream()
                .filter(r -> r.getFilename().startsWith(prefix))
                .filter(r -> Arrays.stream(suffixes).anyMatch(r.getFilename()::endsWith))
                .toList();
    }

    private static final class UrlResource extends LoadableResource {

        private final URL url;
        private final String filename;
        private final String directory;

        UrlResource(String directory, URL url) {
            this.url = url;
            this.directory = directory;
            String path = url.getPath();
            this.filename = path.substring(path.lastIndexOf('/') + 1);
        }

        @Override
        public Reader read() {
            try {
                return new InputStreamReader(url.openStream(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read migration " + url, e);
            }
        }

        @Override
        public String getAbsolutePath() {
            return directory + "/" + filename;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return url.toString();
        }

        @Override
        public String getFilename() {
            return filename;
        }

        @Override
        public String getRelativePath() {
            return filename;
        }
    }
}
