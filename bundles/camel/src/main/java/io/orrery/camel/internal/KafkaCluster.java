package io.orrery.camel.internal;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.kafka.KafkaConnection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster of this node, from {@code etc/io.orrery.kafka.cfg}. With no bootstrap servers configured the
 * launcher ({@code bin/orrery}) runs the bundled dev broker on {@code devBrokerPort}, and this points there.
 * Its health is a live {@code describeCluster} through one long-lived admin client, so a broker that goes away
 * shows as DOWN and one that comes back shows as UP again without a restart. Keys prefixed {@code kafka.} are
 * client settings (TLS, SASL) for every client of the node ({@link KafkaClientProperties}).
 */
@Component(service = {KafkaConnection.class, HealthIndicator.class}, configurationPid = "io.orrery.kafka",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = KafkaCluster.Config.class)
public class KafkaCluster implements KafkaConnection, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

    @ObjectClassDefinition(name = "Orrery Kafka", description = "The Kafka cluster Orrery publishes to and consumes from")
    public @interface Config {
        @AttributeDefinition(description = "Comma-separated bootstrap servers; empty uses the bundled dev broker")
        String bootstrapServers() default "";

        @AttributeDefinition(description = "Port of the bundled dev broker on 127.0.0.1")
        int devBrokerPort() default 9092;

        @AttributeDefinition(description = "How long a health check waits for the cluster, in milliseconds")
        int healthTimeoutMs() default 2000;
    }

    private String bootstrap;
    private boolean dev;
    private int healthTimeoutMs;
    private Admin admin;
    private KafkaClientProperties client = KafkaClientProperties.from(Map.of());

    @Activate
    void activate(Config config, Map<String, Object> properties) {
        client = KafkaClientProperties.from(properties);
        activate(config);
    }

    void activate(Config config) {
        dev = config.bootstrapServers().isBlank();
        bootstrap = dev ? "127.0.0.1:" + config.devBrokerPort() : config.bootstrapServers().trim();
        healthTimeoutMs = config.healthTimeoutMs();
        admin = createAdmin(bootstrap, healthTimeoutMs, client.asMap());
        if (!client.asMap().isEmpty()) {
            LOG.info("Kafka clients configured with {}", client);
        }
    }

    @Deactivate
    void deactivate() {
        admin.close(java.time.Duration.ofSeconds(2));
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public boolean devBroker() {
        return dev;
    }

    @Override
    public Map<String, Object> clientProperties() {
        return client.asMap();
    }

    @Override
    public String component() {
        return "kafka";
    }

    @Override
    public ComponentHealth check() {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(healthTimeoutMs));
        try {
            Collection<Node> nodes = cluster.nodes().get(healthTimeoutMs + 500L, TimeUnit.MILLISECONDS);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("bootstrap", bootstrap);
            details.put("brokers", nodes.size());
            details.put("clusterId", cluster.clusterId().get(healthTimeoutMs, TimeUnit.MILLISECONDS));
            details.put("devBroker", dev);
            return ComponentHealth.up(component(), details);
        } catch (ExecutionException | TimeoutException e) {
            return ComponentHealth.down(component(), "unreachable at " + bootstrap + " ("
                    + (e.getCause() != null ? e.getCause().getClass().getSimpleName() : "timeout") + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ComponentHealth.down(component(), "interrupted");
        }
    }

    static Admin createAdmin(String bootstrap, int timeoutMs) {
        return createAdmin(bootstrap, timeoutMs, Map.of());
    }

    static Admin createAdmin(String bootstrap, int timeoutMs, Map<String, Object> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "orrery-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        // Kafka resolves its own classes through the thread context class loader; in OSGi that must be ours.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaCluster.class.getClassLoader());
        try {
            return Admin.create(props);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
