package io.orrery.camel.internal;

import io.orrery.api.kafka.KafkaConnection;
import java.lang.annotation.Annotation;
import org.apache.camel.CamelContext;

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
