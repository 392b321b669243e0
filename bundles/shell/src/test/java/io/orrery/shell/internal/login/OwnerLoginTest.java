package io.orrery.shell.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerLoginTest {

    /** The distribution's users.properties: comments and groups, no user. */
    private static final String SHIPPED = """
            # Users of the Karaf shell
            _g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
            _g_\\:viewergroup = group,viewer,ssh
            """;

    @TempDir
    Path etc;

    @Test
    void firstStartPutsTheOwnerFirstWithALongRandomPasswordInTheAdminGroup() throws Exception {
        Path users = write(SHIPPED);

        assertThat(new OwnerLogin().ensure(users)).isTrue();

        List<String> lines = Files.readAllLines(users);
        assertThat(lines.get(0)).isEqualTo("# Users of the Karaf shell");
        assertThat(lines.get(1)).startsWith("owner = ").endsWith(",_g_\\:admingroup");
        assertThat(lines.subList(2, lines.size())).containsExactly(
                "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh", "_g_\\:viewergroup = group,viewer,ssh");
        String password = password(users);
        assertThat(password).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+").isNotEqualTo("karaf");
    }

    @Test
    void theFileIsReadableByTheServersUserOnly() throws Exception {
        Path users = write(SHIPPED);
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));

        new OwnerLogin().ensure(users);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        try (var leftovers = Files.list(etc)) {
            assertThat(leftovers).containsExactly(users);
        }
    }

    @Test
    void laterStartsKeepThePassword() throws Exception {
        Path users = write(SHIPPED);
        new OwnerLogin().ensure(users);
        String first = Files.readString(users);

        assertThat(new OwnerLogin().ensure(users)).isFalse();

        assertThat(Files.readString(users)).isEqualTo(first);
    }

    @Test
    void twoInstallationsGetDifferentPasswords(@TempDir Path other) throws Exception {
        Path a = write(SHIPPED);
        Path b = Files.writeString(other.resolve("users.properties"), SHIPPED);

        new OwnerLogin().ensure(a);
        new OwnerLogin().ensure(b);

        assertThat(password(a)).isNotEqualTo(password(b));
    }

    @Test
    void anOperatorsOwnLineIsNeverReplaced() throws Exception {
        Path users = write("owner = chosen-by-the-operator,_g_:viewergroup\n" + SHIPPED);

        assertThat(new OwnerLogin().ensure(users)).isFalse();

        assertThat(password(users)).isEqualTo("chosen-by-the-operator");
    }

    @Test
    void anOperatorsUsersStayAndComeAfterTheOwnerSoBinClientPicksTheOwner() throws Exception {
        Path users = write("# mine\nalice = secret,_g_:viewergroup\n" + SHIPPED);

        new OwnerLogin().ensure(users);

        List<String> lines = Files.readAllLines(users);
        assertThat(lines.get(1)).startsWith("owner = ");
        assertThat(lines).contains("alice = secret,_g_:viewergroup");
    }

    @Test
    void aMissingFileOrAdminGroupIsCreated() throws Exception {
        Path users = etc.resolve("users.properties");

        new OwnerLogin().ensure(users);

        Properties read = load(users);
        assertThat(read.getProperty("_g_:admingroup")).isEqualTo("group,admin,manager,viewer,systembundles,ssh");
        assertThat(read.getProperty("owner")).endsWith(",_g_:admingroup");
    }

    private Path write(String text) throws Exception {
        return Files.writeString(etc.resolve("users.properties"), text, StandardCharsets.UTF_8);
    }

    /** As Karaf reads it: the text before the first ','. */
    private static String password(Path users) throws Exception {
        String entry = load(users).getProperty("owner");
        return entry.substring(0, entry.indexOf(','));
    }

    private static Properties load(Path users) throws Exception {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(users)) {
            properties.load(in);
        }
        return properties;
    }
}
