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

/** Spans in the store ({@code trace_spans}, migration {@code db/trace/V1__spans.sql}): what outlives the map. */
public final class SpanTable {

    private static final String INSERT =
            "INSERT INTO trace_spans (trace_id, span_id, tenant, start_micros, body) VALUES (?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public SpanTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts a batch; spans already stored (a batch retried after a partial failure) are skipped one by one. */
    public void insert(List<SpanRecord> spans) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (SpanRecord s : spans) {
                    bind(ps, s);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                c.setAutoCommit(true);
                insertEach(c, spans);
            }
        }
    }

    private void insertEach(Connection c, List<SpanRecord> spans) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (SpanRecord s : spans) {
                bind(ps, s);
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

    private static void bind(PreparedStatement ps, SpanRecord s) throws SQLException {
        ps.setString(1, s.traceId());
        ps.setString(2, s.spanId());
        ps.setString(3, s.tenant());
        ps.setLong(4, s.startMicros());
        ps.setString(5, new String(SpanCodec.write(s), StandardCharsets.UTF_8));
    }

    /** @param tenant null for every tenant's spans */
    public List<SpanRecord> trace(String tenant, String traceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(tenant == null
                     ? "SELECT body FROM trace_spans WHERE trace_id = ?"
                     : "SELECT body FROM trace_spans WHERE trace_id = ? AND tenant = ?")) {
            ps.setString(1, traceId);
            if (tenant != null) {
                ps.setString(2, tenant);
            }
            List<SpanRecord> spans = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    spans.add(SpanCodec.read(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
            return spans;
        }
    }

    /** Deletes spans that started before {@code micros}; answers how many. */
    public int deleteStartedBefore(long micros) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM trace_spans WHERE start_micros < ?")) {
            ps.setLong(1, micros);
            return ps.executeUpdate();
        }
    }
}
