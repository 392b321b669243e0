package io.orrery.functions.host;

import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.protocol.HostMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The functions this host serves: the tenant's Emirax {@code function} blocks, then its Java functions, the
 * {@link OrreryFunction} services its DS components publish in the host's framework. An Emirax function of a name
 * comes first, as it did in the server.
 */
final class FunctionCatalog implements AutoCloseable {

    private final Map<String, OrreryFunction> emirax = new LinkedHashMap<>();
    private final ServiceTracker<OrreryFunction, OrreryFunction> services;
    private volatile Known known = new Known(-2, Map.of());

    /** The Java functions by name, as of a tracking count of the services. */
    private record Known(int count, Map<String, OrreryFunction> byName) {
    }

    FunctionCatalog(BundleContext context, List<OrreryFunction> emiraxFunctions) {
        emiraxFunctions.forEach(f -> emirax.put(f.name(), f));
        services = new ServiceTracker<>(context, OrreryFunction.class, null);
        services.open();
    }

    Optional<OrreryFunction> find(String name) {
        OrreryFunction f = emirax.get(name);
        return f != null ? Optional.of(f) : Optional.ofNullable(javaByName().get(name));
    }

    // Looked up on every call: rebuilt only when the tracked services changed.
    private Map<String, OrreryFunction> javaByName() {
        Known known = this.known;
        int count = services.getTrackingCount();
        if (known.count() != count) {
            Map<String, OrreryFunction> byName = new LinkedHashMap<>();
            javaFunctions().forEach(s -> byName.putIfAbsent(s.name(), s));
            known = new Known(count, byName);
            this.known = known;
        }
        return known.byName();
    }

    /**
     * What each function declares beyond the defaults ({@code batchSize()}, {@code warmInstances()}), by name; a
     * declaration that throws counts as the default.
     */
    Map<String, Map<String, Integer>> declared() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (String name : names()) {
            find(name).ifPresent(f -> {
                Map<String, Integer> d = new LinkedHashMap<>();
                int batch = declared(f::batchSize, 1);
                int warm = declared(f::warmInstances, 0);
                if (batch != 1) {
                    d.put(HostMessage.BATCH_SIZE, batch);
                }
                if (warm != 0) {
                    d.put(HostMessage.WARM_INSTANCES, warm);
                }
                if (!d.isEmpty()) {
                    out.put(name, d);
                }
            });
        }
        return out;
    }

    private static int declared(java.util.function.IntSupplier declaration, int otherwise) {
        try {
            return declaration.getAsInt();
        } catch (RuntimeException e) {
            HostLog.warn("a function's declaration failed; taken as " + otherwise, e);
            return otherwise;
        }
    }

    List<String> names() {
        var names = new TreeSet<>(emirax.keySet());
        javaFunctions().forEach(f -> names.add(f.name()));
        return new ArrayList<>(names);
    }

    private List<OrreryFunction> javaFunctions() {
        return services.getTracked().values().stream().toList();
    }

    @Override
    public void close() {
        services.close();
    }
}
