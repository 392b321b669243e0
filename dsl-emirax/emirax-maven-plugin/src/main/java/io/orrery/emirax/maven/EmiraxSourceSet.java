package io.orrery.emirax.maven;

import io.orrery.emirax.EmiraxSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Emirax sources of a tenant project: every {@code .groovy} file under the source directory, in path order. */
final class EmiraxSourceSet {

    private EmiraxSourceSet() {
    }

    /**
     * @param basedir   the project's base directory; source paths are reported relative to it
     *                  ({@code src/main/emirax/encode-video.groovy}) so errors read the same on every machine
     * @param directory where the sources are; a missing directory is an empty set
     */
    static List<EmiraxSource> read(Path basedir, Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".groovy"))
                    .sorted().toList();
        }
        List<EmiraxSource> sources = new ArrayList<>(files.size());
        for (Path file : files) {
            sources.add(new EmiraxSource(display(basedir, file), Files.readString(file, StandardCharsets.UTF_8)));
        }
        return sources;
    }

    private static String display(Path basedir, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = basedir.toAbsolutePath().normalize();
        return (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/');
    }
}
