package io.orrery.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.UUID;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;

/**
 * How the integration tests boot the real assembled distribution under Pax Exam: free ports, a unique Hazelcast
 * cluster, Orrery's features in a boot stage of their own (so Pax Exam's probe starts only after them), no network
 * for Maven URLs, and the JVM options Karaf's own bin/karaf and bin/setenv add.
 */
final class OrreryContainer {

    static final String KARAF_VERSION = "4.4.10";

    private OrreryContainer() {
    }

    /** The boot features of the distribution, staged: Karaf's own first, then Orrery's. */
    static final String FEATURES_BOOT = "(instance,package,log,ssh,system,eventadmin,feature,shell,"
            + "management,service,jaas,deployer,diagnostic,bundle,config,kar,scr),(orrery)";

    static Option distribution(int httpPort, int hazelcastPort, String clusterName, String kafkaBootstrap) {
        File assembly = new File(System.getProperty("orrery.assembly"));
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        return composite(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(System.getProperty("orrery.distribution")).toURI().toString())
                        .name("Orrery").karafVersion(KARAF_VERSION)
                        .unpackDirectory(new File("target/exam")).useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot", FEATURES_BOOT),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/io.orrery.api.cfg", "port", String.valueOf(httpPort)),
                editConfigurationFilePut("etc/io.orrery.cluster.cfg", "port", String.valueOf(hazelcastPort)),
                editConfigurationFilePut("etc/io.orrery.cluster.cfg", "clusterName", clusterName),
                editConfigurationFilePut("etc/io.orrery.kafka.cfg", "bootstrapServers", kafkaBootstrap),
                systemProperty("orrery.assembly").value(assembly.getAbsolutePath()),
                systemProperty("hazelcast.wait.seconds.before.join").value("0"),
                vmOptions(karafJvmOptions()));
    }

    /**
     * Runs in the Pax Exam driver: starts the distribution's own dev broker on a free port (stopped when the driver
     * exits), then describes a container that uses it. The container learns its ports through the system
     * properties {@code orrery.it.httpPort}, {@code orrery.it.kafkaPort} and {@code orrery.it.kafkaData}.
     */
    static Option withDevBroker() throws IOException {
        DevBroker broker = new DevBroker(new File(System.getProperty("orrery.assembly")), freePort(),
                Files.createTempDirectory("orrery-it-kafka").toFile());
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        int httpPort = freePort();
        return composite(
                distribution(httpPort, freePort(), uniqueClusterName(), broker.bootstrap()),
                systemProperty("orrery.it.httpPort").value(String.valueOf(httpPort)),
                systemProperty("orrery.it.kafkaPort").value(String.valueOf(broker.port())),
                systemProperty("orrery.it.kafkaData").value(broker.data().getAbsolutePath()));
    }

    /**
     * Runs a shell command in the container as an administrator (a subject with the admin role, as Karaf's local
     * console has: the orrery scope's ACL hides its commands from a session without one) and answers what it printed.
     */
    static String execute(SessionFactory sessions, String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("itest"));
        admin.getPrincipals().add(new RolePrincipal("admin"));
        Session session = sessions.create(System.in, out, out);
        try {
            Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            throw e.getException();
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static String uniqueClusterName() {
        return "orrery-it-" + UUID.randomUUID();
    }

    static int freePort() {
        return FreePorts.next();
    }

    /** Pax Exam starts the JVM itself, so it needs what bin/karaf and Orrery's bin/setenv would have added. */
    private static String[] karafJvmOptions() {
        return new String[] {
            "-Xmx1g",
            "--add-reads=java.xml=java.logging",
            "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
            "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF_VERSION + ".jar",
            "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF_VERSION + ".jar",
            "--add-opens", "java.base/java.security=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
            "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
            "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
            "--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        };
    }
}
