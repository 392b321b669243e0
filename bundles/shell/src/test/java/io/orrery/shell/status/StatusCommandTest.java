package io.orrery.shell.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    void printsOverallStatusThenOneLinePerComponent() {
        HealthReport report = new HealthReport(List.of(
                ComponentHealth.up("store", Map.of("product", "H2")),
                ComponentHealth.down("kafka", "unreachable at 127.0.0.1:9092"),
                ComponentHealth.up("hazelcast", Map.of("members", 3, "cluster", "orrery"))));

        String out = render(report);

        assertThat(out.lines().toList()).containsExactly(
                "Orrery DOWN (failing: kafka)",
                "  hazelcast  UP   cluster=orrery, members=3",
                "  kafka      DOWN error=unreachable at 127.0.0.1:9092",
                "  store      UP   product=H2");
    }

    private static String render(HealthReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusCommand.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
