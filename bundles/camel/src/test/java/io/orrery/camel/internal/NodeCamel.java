package io.orrery.camel.internal;

import io.orrery.api.kafka.KafkaConnection;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

/**
 * A CamelContext configured exactly as the node's ({@link CamelRuntime#createContext}, same package on the test
 * class path). The tests of the bundles that add routes (the gateway's, viewing history's) run them here, from this
 * module's test jar.
 */
public final class NodeCamel {

    private NodeCamel() {
    }

    public static CamelContext create(int port, String kafkaBootstrap) {
        return create(port, kafkaBootstrap, Map.of());
    }

    /** @param settings {@code io.orrery.api} properties of the Camel runtime ({@code keystore}, {@code trustedProxies}...) */
    public static CamelContext create(int port, String kafkaBootstrap, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("port", port);
        all.put("host", "127.0.0.1");
        return CamelRuntime.createContext(config(all), new KafkaConnection() {
            @Override public String bootstrapServers() { return kafkaBootstrap; }
            @Override public boolean devBroker() { return false; }
        }, NodeCamel.class.getClassLoader());
    }

    /**
     * The node's Camel serving {@code routes} on {@code port}, started; stopped again when it could not start, so a
     * caller can try another port when this one was taken before Jetty bound it ({@code LoopbackMembers.onFreePort}).
     */
    public static CamelContext serving(int port, String kafkaBootstrap, Map<String, Object> settings,
                                       List<RoutesBuilder> routes) {
        CamelContext camel = create(port, kafkaBootstrap, settings);
        try {
            camel.start();
            for (RoutesBuilder route : routes) {
                camel.addRoutes(route);
            }
            return camel;
        } catch (Exception e) {
            camel.stop();
            throw e instanceof RuntimeException unchecked ? unchecked
                    : new IllegalStateException("Camel did not start on port " + port, e);
        }
    }

    /** The configuration as Declarative Services would build it: given properties, else each attribute's default. */
    private static CamelRuntime.Config config(Map<String, Object> settings) {
        return (CamelRuntime.Config) Proxy.newProxyInstance(NodeCamel.class.getClassLoader(),
                new Class<?>[] {CamelRuntime.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> CamelRuntime.Config.class;
                    case "toString" -> "Config" + settings;
                    case "hashCode" -> settings.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> settings.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
