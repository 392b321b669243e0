package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.junit.Test;

/**
 * A fresh install, unpacked and launched with bin/orrery as an operator does, has no open door: the well-known
 * {@code karaf}/{@code karaf} login fails over a real SSH client, SSH listens on loopback only and serves no SFTP,
 * the installation's owner gets an administrator shell from {@code bin/client -b} without a password, and a
 * viewer may read with the orrery commands but not change anything, and nobody may tunnel through SSH to the
 * node's loopback services. One node serves every check.
 */
public class ShellAccessIT {

    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(30);

    @Test
    public void aFreshInstallHasNoWellKnownLoginAndGivesItsOwnerTheShell() throws Exception {
        File distribution = new File(System.getProperty("orrery.distribution"));
        Path dir = Files.createTempDirectory(new File("target").toPath().toAbsolutePath(), "shell-access");
        try (UnpackedNode node = UnpackedNode.unpack(distribution, dir.resolve("node"), OrreryContainer.freePort())) {
            node.set("etc/io.orrery.cluster.cfg", "clusterName", "orrery-shell-" + UUID.randomUUID())
                    .set("etc/io.orrery.cluster.cfg", "port", String.valueOf(OrreryContainer.freePort()))
                    .set("etc/io.orrery.kafka.cfg", "devBrokerPort", String.valueOf(OrreryContainer.freePort()));
            node.launch();
            Await.until(BOOT, node::health, r -> r.status == 200, "health 200");
            // Everything the first boot installs was resolvable against what started first: no startup bundle
            // (pax-logging above all, whose refresh could hang the first start) is stopped to be rewired.
            assertFalse("the first boot refreshed startup bundles", node.karafLog().contains("Stopping bundles:"));
            // The queues started with the node's store (the engine restores only after them), not before it came.
            assertTrue("the queues started without the store",
                    node.karafLog().contains("queue: persisted to the store"));

            try (SshClient client = SshClient.setUpDefaultClient()) {
                client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
                client.start();
                assertFalse("karaf/karaf must not log in", logsIn(client, node.sshPort(), "karaf", "karaf"));
                assertFalse("the owner's name with a guessed password must not log in",
                        logsIn(client, node.sshPort(), "owner", "owner"));
                sshListensOnLoopbackOnly(node.sshPort());

                String status = Await.until(BOOT, () -> ownerShell(node, "orrery:status"),
                        out -> out.contains("Orrery UP"), "orrery:status through bin/client -b with no user or password");
                assertTrue(status, status.contains("hazelcast"));
                Path users = node.home().resolve("etc/users.properties");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));

                sftpIsOff(client, node.sshPort(), ownerPassword(users));
                String viewerPassword = aViewerReadsButCannotChange(client, node, users);
                noTunnelThroughSsh(client, node, "viewer", viewerPassword);
                noTunnelThroughSsh(client, node, "owner", ownerPassword(users));
            }
        }
    }

    private static void sshListensOnLoopbackOnly(int port) throws IOException {
        List<InetAddress> listening = ListeningSockets.on(port);
        assertFalse("nothing listens on the SSH port " + port, listening.isEmpty());
        for (InetAddress address : listening) {
            assertTrue("SSH listens on " + address.getHostAddress(), address.isLoopbackAddress());
        }
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress address : nic.inetAddresses().filter(a -> !a.isLoopbackAddress()).toList()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2000);
                    fail("SSH answered on " + address.getHostAddress());
                } catch (IOException refused) {
                    // nothing answers there: as it should be
                }
            }
        }
    }

    private static void sftpIsOff(SshClient client, int port, String ownerPassword) throws IOException {
        try (ClientSession session = login(client, port, "owner", ownerPassword)) {
            var sftp = session.createSubsystemChannel("sftp");
            try {
                sftp.open().verify(SSH_TIMEOUT);
                var events = sftp.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SSH_TIMEOUT);
                assertTrue("the sftp subsystem was served: " + events, events.contains(ClientChannelEvent.CLOSED));
            } catch (IOException refused) {
                // the server refuses the subsystem: as it should be
            }
        }
    }

    /**
     * A viewer (added as the README says) lists tenants, but tenant-create is not even visible to them, nor is
     * Karaf's scr:disable, which would switch Orrery's components off.
     */
    private static String aViewerReadsButCannotChange(SshClient client, UnpackedNode node, Path users)
            throws Exception {
        String password = UUID.randomUUID().toString();
        Files.writeString(users, "viewer = " + password + ",_g_:viewergroup\n", StandardOpenOption.APPEND);

        String read = exec(client, node.sshPort(), "viewer", password, "orrery:tenant-list");
        String change = exec(client, node.sshPort(), "viewer", password, "orrery:tenant-create mallory");
        String disable = exec(client, node.sshPort(), "viewer", password,
                "scr:disable io.orrery.shell.internal.login.OwnerLogin");

        assertTrue(read, read.contains("Tenant") && read.contains("Tokens"));
        assertFalse(change, change.contains("created"));
        assertTrue(change, change.contains("Command not found") || change.contains("Insufficient credentials"));
        assertFalse("the viewer created a tenant", ownerShell(node, "orrery:tenant-list").contains("mallory"));
        assertTrue(disable, disable.contains("Command not found") || disable.contains("Insufficient credentials"));
        return password;
    }

    /**
     * SSH port forwarding would hand any shell user the node's loopback services (Hazelcast, the dev broker, the
     * API as 127.0.0.1): the server refuses to open a tunnel, whoever asks.
     */
    private static void noTunnelThroughSsh(SshClient client, UnpackedNode node, String user, String password)
            throws IOException {
        SshdSocketAddress target = new SshdSocketAddress("127.0.0.1", node.httpPort());
        try (ClientSession session = login(client, node.sshPort(), user, password);
             ChannelDirectTcpip tunnel = session.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                     target)) {
            try {
                tunnel.open().verify(SSH_TIMEOUT);
            } catch (IOException refused) {
                for (Throwable t = refused; t != null; t = t.getCause()) {
                    if (t instanceof SshChannelOpenException) {
                        return; // the server refused to open the channel
                    }
                }
                throw refused;
            }
            fail(user + " opened an SSH tunnel to " + target);
        }
    }

    private static String exec(SshClient client, int port, String user, String password, String command)
            throws IOException {
        try (ClientSession session = login(client, port, user, password);
             ChannelExec channel = session.createExecChannel(command + "\n")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(out);
            channel.open().verify(SSH_TIMEOUT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SSH_TIMEOUT);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean logsIn(SshClient client, int port, String user, String password) {
        try (ClientSession session = login(client, port, user, password)) {
            return session.isAuthenticated();
        } catch (IOException refused) {
            return false;
        }
    }

    private static ClientSession login(SshClient client, int port, String user, String password) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(SSH_TIMEOUT).getSession();
        try {
            session.addPasswordIdentity(password);
            session.auth().verify(SSH_TIMEOUT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** The password the first start wrote for the owner, read as Karaf's bin/client reads it. */
    private static String ownerPassword(Path users) throws IOException {
        for (String line : Files.readAllLines(users)) {
            if (line.startsWith("owner = ")) {
                return line.substring("owner = ".length(), line.indexOf(','));
            }
        }
        throw new AssertionError("no owner line in " + users);
    }

    private static String ownerShell(UnpackedNode node, String command) {
        try {
            return node.shell(command);
        } catch (Exception e) {
            return e.getMessage();
        }
    }
}
