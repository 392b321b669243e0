package io.orrery.gateway.internal.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.tenant.TenantQuota;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.tenant.StoredTenantDirectory;
import io.orrery.store.JdbcStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdempotencyRecordsTest {

    private JdbcStore store;
    private final MutableClock clock = new MutableClock();
    private IdempotencyRecords records;

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:idem-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("gateway", getClass().getClassLoader());
        StoredTenantDirectory.open(store.dataSource(), new TenantQuota(1, 1, 1, 1), Map.of()).create("acme");
        records = new IdempotencyRecords(store.dataSource(), Duration.ofHours(24), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theFirstRequestReservesARepeatReplaysItsAnswer() {
        assertThat(records.reserve("acme", "w", "k", "f1")).isEmpty();
        records.complete("acme", "w", "k", new CreatedInstance("video-1", "ACTIVE", "t1", false));

        assertThat(records.reserve("acme", "w", "k", "f1"))
                .contains(new CreatedInstance("video-1", "ACTIVE", "t1", true));
        assertThat(records.reserve("acme", "other", "k", "f1")).as("scoped per workflow").isEmpty();
    }

    @Test
    void aDifferentRequestIs422AndOneStillRunningIs409() {
        records.reserve("acme", "w", "k", "f1");

        assertThatThrownBy(() -> records.reserve("acme", "w", "k", "f1"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(409));
        records.complete("acme", "w", "k", new CreatedInstance("video-1", "ACTIVE", "t1", false));
        assertThatThrownBy(() -> records.reserve("acme", "w", "k", "f2"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(422));
    }

    @Test
    void anAbandonedReservationIsTakenOverAndAnExpiredAnswerForgotten() {
        records.reserve("acme", "w", "abandoned", "f1");
        records.reserve("acme", "w", "old", "f1");
        records.complete("acme", "w", "old", new CreatedInstance("video-1", "IDLE", "t1", false));

        clock.advance(IdempotencyRecords.LEASE.plusSeconds(1));
        assertThat(records.reserve("acme", "w", "abandoned", "f2")).isEmpty();
        clock.advance(Duration.ofHours(25));
        assertThat(records.purgeExpired()).isEqualTo(2);
        assertThat(records.reserve("acme", "w", "old", "f2")).isEmpty();
    }

    @Test
    void aSlowRequestKeepsItsReservationHoweverLongItRunsAndIsNeverRunTwice() {
        IdempotencyRecords renewing = new IdempotencyRecords(store.dataSource(), Duration.ofHours(24), clock,
                IdempotencyRecords.LEASE, Duration.ofMillis(20));
        assertThat(renewing.reserve("acme", "w", "slow", "f1")).isEmpty();
        try (IdempotencyRecords.Lease held = renewing.keep("acme", "w", "slow")) {
            // The request runs for ten minutes of the cluster's clock; its node keeps renewing meanwhile.
            for (int minute = 1; minute <= 10; minute++) {
                clock.advance(Duration.ofMinutes(1));
                long now = clock.millis();
                await().atMost(Duration.ofSeconds(10)).until(() -> renewing.leaseUntil("acme", "w", "slow") > now);
                assertThatThrownBy(() -> records.reserve("acme", "w", "slow", "f1")).as("minute " + minute)
                        .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(409));
            }
            renewing.complete("acme", "w", "slow", new CreatedInstance("video-9", "ACTIVE", "t9", false));
        }
        assertThat(records.reserve("acme", "w", "slow", "f1")).as("the first answer, replayed")
                .contains(new CreatedInstance("video-9", "ACTIVE", "t9", true));
    }

    @Test
    void aReservationWhoseNodeStoppedRenewingIsTakenOverOnceItsLeaseLapses() {
        IdempotencyRecords renewing = new IdempotencyRecords(store.dataSource(), Duration.ofHours(24), clock,
                IdempotencyRecords.LEASE, Duration.ofMillis(20));
        renewing.reserve("acme", "w", "dead", "f1");
        IdempotencyRecords.Lease held = renewing.keep("acme", "w", "dead");
        clock.advance(Duration.ofSeconds(20));
        long now = clock.millis();
        await().atMost(Duration.ofSeconds(10)).until(() -> renewing.leaseUntil("acme", "w", "dead") > now);
        held.close(); // the node dies: renewals stop

        clock.advance(IdempotencyRecords.LEASE.minusSeconds(1));
        assertThatThrownBy(() -> records.reserve("acme", "w", "dead", "f1")).as("the lease still runs")
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(409));
        clock.advance(Duration.ofSeconds(2));
        assertThat(records.reserve("acme", "w", "dead", "f1")).as("taken over").isEmpty();
    }

    @Test
    void aReleasedReservationCanBeMadeAgain() {
        records.reserve("acme", "w", "k", "f1");
        records.release("acme", "w", "k");
        assertThat(records.reserve("acme", "w", "k", "f2")).isEmpty();
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
