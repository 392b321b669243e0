package io.orrery.gateway.internal.instance;

import io.orrery.gateway.internal.http.ApiProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key records in the store (table {@code gateway_idempotency}), shared by every node and by the REST
 * and Kafka paths. The first request with a key reserves it, runs, and records its answer; a repeat with the same
 * request gets that answer again, a repeat with a different request 422, a repeat while the first still runs
 * 409. A reservation is held under a lease ({@link #LEASE}) that the node renews while the request runs
 * ({@link #keep}), so a slow request is never taken over and run twice; one whose node died stops being renewed
 * and is taken over once its lease has lapsed.
 */
public final class IdempotencyRecords {

    /** How long a reservation stays held without renewal; renewed every third of it while its request runs. */
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyRecords.class);
    static final Duration LEASE = Duration.ofSeconds(30);
    /** One daemon thread renews the leases of every running request of this JVM; a task exists only while one runs. */
    private static final ScheduledExecutorService RENEWALS = renewalThread();
    /** Expired records are purged once every this many reservations, so the table stays as small as its TTL. */
    static final int PURGE_EVERY = 1000;

    /** The recorded answer; {@code instanceKey} is null while the first request still runs. */
    record Answer(String fingerprint, String instanceKey, String status, String traceId, long createdAt,
                  long leaseUntil) {
        boolean pending() {
            return instanceKey == null;
        }
    }

    private final DataSource dataSource;
    private final Duration ttl;
    private final Clock clock;
    private final Duration lease;
    private final Duration renewEvery;
    private final AtomicLong reservations = new AtomicLong();

    public IdempotencyRecords(DataSource dataSource, Duration ttl, Clock clock) {
        this(dataSource, ttl, clock, LEASE, LEASE.dividedBy(3));
    }

    /** @param renewEvery how often, in real time, a running request's lease is renewed */
    IdempotencyRecords(DataSource dataSource, Duration ttl, Clock clock, Duration lease, Duration renewEvery) {
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.clock = clock;
        this.lease = lease;
        this.renewEvery = renewEvery;
    }

    /** A running request's hold on its reservation: renewed until closed. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Keeps the reservation made by {@link #reserve} held while its request runs: the lease is renewed on the
     * cluster's clock until the returned hold is closed (after {@link #complete} or {@link #release}).
     */
    Lease keep(String tenant, String workflow, String idemKey) {
        ScheduledFuture<?> renewal = RENEWALS.scheduleWithFixedDelay(() -> renew(tenant, workflow, idemKey),
                renewEvery.toNanos(), renewEvery.toNanos(), TimeUnit.NANOSECONDS);
        return () -> renewal.cancel(false);
    }

    private void renew(String tenant, String workflow, String idemKey) {
        try {
            execute("UPDATE gateway_idempotency SET lease_until = ? WHERE tenant = ? AND workflow = ? AND idem_key = ? "
                    + "AND instance_key IS NULL", clock.millis() + lease.toMillis(), tenant, workflow, idemKey);
        } catch (RuntimeException e) {
            // The next renewal tries again; a lease lapses only after several failures in a row.
            LOG.warn("Could not renew the Idempotency-Key lease of {}/{}: {}", tenant, workflow, e.getMessage());
        }
    }

    /** When the reservation's lease lapses (epoch ms), or -1 when there is none pending. For tests. */
    long leaseUntil(String tenant, String workflow, String idemKey) {
        Answer answer = find(tenant, workflow, idemKey);
        return answer == null || !answer.pending() ? -1 : answer.leaseUntil();
    }

    /** Reserves the key for this request (empty), or returns the recorded answer of an identical earlier one. */
    Optional<CreatedInstance> reserve(String tenant, String workflow, String idemKey, String fingerprint) {
        if (reservations.incrementAndGet() % PURGE_EVERY == 0) {
            purgeExpired();
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            long now = clock.millis();
            if (insert(tenant, workflow, idemKey, fingerprint, now)) {
                return Optional.empty();
            }
            Answer answer = find(tenant, workflow, idemKey);
            if (answer == null) {
                continue;
            }
            if (answer.pending() && answer.leaseUntil() <= now) {
                // Its node stopped renewing: the request died with it. Taken over only if still lapsed.
                deleteLapsed(tenant, workflow, idemKey, now);
                continue;
            }
            if (!answer.pending() && answer.createdAt() < now - ttl.toMillis()) {
                delete(tenant, workflow, idemKey, answer.createdAt());
                continue;
            }
            if (!answer.fingerprint().equals(fingerprint)) {
                throw ApiProblem.unprocessable("Idempotency-Key",
                        "this Idempotency-Key was used with a different request; use a new key");
            }
            if (answer.pending()) {
                throw ApiProblem.conflict("Idempotency-Key", "a request with this Idempotency-Key is still "
                        + "being processed").withHeader("Retry-After", "1");
            }
            return Optional.of(new CreatedInstance(answer.instanceKey(), answer.status(), answer.traceId(), true));
        }
        throw ApiProblem.conflict("Idempotency-Key", "this Idempotency-Key is contended; retry")
                .withHeader("Retry-After", "1");
    }

    void complete(String tenant, String workflow, String idemKey, CreatedInstance created) {
        execute("UPDATE gateway_idempotency SET instance_key = ?, status = ?, trace_id = ? "
                + "WHERE tenant = ? AND workflow = ? AND idem_key = ?",
                created.key(), created.status(), created.traceId(), tenant, workflow, idemKey);
    }

    /** Forgets a reservation whose request failed, so that a corrected retry with the same key can run. */
    void release(String tenant, String workflow, String idemKey) {
        execute("DELETE FROM gateway_idempotency WHERE tenant = ? AND workflow = ? AND idem_key = ? "
                + "AND instance_key IS NULL", tenant, workflow, idemKey);
    }

    /** Deletes answers older than the time to live, and reservations whose lease lapsed that long ago. */
    public int purgeExpired() {
        long before = clock.millis() - ttl.toMillis();
        return execute("DELETE FROM gateway_idempotency WHERE created_at < ? AND (instance_key IS NOT NULL "
                + "OR lease_until IS NULL OR lease_until < ?)", before, before);
    }

    private boolean insert(String tenant, String workflow, String idemKey, String fingerprint, long now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO gateway_idempotency "
                     + "(tenant, workflow, idem_key, fingerprint, created_at, lease_until) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, tenant);
            s.setString(2, workflow);
            s.setString(3, idemKey);
            s.setString(4, fingerprint);
            s.setLong(5, now);
            s.setLong(6, now + lease.toMillis());
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw failure(e);
        }
    }

    private Answer find(String tenant, String workflow, String idemKey) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT fingerprint, instance_key, status, trace_id, created_at, "
                     + "COALESCE(lease_until, created_at + " + LEASE.toMillis() + ") FROM gateway_idempotency WHERE tenant = ? AND workflow = ? AND idem_key = ?")) {
            s.setString(1, tenant);
            s.setString(2, workflow);
            s.setString(3, idemKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Answer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6)) : null;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void delete(String tenant, String workflow, String idemKey, long createdAt) {
        execute("DELETE FROM gateway_idempotency WHERE tenant = ? AND workflow = ? AND idem_key = ? AND created_at = ?",
                tenant, workflow, idemKey, createdAt);
    }

    private void deleteLapsed(String tenant, String workflow, String idemKey, long now) {
        execute("DELETE FROM gateway_idempotency WHERE tenant = ? AND workflow = ? AND idem_key = ? "
                + "AND instance_key IS NULL AND COALESCE(lease_until, created_at + " + LEASE.toMillis() + ") <= ?",
                tenant, workflow, idemKey, now);
    }

    private static ScheduledExecutorService renewalThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "orrery-idempotency-leases");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private int execute(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("store: idempotency records unavailable: " + e.getMessage(), e);
    }
}
