package io.orrery.gateway.internal.instance;

import io.orrery.gateway.internal.http.ApiProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Idempotency-Key records in the store (table {@code gateway_idempotency}), shared by every node and by the REST
 * and Kafka paths. The first request with a key reserves it, runs, and records its answer; a repeat with the same
 * request gets that answer again, a repeat with a different request 422, a repeat while the first still runs
 * 409. A reservation whose request died with its node is taken over after {@link #ABANDONED}.
 */
public final class IdempotencyRecords {

    static final Duration ABANDONED = Duration.ofMinutes(1);
    /** Expired records are purged once every this many reservations, so the table stays as small as its TTL. */
    static final int PURGE_EVERY = 1000;

    /** The recorded answer; {@code instanceKey} is null while the first request still runs. */
    record Answer(String fingerprint, String instanceKey, String status, String traceId, long createdAt) {
        boolean pending() {
            return instanceKey == null;
        }
    }

    private final DataSource dataSource;
    private final Duration ttl;
    private final Clock clock;
    private final AtomicLong reservations = new AtomicLong();

    public IdempotencyRecords(DataSource dataSource, Duration ttl, Clock clock) {
        this.dataSource = dataSource;
        this.ttl = ttl;
        this.clock = clock;
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
            boolean expired = answer.createdAt() < now - ttl.toMillis()
                    || (answer.pending() && answer.createdAt() < now - ABANDONED.toMillis());
            if (expired) {
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

    /** Deletes records older than the time to live. */
    public int purgeExpired() {
        return execute("DELETE FROM gateway_idempotency WHERE created_at < ?", clock.millis() - ttl.toMillis());
    }

    private boolean insert(String tenant, String workflow, String idemKey, String fingerprint, long now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO gateway_idempotency "
                     + "(tenant, workflow, idem_key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, tenant);
            s.setString(2, workflow);
            s.setString(3, idemKey);
            s.setString(4, fingerprint);
            s.setLong(5, now);
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
             PreparedStatement s = c.prepareStatement("SELECT fingerprint, instance_key, status, trace_id, created_at "
                     + "FROM gateway_idempotency WHERE tenant = ? AND workflow = ? AND idem_key = ?")) {
            s.setString(1, tenant);
            s.setString(2, workflow);
            s.setString(3, idemKey);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Answer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5)) : null;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void delete(String tenant, String workflow, String idemKey, long createdAt) {
        execute("DELETE FROM gateway_idempotency WHERE tenant = ? AND workflow = ? AND idem_key = ? AND created_at = ?",
                tenant, workflow, idemKey, createdAt);
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
