package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.tenant.TenantQuota;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate limiter and the bearer scheme behind the gate. */
class RequestPartsTest {

    @Test
    void theRateLimiterAllowsTheBurstThenRefillsAtTheRate() {
        AtomicLong now = new AtomicLong(1_000_000);
        TenantRateLimiter limiter = new TenantRateLimiter(io.orrery.gateway.internal.TestGrid.freshBuckets(
                new io.orrery.api.time.ClusterClock(now::get)));
        TenantQuota quota = new TenantQuota(1, 1, 2, 3);

        for (int i = 0; i < 3; i++) {
            limiter.acquire("acme", quota);
        }
        assertThatThrownBy(() -> limiter.acquire("acme", quota)).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.status()).isEqualTo(429);
            assertThat(p.headers()).containsEntry("Retry-After", "1");
        });
        limiter.acquire("beta", quota);
        now.addAndGet(500);
        limiter.acquire("acme", quota);
        assertThatThrownBy(() -> limiter.acquire("acme", quota)).isInstanceOf(ApiProblem.class);
    }

    @Test
    void bearerTokensNeedTheBearerScheme() {
        BearerAuthentication authentication = new BearerAuthentication(new io.orrery.api.tenant.TenantDirectory() {
            @Override public io.orrery.api.tenant.IssuedToken create(String name) { throw new UnsupportedOperationException(); }
            @Override public java.util.List<io.orrery.api.tenant.Tenant> list() { return java.util.List.of(); }
            @Override public java.util.Optional<io.orrery.api.tenant.Tenant> find(String name) { return java.util.Optional.empty(); }
            @Override public boolean delete(String name) { return false; }
            @Override public io.orrery.api.tenant.IssuedToken issueToken(String name, boolean revokeOthers) { throw new UnsupportedOperationException(); }
            @Override public io.orrery.api.tenant.IssuedToken issueAdminToken() { throw new UnsupportedOperationException(); }
            @Override public java.util.Optional<io.orrery.api.tenant.Principal> authenticate(String token) {
                return "good".equals(token) ? java.util.Optional.of(io.orrery.api.tenant.Principal.tenant("acme")) : java.util.Optional.empty();
            }
            @Override public TenantQuota quota(String name) { return new TenantQuota(1, 1, 1, 1); }
        });

        assertThat(authentication.authenticate("Bearer good").tenant()).isEqualTo("acme");
        assertThat(authentication.authenticate("bearer   good  ").tenant()).isEqualTo("acme");
        for (String bad : new String[] {null, "", "good", "Basic good", "Bearer bad", "Bearergood"}) {
            assertThatThrownBy(() -> authentication.authenticate(bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        }
    }
}
