package io.orrery.functions.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's command line: {@code --tenant acme --scratch <dir> --platform-bundles <dir> --bundle <jar>...
 * [--max-threads n] [--max-processes n] [--sandboxed true|false]}.
 *
 * @param tenant          whose functions this host serves (for its log lines)
 * @param scratch         the host's private writable directory: the framework's storage lives here
 * @param platformBundles the bundles every host runs (SCR and what it needs)
 * @param tenantBundles   the tenant's bundles, installed after the platform's
 * @param maxThreads      live threads past which the host ends; 0 counts none
 * @param maxProcesses    processes started (with theirs) past which the host ends; counted with a thread limit
 * @param sandboxed       whether the node started the host in bubblewrap's PID namespace, whose every process counts
 */
record HostOptions(String tenant, Path scratch, Path platformBundles, List<Path> tenantBundles, int maxThreads,
                   int maxProcesses, boolean sandboxed) {

    static HostOptions parse(String[] args) {
        String tenant = null;
        Path scratch = null;
        Path platform = null;
        List<Path> bundles = new ArrayList<>();
        int threads = 0;
        int processes = 0;
        boolean sandboxed = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--tenant" -> tenant = value;
                case "--scratch" -> scratch = Path.of(value);
                case "--platform-bundles" -> platform = Path.of(value);
                case "--bundle" -> bundles.add(Path.of(value));
                case "--max-threads" -> threads = Integer.parseInt(value);
                case "--max-processes" -> processes = Integer.parseInt(value);
                case "--sandboxed" -> sandboxed = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (tenant == null || scratch == null || platform == null) {
            throw new IllegalArgumentException("--tenant, --scratch and --platform-bundles are required");
        }
        return new HostOptions(tenant, scratch, platform, List.copyOf(bundles), threads, processes,
                sandboxed);
    }
}
