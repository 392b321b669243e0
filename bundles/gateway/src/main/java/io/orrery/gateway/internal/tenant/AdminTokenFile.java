package io.orrery.gateway.internal.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Hands the first-start administrator token to the operator, the way Jenkins hands out its initial password: in
 * a file only the server's user can read, never in a log. The operator reads it, keeps it, and deletes the file.
 */
final class AdminTokenFile {

    private AdminTokenFile() {
    }

    /** {@code <karaf.data>/orrery/admin-token}, or the configured path. */
    static Path location(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        return Path.of(System.getProperty("karaf.data", "data"), "orrery", "admin-token");
    }

    static void write(Path file, String token) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, token + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("admin token file appeared while writing it: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the admin token to " + file, e);
        }
    }
}
