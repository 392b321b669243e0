package io.orrery.trace.internal.span;

import io.orrery.api.trace.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Spans in the store: what outlives the map. Written as groups ({@code trace_span_blocks}, migration
 * {@code db/trace/V3__span_blocks.sql}): the spans of one trace and tenant in a flush share one row
 * ({@link SpanGroup}), found by its trace and dated by its earliest start. The table has no unique key: a span
 * stored twice (a batch retried) reads once, as readers take each span by its id. Groups written by earlier
 * versions under a unique key ({@code trace_span_groups}, V2) and spans written one a row ({@code trace_spans},
 * V1) are read and purged as well.
 */
public final class SpanTable {

    private static final String INSERT = "INSERT INTO trace_span_blocks (trace_id, span_id, tenant, start_micros,"
            + " span_count, body) VALUES (?, ?, ?, ?, ?, ?)";

    /** Tables of groups: the current one, then V2's. */
    private static final List<String> GROUP_TABLES = List.of("trace_span_blocks", "trace_span_groups");

    private final DataSource dataSource;

    public SpanTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts a batch, a row per trace and tenant; when the batch fails, its groups are inserted one by one, and
     * those the store refuses as a constraint violation are skipped.
     */
    public void insert(List<SpanGroup> groups) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (SpanGroup group : groups) {
                    bind(ps, group);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                c.setAutoCommit(true);
                insertEach(c, groups);
            }
        }
    }

    private void insertEach(Connection c, List<SpanGroup> groups) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (SpanGroup group : groups) {
                bind(ps, group);
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void bind(PreparedStatement ps, SpanGroup group) throws SQLException {
        ps.setString(1, group.traceId());
        ps.setString(2, group.firstSpanId());
        ps.setString(3, group.tenant());
        ps.setLong(4, group.startMicros());
        ps.setInt(5, group.size());
        ps.setBytes(6, group.bytes());
    }

    /** @param tenant null for every tenant's spans */
    public List<SpanRecord> trace(String tenant, String traceId) throws SQLException {
        List<SpanRecord> spans = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : GROUP_TABLES) {
                try (ResultSet rs = query(c, table, tenant, traceId)) {
                    while (rs.next()) {
                        spans.addAll(SpanCodec.readAll(rs.getBytes(1)));
                    }
                }
            }
            try (ResultSet rs = query(c, "trace_spans", tenant, traceId)) {
                while (rs.next()) {
                    spans.add(SpanCodec.read(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return spans;
    }

    /** A result set that closes its statement with it. */
    private static ResultSet query(Connection c, String table, String tenant, String traceId) throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT body FROM " + table + " WHERE trace_id = ?"
                + (tenant == null ? "" : " AND tenant = ?"));
        ps.closeOnCompletion();
        ps.setString(1, traceId);
        if (tenant != null) {
            ps.setString(2, tenant);
        }
        return ps.executeQuery();
    }

    /** Deletes spans that started before {@code micros}; answers how many rows. */
    public int deleteStartedBefore(long micros) throws SQLException {
        int deleted = 0;
        try (Connection c = dataSource.getConnection()) {
            for (String table : List.of("trace_span_blocks", "trace_span_groups", "trace_spans")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE start_micros < ?")) {
                    ps.setLong(1, micros);
                    deleted += ps.executeUpdate();
                }
            }
        }
        return deleted;
    }
}
