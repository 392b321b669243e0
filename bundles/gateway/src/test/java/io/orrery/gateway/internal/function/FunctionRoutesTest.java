package io.orrery.gateway.internal.function;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.function.ErrorClass;
import io.orrery.gateway.internal.GatewayFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class FunctionRoutesTest {

    @Test
    void aTenantSeesItsOwnFunctionsAndThePlatformsWithPoolsAndFailuresByClassNeverAnotherTenants()
            throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            gateway.functions.add("acme", "media.encode", "acme", 12, ErrorClass.TIMEOUT, 2)
                    .add(null, "echo", "root", 3, null, 0)
                    .add("beta", "greet", "root", 5, ErrorClass.USER, 1);

            JsonNode items = json(gateway.get("/tenants/acme/functions", gateway.acme.token())).path("items");

            assertThat(items.findValuesAsText("name")).containsExactly("media.encode", "echo");
            JsonNode encode = items.get(0);
            assertThat(encode.path("platform").asBoolean()).isFalse();
            assertThat(encode.path("runsIn").asText()).isEqualTo("host");
            assertThat(encode.path("pool").asText()).isEqualTo("acme");
            assertThat(encode.path("invocations").asLong()).isEqualTo(12);
            assertThat(encode.path("failures").path("timeout").asLong()).isEqualTo(2);
            assertThat(encode.path("failures").path("transient").asLong()).isZero();
            assertThat(items.get(1).path("platform").asBoolean()).isTrue();
            assertThat(items.get(1).path("runsIn").asText()).isEqualTo("server");

            HttpResponse<String> foreign = gateway.get("/tenants/beta/functions", gateway.acme.token());
            assertThat(foreign.statusCode()).isEqualTo(404); // as for every route of another tenant
            assertThat(foreign.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(foreign.body()).doesNotContain("greet");
            assertThat(gateway.get("/tenants/acme/functions", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void withoutAFunctionCatalogTheAnswerIs503() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            gateway.services.removeFunctions(gateway.functions);
            HttpResponse<String> r = gateway.get("/tenants/acme/functions", gateway.acme.token());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).path("detail").asText()).contains("function catalog");
        }
    }
}
