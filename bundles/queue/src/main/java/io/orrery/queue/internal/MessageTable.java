package io.orrery.queue.internal;

import io.orrery.api.fault.CrashPoints;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.trace.TraceContext;
import io.orrery.queue.grid.JournalBatch;
import io.orrery.queue.grid.Slot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The queue's tables in the store ({@code db/queue/V1__queue_messages.sql}): one row per message, written behind
 * from the shards' journals, and one per queue. Writes are guarded by the shard version of the change, so a late
 * write from a previous owner of a shard (during a migration) never overwrites a newer row.
 */
final class MessageTable {

    private static final String COLUMNS = "tenant, queue_name, id, shard, state, priority, deadline_us, "
            + "not_before_us, exclusive_key, attempts, max_attempts, traceparent, payload, enqueued_us, "
            + "order_stamp_us, available_us, last_error, state_since_us, version";
    private static final String UPDATE = "UPDATE queue_messages SET shard = ?, state = ?, priority = ?, "
            + "deadline_us = ?, not_before_us = ?, exclusive_key = ?, attempts = ?, max_attempts = ?, traceparent = ?, "
            + "payload = ?, enqueued_us = ?, order_stamp_us = ?, available_us = ?, last_error = ?, "
            + "state_since_us = ?, version = ? WHERE tenant = ? AND queue_name = ? AND id = ? AND version < ?";
    /**
     * A finished message's row becomes a bare tombstone: only what a restart reads back of a finished message (its
     * state, since when, the version) changes, and the payload goes. A narrower statement than {@link #UPDATE}: it
     * is the commonest write of a busy queue (every message taken by a flush before it finished ends this way).
     */
    private static final String FINISH = "UPDATE queue_messages SET state = ?, state_since_us = ?, version = ?, "
            + "payload = NULL, last_error = NULL WHERE tenant = ? AND queue_name = ? AND id = ? AND version < ?";
    private static final String INSERT = "INSERT INTO queue_messages (" + COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM queue_messages WHERE tenant = ? "
            + "AND queue_name = ? AND id = ?)";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int INSERT_ROWS = 50;
    private static final int INSERT_FEW = 10;
    private static final String DELETE = "DELETE FROM queue_messages WHERE tenant = ? AND queue_name = ? AND id = ? "
            + "AND version <= ?";
    private static final String PURGE = "DELETE FROM queue_messages WHERE tenant = ? AND queue_name = ? AND shard = ? "
            + "AND state NOT IN ('COMPLETED', 'CANCELLED') AND version <= ?";

    private final DataSource ds;

    MessageTable(DataSource ds) {
        this.ds = ds;
    }

    /** One shard's journal batch, as the writer hands it over. */
    record ShardBatch(QueueId queue, int shard, JournalBatch batch) {
    }

