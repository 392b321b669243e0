package io.orrery.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: a token is needed; the administrator sees every series, a tenant only its own. */
class MetricsRoutesTest {

    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        gateway.meters.counter("orrery.engine.firings", "tenant", "acme", "workflow", "orders", "rule", "ship")
                .increment(3);
        gateway.meters.counter("orrery.engine.firings", "tenant", "beta", "workflow", "payroll", "rule", "salaries")
                .increment(5);
        // A tenant's own name for a queue that tries to pass its series off as acme's.
        gateway.meters.counter("orrery.queue.enqueued", "tenant", "beta", "queue", "q\",tenant=\"acme").increment();
        gateway.meters.counter("orrery.queue.enqueued", "tenant", "acme", "queue", "acme.functions").increment(2);
        gateway.meters.gauge("jvm.secret.gauge", 42);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void refusesACallerWithoutAToken() {
        HttpResponse<String> response = gateway.get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).doesNotContain("acme").doesNotContain("orrery_engine");
    }

    @Test
    void refusesABadToken() {
        assertThat(gateway.get("/metrics", "forged").statusCode()).isEqualTo(401);
    }

    @Test
    void showsTheAdministratorEverySeries() {
        HttpResponse<String> response = gateway.get("/metrics", gateway.admin.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body()).contains("workflow=\"orders\"").contains("workflow=\"payroll\"")
                .contains("jvm_secret_gauge");
    }

    @Test
    void showsATenantItsOwnSeriesAndNoOneElses() {
        HttpResponse<String> response = gateway.get("/metrics", gateway.acme.token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("orrery_engine_firings_total{rule=\"ship\",tenant=\"acme\",workflow=\"orders\"} 3.0")
                .contains("queue=\"acme.functions\"")
                .contains("# TYPE orrery_engine_firings_total counter")
                .doesNotContain("beta").doesNotContain("payroll").doesNotContain("salaries")
                .doesNotContain("jvm_secret_gauge").doesNotContain("q\\\"");
        for (String line : response.body().split("\n")) {
            if (!line.startsWith("#")) {
                assertThat(TenantSeries.label(line, "tenant")).as(line).isEqualTo("acme");
            }
        }
    }

    @Test
    void readsLabelValuesWithTheirEscapes() {
        String hostile = "orrery_queue_enqueued_total{queue=\"q\\\",tenant=\\\"acme\",tenant=\"beta\"} 1.0";

        assertThat(TenantSeries.label(hostile, "tenant")).isEqualTo("beta");
        assertThat(TenantSeries.label(hostile, "queue")).isEqualTo("q\",tenant=\"acme");
        assertThat(TenantSeries.of(hostile + "\n", "acme")).isEmpty();
    }
}
