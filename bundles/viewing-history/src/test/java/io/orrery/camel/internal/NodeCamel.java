package io.orrery.camel.internal;

import io.orrery.api.kafka.KafkaConnection;
import java.lang.annotation.Annotation;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

/**
 * A CamelContext configured exactly as the node's ({@link CamelRuntime#createContext}, same package on the test
 * class path). The viewing-history tests run their routes here.
 */
public final class NodeCamel {

    private NodeCamel() {
    }

    public static CamelContext create(int port, String kafkaBootstrap) {
        CamelContext camel = CamelRuntime.createContext(config(port), new KafkaConnection() {
            @Override public String bootstrapServers() { return kafkaBootstrap; }
            @Override public boolean devBroker() { return false; }
        }, NodeCamel.class.getClassLoader());
        return camel;
    }

    /**
     * The node's Camel serving {@code routes} on {@code port}, started; stopped again when it could not start, so a
     * caller can try another port when this one was taken before Jetty bound it ({@code LoopbackMembers.onFreePort}).
     */
    public static CamelContext serving(int port, String kafkaBootstrap, List<RoutesBuilder> routes) {
        CamelContext camel = create(port, kafkaBootstrap);
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

    private static CamelRuntime.Config config(int port) {
        return new CamelRuntime.Config() {
            @Override public int port() { return port; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public String contextPath() { return "/api/v1"; }
            @Override public String keystore() { return ""; }
            @Override public String keystorePassword() { return ""; }
            @Override public String keystoreType() { return "PKCS12"; }
            @Override public String trustedProxies() { return ""; }
            @Override public Class<? extends Annotation> annotationType() { return CamelRuntime.Config.class; }
        };
    }
}