    /**
     * Writes the batches of several shards in one transaction (one commit per flush round, whatever the number of
     * shards). A unique-key clash (two members writing one shard during a migration) is retried once: by then the
     * row exists and the version-guarded update decides.
     */
    void write(List<ShardBatch> batches) throws SQLException {
        try {
            writeOnce(batches, false);
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // a row that was thought new exists (two writers of one shard in a migration, a re-enqueued id):
            // write again treating every row as possibly existing
            writeOnce(batches, true);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void writeOnce(List<ShardBatch> batches, boolean careful) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (ShardBatch b : batches) {
                    write(c, b.queue(), b.shard(), b.batch(), careful);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void write(Connection c, QueueId queue, int shard, JournalBatch batch, boolean careful)
            throws SQLException {
        if (batch.purgedThrough() >= 0) {
            try (PreparedStatement ps = c.prepareStatement(PURGE)) {
                ps.setString(1, queue.tenant());
                ps.setString(2, queue.name());
                ps.setInt(3, shard);
                ps.setLong(4, batch.purgedThrough());
                ps.executeUpdate();
            }
        }
        List<Slot> fresh = new ArrayList<>();
        List<Slot> known = new ArrayList<>();
        List<Slot> gone = new ArrayList<>();
        for (Slot s : batch.entries()) {
            (s.state() == null ? gone : s.stored() || careful ? known : fresh).add(s);
        }
        delete(c, queue, gone);
        insert(c, queue, shard, fresh);
        upsert(c, queue, shard, known);
    }

    private static void delete(Connection c, QueueId q, List<Slot> gone) throws SQLException {
        if (gone.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            for (Slot s : gone) {
                ps.setString(1, q.tenant());
                ps.setString(2, q.name());
                ps.setString(3, s.id());
                ps.setLong(4, s.version());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Rows the store has never seen: multi-row inserts, the cheapest write on both H2 and PostgreSQL. Chunks of
     * {@value #INSERT_ROWS} rows, then of {@value #INSERT_FEW}, the rest one row at a time in a JDBC batch: three
     * statement shapes whatever the count, each parsed once per connection rather than a new one per remainder.
     */
    private static void insert(Connection c, QueueId q, int shard, List<Slot> rows) throws SQLException {
        int from = 0;
        for (int shape : new int[] {INSERT_ROWS, INSERT_FEW}) {
            if (rows.size() - from >= shape) {
                try (PreparedStatement ps = c.prepareStatement(insertOf(shape))) {
                    for (; rows.size() - from >= shape; from += shape) {
                        bindRows(ps, q, shard, rows.subList(from, from + shape));
                        ps.executeUpdate();
                    }
                }
            }
        }
        if (from < rows.size()) {
            try (PreparedStatement ps = c.prepareStatement(insertOf(1))) {
                for (Slot s : rows.subList(from, rows.size())) {
                    bindRows(ps, q, shard, List.of(s));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static String insertOf(int rowCount) {
        StringBuilder sql = new StringBuilder("INSERT INTO queue_messages (" + COLUMNS + ") VALUES ");
        for (int k = 0; k < rowCount; k++) {
            sql.append(k == 0 ? "" : ", ").append(ROW);
        }
        return sql.toString();
    }

    private static void bindRows(PreparedStatement ps, QueueId q, int shard, List<Slot> chunk) throws SQLException {
        int i = 1;
        for (Slot s : chunk) {
            ps.setString(i++, q.tenant());
            ps.setString(i++, q.name());
            ps.setString(i++, s.id());
            i = bindValues(ps, i, shard, s);
        }
    }

    /**
     * Rows that may exist: a version-guarded update (the narrow one for a finished message), then an insert where
     * there was none. A row another writer inserts and commits between the two is neither updated (there was no row)
     * nor inserted (there is one now): it is updated again, so that a newer version never stays behind it.
     */
    private static void upsert(Connection c, QueueId q, int shard, List<Slot> rows) throws SQLException {
        List<Slot> missing = updateOlder(c, q, shard, rows);
        if (missing.isEmpty()) {
            return;
        }
        CrashPoints.reach(QueueCrashPoints.UPDATED_BEFORE_INSERT);
        List<Slot> storedMeanwhile = insertMissing(c, q, shard, missing);
        if (!storedMeanwhile.isEmpty()) {
            updateOlder(c, q, shard, storedMeanwhile);
        }
    }

    /** Updates the rows, finished ones as tombstones; those that updated nothing. */
    private static List<Slot> updateOlder(Connection c, QueueId q, int shard, List<Slot> rows) throws SQLException {
        List<Slot> finished = new ArrayList<>();
        List<Slot> live = new ArrayList<>();
        for (Slot s : rows) {
            (s.state().isFinal() ? finished : live).add(s);
        }
        List<Slot> missing = new ArrayList<>();
        update(c, q, shard, live, false, missing);
        update(c, q, shard, finished, true, missing);
        return missing;
    }

    /** Inserts the rows where none is stored; those not inserted (stored by now). */
    private static List<Slot> insertMissing(Connection c, QueueId q, int shard, List<Slot> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Slot s : rows) {
                ps.setString(1, q.tenant());
                ps.setString(2, q.name());
                ps.setString(3, s.id());
                int i = bindValues(ps, 4, shard, s);
                ps.setString(i++, q.tenant());
                ps.setString(i++, q.name());
                ps.setString(i, s.id());
                ps.addBatch();
            }
            return unchanged(rows, ps.executeBatch());
        }
    }

    /** Updates the rows (tombstones: {@link #FINISH}); adds those that updated nothing to {@code missing}. */
    private static void update(Connection c, QueueId q, int shard, List<Slot> rows, boolean finished,
                               List<Slot> missing) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(finished ? FINISH : UPDATE)) {
            for (Slot s : rows) {
                int i = 1;
                if (finished) {
                    ps.setString(i++, s.state().name());
                    ps.setLong(i++, s.stateSince());
                    ps.setLong(i++, s.version());
                } else {
                    i = bindValues(ps, i, shard, s);
                }
                ps.setString(i++, q.tenant());
                ps.setString(i++, q.name());
                ps.setString(i++, s.id());
                ps.setLong(i, s.version());
                ps.addBatch();
            }
            missing.addAll(unchanged(rows, ps.executeBatch()));
        }
    }

    /** The rows whose statement changed nothing, or may not have (a driver that does not say). */
    private static List<Slot> unchanged(List<Slot> rows, int[] counts) {
        List<Slot> unchanged = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            if (counts[k] == 0 || counts[k] == Statement.SUCCESS_NO_INFO) {
                unchanged.add(rows.get(k));
            }
        }
        return unchanged;
    }

    /** Binds shard … version (16 values) from {@code i}; the next index. */
    private static int bindValues(PreparedStatement ps, int i, int shard, Slot s) throws SQLException {
        ps.setInt(i++, shard);
        ps.setString(i++, s.state().name());
        ps.setInt(i++, s.priority());
        setMicros(ps, i++, s.deadline());
        setMicros(ps, i++, s.notBefore());
        ps.setString(i++, s.exclusiveKey());
        ps.setInt(i++, s.attempts());
        ps.setInt(i++, s.maxAttempts());
        ps.setString(i++, s.traceId() == null ? null : "00-" + s.traceId() + "-" + s.spanId() + "-01");
        ps.setBytes(i++, s.payload());
        ps.setLong(i++, s.enqueuedAt());
        ps.setLong(i++, s.orderStamp());
        ps.setLong(i++, s.availableAt());
        ps.setString(i++, FailureReason.of(s.lastError()));
        ps.setLong(i++, s.stateSince());
        ps.setLong(i++, s.version());
        return i;
    }

    private static void setMicros(PreparedStatement ps, int i, long micros) throws SQLException {
        if (micros == Slot.NONE) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, micros);
        }
    }

    /** A stored message with the queue it belongs to. */
    record StoredMessage(QueueId queue, Slot slot) {
    }

    /**
     * Reads every unfinished message, and finished ones since {@code finishedSince} (the rest of them is what
     * {@link #deleteFinishedBefore} with the same time deletes), queue by queue, each queue's in the order they
     * entered their state, then FIFO: the order a shard keeps its dead letters (replay follows it) and its finished
     * ids (forgotten oldest first) in, and the arrival order among equal stamps.
     */
    void load(long finishedSince, java.util.function.Consumer<StoredMessage> sink) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM queue_messages WHERE state NOT IN ('COMPLETED', 'CANCELLED') "
                + "OR state_since_us >= ? ORDER BY tenant, queue_name, state_since_us, order_stamp_us, enqueued_us";
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                ps.setLong(1, finishedSince);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new StoredMessage(QueueId.of(rs.getString(1), rs.getString(2)), slot(rs)));
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }

    private static Slot slot(ResultSet rs) throws SQLException {
        String traceparent = rs.getString(12);
        TraceContext trace = traceparent == null ? null : TraceContext.fromTraceparent(traceparent);
        return Slot.incoming(rs.getString(3), rs.getInt(6), micros(rs, 7), micros(rs, 8), rs.getString(9),
                rs.getInt(11), trace == null ? null : trace.traceId(), trace == null ? null : trace.spanId(),
                rs.getBytes(13), rs.getLong(14))
                .restoredAs(MessageState.valueOf(rs.getString(5)), rs.getInt(10), rs.getLong(15), rs.getLong(16),
                        rs.getString(17), rs.getLong(18), rs.getLong(19)).markStored();
    }

    private static long micros(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? Slot.NONE : v;
    }

    /** Forgets finished messages older than the idempotency window. */
    int deleteFinishedBefore(long micros) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM queue_messages WHERE state IN "
                     + "('COMPLETED', 'CANCELLED') AND state_since_us < ?")) {
            ps.setLong(1, micros);
            return ps.executeUpdate();
        }
    }

    /** Saves a queue's shard count and settings (write-through: queues are created rarely). */
    void saveQueue(QueueRoute route) throws SQLException {
        QueueSettings s = route.settings();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE queue_queues SET shards = ?, lease_ms = ?, "
                    + "max_attempts = ?, retry_delay_ms = ? WHERE tenant = ? AND queue_name = ?")) {
                ps.setInt(1, route.shards());
                ps.setLong(2, s.leaseTime().toMillis());
                ps.setInt(3, s.maxAttempts());
                ps.setLong(4, s.retryDelay().toMillis());
                ps.setString(5, route.id().tenant());
                ps.setString(6, route.id().name());
                if (ps.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO queue_queues (tenant, queue_name, shards, "
                    + "lease_ms, max_attempts, retry_delay_ms) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                    + "(SELECT 1 FROM queue_queues WHERE tenant = ? AND queue_name = ?)")) {
                ps.setString(1, route.id().tenant());
                ps.setString(2, route.id().name());
                ps.setInt(3, route.shards());
                ps.setLong(4, s.leaseTime().toMillis());
                ps.setInt(5, s.maxAttempts());
                ps.setLong(6, s.retryDelay().toMillis());
                ps.setString(7, route.id().tenant());
                ps.setString(8, route.id().name());
                ps.executeUpdate();
            }
        }
    }

    /** Every saved queue with its shard count and settings. */
    List<QueueRoute> loadQueues(QueueOptions options) throws SQLException {
        List<QueueRoute> routes = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT tenant, queue_name, shards, lease_ms, max_attempts, "
                     + "retry_delay_ms FROM queue_queues");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                QueueSettings s = new QueueSettings(Duration.ofMillis(rs.getLong(4)), rs.getInt(5),
                        Duration.ofMillis(rs.getLong(6)));
                routes.add(QueueRoute.of(QueueId.of(rs.getString(1), rs.getString(2)), rs.getInt(3), s, options));
            }
        }
        return routes;
    }
}
