package io.orrery.functions.internal.host;

import io.orrery.api.function.FunctionOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts a tenant's function host: {@code java -Xmx<cap>} on the host's class path, inside the {@link Sandbox}
 * when it is on, under the {@link KernelLimits} on files where they work, and told its {@link HostLimits} on
 * threads and processes, which it keeps itself. The tenant's directory under the hosts' root holds its bundles
 * (read-only to the host), a scratch directory, emptied at every start, and an outputs directory kept across
 * starts, where functions write the files they answer by {@code file:} URI ({@link FunctionOutputs}); those two are
 * the only places the host can write. Inputs are read with the host's own view of the machine: the system
 * read-only, the server's {@code data/} and {@code etc/} and the other tenants' directories empty. The node never
 * copies or binds a file that a call names: doing so would read it with the server's rights, which is exactly what
 * the sandbox withholds.
 */
public final class HostLauncher implements AutoCloseable {

    static final String MAIN = "io.orrery.functions.host.FunctionHostMain";

    private final HostSettings settings;
    private final Sandbox sandbox;
    private final HostSpawner spawner = new HostSpawner();
    private final HostCensus census;

    public HostLauncher(HostSettings settings, Sandbox sandbox) {
        this.settings = settings;
        this.sandbox = sandbox;
        this.census = new HostCensus(settings.limits(), sandbox.on());
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public HostSettings settings() {
        return settings;
    }

    /** The tenant's own directory; its bundles go in {@code bundles/}. */
    public Path tenantDirectory(String tenant) {
        return settings.hostsRoot().resolve(tenant.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    public HostProcess launch(String tenant, List<Path> bundles) {
        return launch(tenant, bundles, 0);
    }

    /**
     * Starts one of the tenant's hosts: each running instance ({@code 0, 1, …}) has a scratch directory of its own,
     * emptied at its start, and shares the tenant's outputs.
     */
    public HostProcess launch(String tenant, List<Path> bundles, int instance) {
        Path scratch = tenantDirectory(tenant).resolve(instance == 0 ? "scratch" : "scratch-" + instance);
        try {
            deleteTree(scratch);
            Files.createDirectories(scratch.resolve("tmp"));
            Files.createDirectories(outputs(tenant));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the scratch directory " + scratch, e);
        }
        HostProcess host = HostProcess.start(tenant, command(tenant, scratch, bundles), spawner);
        census.watch(host);
        return host;
    }

    /** Where the tenant's functions write what outlives a call; kept across host starts. */
    public Path outputs(String tenant) {
        return tenantDirectory(tenant).resolve("outputs");
    }

    List<String> command(String tenant, Path scratch, List<Path> bundles) {
        Path home = settings.hostHome().toAbsolutePath();
        List<String> java = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + settings.heapMegabytes() + "m",
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + scratch.resolve("tmp"),
                "-D" + FunctionOutputs.PROPERTY + "=" + outputs(tenant).toAbsolutePath(),
                "-cp", home + "/*", MAIN,
                "--tenant", tenant, "--scratch", scratch.toString(),
                "--platform-bundles", home.resolve("bundles").toString(),
                "--max-threads", Integer.toString(settings.limits().threads()),
                "--max-processes", Integer.toString(settings.limits().processes()),
                "--sandboxed", Boolean.toString(sandbox.on())));
        bundles.forEach(b -> java.addAll(List.of("--bundle", b.toAbsolutePath().toString())));
        List<Path> hidden = new ArrayList<>(settings.hidden());
        hidden.add(settings.hostsRoot().toAbsolutePath());
        List<Path> readOnly = new ArrayList<>(List.of(home));
        bundles.stream().map(b -> b.toAbsolutePath().getParent()).distinct().forEach(readOnly::add);
        return sandbox.kernelLimits().wrap(settings.limits(), sandbox.wrap(java, hidden, readOnly,
                List.of(scratch.toAbsolutePath(), outputs(tenant).toAbsolutePath())));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Starts no more hosts; sandboxed ones still running end too (see {@link HostSpawner}), so stop them first. */
    @Override
    public void close() {
        census.close();
        spawner.close();
    }
}
