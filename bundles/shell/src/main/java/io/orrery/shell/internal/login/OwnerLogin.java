package io.orrery.shell.internal.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installation owner's administrator login, made at first start instead of shipping a well-known one.
 *
 * <p>Karaf's {@code bin/client}, given no user, logs in as the first user of {@code etc/users.properties} with the
 * password written there. So the first start puts a user {@value #USER} with a random password at the head of that
 * file and makes the file readable by the server's user only: whoever can read {@code etc/} (the owner) gets an
 * administrator shell with {@code echo orrery:status | bin/client -b}, and the SSH port, on loopback, knows no password
 * anyone else could guess. An existing {@value #USER} line is never touched, so an operator may replace it.
 */
@Component(immediate = true)
public class OwnerLogin {

    static final String USER = "owner";
    static final String ADMIN_GROUP = "_g_\\:admingroup";

    private static final Logger LOG = LoggerFactory.getLogger(OwnerLogin.class);
    private static final Pattern OWNER_LINE = Pattern.compile("\\s*" + USER + "\\s*[=:].*");
    private static final Pattern ADMIN_GROUP_LINE = Pattern.compile("\\s*_g_\\\\:admingroup\\s*[=:].*");
    private static final int PASSWORD_BYTES = 24;

    private final SecureRandom random = new SecureRandom();

    @Activate
    void activate() throws IOException {
        Path users = Path.of(System.getProperty("karaf.etc", "etc"), "users.properties");
        if (ensure(users)) {
            LOG.info("Created the owner's administrator login in {} (readable by this user only); "
                    + "bin/client uses it without a password", users);
        }
    }

    /** Adds the owner's login to {@code users} unless it has one; answers whether it did. */
    boolean ensure(Path users) throws IOException {
        List<String> lines = Files.exists(users) ? Files.readAllLines(users, StandardCharsets.UTF_8) : List.of();
        if (lines.stream().anyMatch(line -> OWNER_LINE.matcher(line).matches())) {
            return false;
        }
        List<String> updated = new ArrayList<>(lines);
        int firstEntry = firstEntry(updated);
        if (updated.stream().noneMatch(line -> ADMIN_GROUP_LINE.matcher(line).matches())) {
            updated.add(firstEntry, ADMIN_GROUP + " = group,admin,manager,viewer,systembundles,ssh");
        }
        updated.add(firstEntry, USER + " = " + password() + "," + ADMIN_GROUP);
        writeOwnerOnly(users, updated);
        return true;
    }

    /** Before the first user or group: bin/client takes the first user of the file. */
    private static int firstEntry(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("!")) {
                return i;
            }
        }
        return lines.size();
    }

    /** URL-safe Base64: no ',' (Karaf's role separator), '=' or '\' to escape in a properties file. */
    private String password() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Written beside the file with owner-only permissions from creation on, then moved over it. */
    private static void writeOwnerOnly(Path users, List<String> lines) throws IOException {
        Path dir = users.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp;
        try {
            temp = Files.createTempFile(dir, "users", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, "users", ".tmp");
        }
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(temp, users, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, users, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
