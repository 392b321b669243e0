package io.orrery.camel.internal;

import io.orrery.api.kafka.KafkaConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.rest.RestBindingMode;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's one CamelContext. The REST DSL is served by camel-jetty on the configured port under
 * {@code /api/v1}; the {@code kafka} component is preconfigured with the node's brokers. Routes come from other
 * bundles as {@link org.apache.camel.RoutesBuilder} services (see {@link RouteContributions}).
 *
 * <p>A change to {@code io.orrery.api} or to the Kafka connection restarts the context: every contributed route is
 * added again from a fresh builder instance, so nothing needs a Karaf restart.
 */
@Component(immediate = true, configurationPid = "io.orrery.api", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CamelRuntime.Config.class)
public class CamelRuntime {

    @ObjectClassDefinition(name = "Orrery API", description = "HTTP listener of the REST API")
    public @interface Config {
        @AttributeDefinition(description = "HTTP port of the REST API")
        int port() default 8181;

        @AttributeDefinition(description = "Address the HTTP listener binds to")
        String host() default "0.0.0.0";

        @AttributeDefinition(description = "Path under which every REST endpoint is served")
        String contextPath() default "/api/v1";

        @AttributeDefinition(description = "Key store with the server's certificate and key; set, the API is served "
                + "over HTTPS only; empty serves plain HTTP")
        String keystore() default "";

        @AttributeDefinition(description = "Password of the key store and of its key", type = AttributeType.PASSWORD)
        String keystorePassword() default "";

        @AttributeDefinition(description = "Type of the key store: PKCS12 or JKS")
        String keystoreType() default "PKCS12";

        @AttributeDefinition(description = "Comma-separated addresses, CIDR blocks or ranges of the reverse proxies "
                + "whose Forwarded and X-Forwarded-* headers are believed; from anyone else they are dropped")
        String trustedProxies() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);

    @Reference
    private KafkaConnection kafka;
    private CamelContext camel;
    private RouteContributions contributions;
    private ServiceRegistration<CamelContext> registration;

    @Activate
    void activate(Config config, BundleContext bundleContext) throws Exception {
        camel = createContext(config, kafka, CamelRuntime.class.getClassLoader());
        camel.start();
        contributions = new RouteContributions(bundleContext, camel);
        contributions.open();
        registration = bundleContext.registerService(CamelContext.class, camel, null);
        LOG.info("Camel {} started: REST on {}://{}:{}{}, kafka at {}", camel.getVersion(),
                camel.getRestConfiguration().getScheme(), config.host(), config.port(), config.contextPath(),
                kafka.bootstrapServers());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        if (contributions != null) {
            contributions.close();
        }
        if (camel != null) {
            camel.stop();
        }
    }

    /** Builds the context without OSGi, so tests can run it on the class path. */
    static CamelContext createContext(Config config, KafkaConnection kafka, ClassLoader classLoader) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("orrery");
        context.setApplicationContextClassLoader(classLoader);
        context.setStreamCaching(true);
        context.getRestConfiguration().setComponent("jetty");
        context.getRestConfiguration().setScheme(config.keystore().isBlank() ? "http" : "https");
        context.getRestConfiguration().setHost(config.host());
        context.getRestConfiguration().setPort(config.port());
        context.getRestConfiguration().setContextPath(config.contextPath());
        context.getRestConfiguration().setBindingMode(RestBindingMode.off.name());
        context.getRestConfiguration().setApiContextPath("/openapi.json");
        context.getRestConfiguration().setApiProperties(java.util.Map.of(
                "api.title", "Orrery", "api.version", "1", "openapi.version", "3.1.0"));
        context.getRestConfiguration().setUseXForwardHeaders(true);
        context.getRegistry().bind("orrery-openapi", org.apache.camel.spi.RestApiProcessorFactory.class,
                new DeclaredAnswerTypes());
        KafkaComponent kafkaComponent = new KafkaComponent();
        kafkaComponent.getConfiguration().setBrokers(kafka.bootstrapServers());
        // Applied after Camel's own options, so TLS/SASL settings from io.orrery.kafka win.
        kafkaComponent.getConfiguration().setAdditionalProperties(new java.util.HashMap<>(kafka.clientProperties()));
        context.addComponent("kafka", kafkaComponent);
        context.addComponent("jetty", ApiListener.jetty(config));
        RequestHardening.apply(context, config.trustedProxies());
        return context;
    }
}
