package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.gateway.internal.TestGrid;
import io.orrery.gateway.internal.tenant.StoredTenantDirectory;
import io.orrery.store.JdbcStore;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications per presented token prefix (the only key a Kafka record gives) and per client address:
 * after the burst of failures, attempts are refused with 429 and Retry-After; a throttled prefix's before the token
 * is looked up, a throttled address's unless the token is valid (many clients share an address).
 */
class FailedAuthenticationThrottleTest {

    private static final BearerAuthentication.FailureLimit LIMIT = new BearerAuthentication.FailureLimit(0.001, 3);

    private JdbcStore store;
    private StoredTenantDirectory directory;
    private BearerAuthentication authentication;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:throttle-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("gateway", getClass().getClassLoader());
        directory = StoredTenantDirectory.open(store.dataSource(), new TenantQuota(1, 1, 1, 1), Map.of());
        authentication = new BearerAuthentication(directory, TestGrid.freshBuckets(Clock.systemUTC()), LIMIT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void guessesAtOneTokenAreThrottledWithoutAnAddress() {
        IssuedToken acme = directory.create("acme");
        String guessed = acme.token().substring(0, 20);
        for (int i = 0; i < 3; i++) {
            String guess = guessed + "x".repeat(27) + i;
            assertThatThrownBy(() -> authentication.authenticate("Bearer " + guess, null))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        }
        assertThatThrownBy(() -> authentication.authenticate("Bearer " + guessed + "y".repeat(27), null))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(429);
                    assertThat(p.headers()).containsKey("Retry-After");
                });
        IssuedToken other = directory.issueToken("acme", false);
        assertThat(authentication.authenticate("Bearer " + other.token(), null).tenant())
                .as("another token's prefix is not throttled").isEqualTo("acme");
    }

    @Test
    void failuresFromOneAddressThrottleThatAddressOnly() {
        IssuedToken acme = directory.create("acme");
        for (int i = 0; i < 3; i++) {
            String header = i == 0 ? null : i == 1 ? "Basic YTpi" : "Bearer orr_nope" + i + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
            assertThatThrownBy(() -> authentication.authenticate(header, "203.0.113.7"))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        }
        assertThatThrownBy(() -> authentication.authenticate("Bearer orr_nopexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "203.0.113.7")).isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(429));
        assertThatThrownBy(() -> authentication.authenticate("Bearer orr_nopexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "198.51.100.1")).isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThat(authentication.authenticate("Bearer " + acme.token(), "198.51.100.1").tenant()).isEqualTo("acme");
    }

    /** One address for many clients: a shared NAT, or a load balancer not configured as a trusted proxy. */
    @Test
    void aValidTokenIsAcceptedFromAnAddressThrottledForOthersFailures() {
        IssuedToken acme = directory.create("acme");
        String shared = "203.0.113.9";
        for (int i = 0; i < 10; i++) {
            String guess = "Bearer orr_guess" + i + "x".repeat(32);
            int expected = i < LIMIT.burst() ? 401 : 429;
            assertThatThrownBy(() -> authentication.authenticate(guess, shared))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(expected));
        }

        assertThat(authentication.authenticate("Bearer " + acme.token(), shared).tenant()).isEqualTo("acme");
        assertThat(authentication.authenticate("Bearer " + acme.token(), shared).tenant()).isEqualTo("acme");
        for (String refused : new String[] {"Bearer orr_guess-after" + "x".repeat(30), null, "Basic YTpi"}) {
            assertThatThrownBy(() -> authentication.authenticate(refused, shared))
                    .as("still throttled for anything but a valid token: %s", refused)
                    .isInstanceOfSatisfying(ApiProblem.class, p -> {
                        assertThat(p.status()).isEqualTo(429);
                        assertThat(p.headers()).containsKey("Retry-After");
                    });
        }
    }
}
