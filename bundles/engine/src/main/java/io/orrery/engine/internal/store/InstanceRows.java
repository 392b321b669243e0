package io.orrery.engine.internal.store;

import io.orrery.api.fault.CrashPoints;
import io.orrery.engine.internal.EngineCrashPoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The table {@code engine_instances} ({@code db/engine/V1__instances.sql}): one row per instance, its record as the
 * map holds it. Writes are guarded by revision, so a late or repeated write never takes a row back.
 */
public final class InstanceRows {

    private static final String UPDATE = "UPDATE engine_instances SET status = ?, revision = ?, updated_at = ?, "
            + "body = ? WHERE id = ? AND revision < ?";
    private static final String INSERT = "INSERT INTO engine_instances (id, tenant, workflow, status, revision, "
            + "updated_at, body) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
            + "(SELECT 1 FROM engine_instances WHERE id = ?)";
    /** Rows per multi-row INSERT, and per smaller one for the rest ({@link #insertAll}). */
    private static final int INSERT_ROWS = 50;
    private static final int INSERT_FEW = 10;
    private static final String EXISTS = "SELECT revision FROM engine_instances WHERE id = ?";

    private final DataSource dataSource;

    public InstanceRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One instance's row, as of the last write. */
    public record Row(String id, String tenant, String workflow, String status, long revision, long updatedAt,
                      byte[] body) {
    }

    /** Deletes every row of the tenant; how many. */
    public int deleteTenant(String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM engine_instances WHERE tenant = ?")) {
            ps.setString(1, tenant);
            return ps.executeUpdate();
        }
    }

    /**
     * Writes in one transaction rows of instances this member created (inserted with multi-row INSERTs, no look-up
     * first) and rows of instances that may be stored already (as {@link #write(List)}). If one of the "new" rows
     * exists after all (a member's loss had another member write it), everything is written again the careful way.
     */
    public void write(List<Row> fresh, List<Row> changed) throws SQLException {
        if (fresh.isEmpty()) {
            write(changed);
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertAll(c, fresh);
                if (!changed.isEmpty()) {
                    writeIn(c, changed);
                }
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
        List<Row> all = new ArrayList<>(fresh);
        all.addAll(changed);
        write(all);
    }

    /**
     * Multi-row INSERTs of {@value #INSERT_ROWS} rows, then of {@value #INSERT_FEW} rows, the rest one row at a time
     * in a JDBC batch: three statement shapes whatever the count, so the database parses and plans each once per
     * connection instead of a new statement for every remainder (on H2, parsing them and compiling its parser took a
     * share of the deployed node's time; on PostgreSQL, each new shape is a new prepared statement).
     */
    private static void insertAll(Connection c, List<Row> rows) throws SQLException {
        int from = 0;
        for (int shape : new int[] {INSERT_ROWS, INSERT_FEW}) {
            if (rows.size() - from >= shape) {
                try (PreparedStatement ps = c.prepareStatement(insertOf(shape))) {
                    for (; rows.size() - from >= shape; from += shape) {
                        bindRows(ps, rows.subList(from, from + shape));
                        ps.executeUpdate();
                    }
                }
            }
        }
        if (from < rows.size()) {
            try (PreparedStatement ps = c.prepareStatement(insertOf(1))) {
                for (Row r : rows.subList(from, rows.size())) {
                    bindRows(ps, List.of(r));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static String insertOf(int rowCount) {
        StringBuilder sql = new StringBuilder("INSERT INTO engine_instances (id, tenant, workflow, status, revision, "
                + "updated_at, body) VALUES ");
        for (int i = 0; i < rowCount; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
        }
        return sql.toString();
    }

    private static void bindRows(PreparedStatement ps, List<Row> chunk) throws SQLException {
        int p = 1;
        for (Row r : chunk) {
            ps.setString(p++, r.id());
            ps.setString(p++, r.tenant());
            ps.setString(p++, r.workflow());
            ps.setString(p++, r.status());
            ps.setLong(p++, r.revision());
            ps.setLong(p++, r.updatedAt());
            ps.setBytes(p++, r.body());
        }
    }

    /** Writes the rows in one transaction: newer revisions replace older ones, missing rows are inserted. */
    public void write(List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                writeIn(c, rows);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                // Another member inserted one of these rows meanwhile (ownership moved): the update path covers it now.
                writeIn(c, rows);
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Updates the rows stored at an older revision and inserts those not stored. A row another writer inserts and
     * commits between this transaction's update and its insert is neither (the update saw no row, the insert sees
     * one): it is updated again, so that a newer revision is never left behind an older one written beside it.
     */
    private static void writeIn(Connection c, List<Row> rows) throws SQLException {
        List<Row> notUpdated = update(c, rows);
        if (notUpdated.isEmpty()) {
            return;
        }
        CrashPoints.reach(EngineCrashPoints.ROWS_UPDATED_BEFORE_INSERT);
        List<Row> storedMeanwhile = insertMissing(c, notUpdated);
        if (!storedMeanwhile.isEmpty()) {
            update(c, storedMeanwhile);
        }
    }

    /** Revision-guarded updates; the rows not updated (not stored, or stored at this revision or a later one). */
    private static List<Row> update(Connection c, List<Row> rows) throws SQLException {
        int[] updated;
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Row r : rows) {
                ps.setString(1, r.status());
                ps.setLong(2, r.revision());
                ps.setLong(3, r.updatedAt());
                ps.setBytes(4, r.body());
                ps.setString(5, r.id());
                ps.setLong(6, r.revision());
                ps.addBatch();
            }
            updated = ps.executeBatch();
        }
        return unchanged(rows, updated);
    }

    /** Inserts the rows not stored; the rows not inserted (stored by now, at whatever revision). */
    private static List<Row> insertMissing(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Row r : rows) {
                ps.setString(1, r.id());
                ps.setString(2, r.tenant());
                ps.setString(3, r.workflow());
                ps.setString(4, r.status());
                ps.setLong(5, r.revision());
                ps.setLong(6, r.updatedAt());
                ps.setBytes(7, r.body());
                ps.setString(8, r.id());
                ps.addBatch();
            }
            return unchanged(rows, ps.executeBatch());
        }
    }

    /** The rows whose statement changed nothing, or may not have (a driver that does not say). */
    private static List<Row> unchanged(List<Row> rows, int[] counts) {
        List<Row> unchanged = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (counts[i] == 0 || counts[i] == Statement.SUCCESS_NO_INFO) {
                unchanged.add(rows.get(i));
            }
        }
        return unchanged;
    }

    /** A constraint violation, in the exception, its causes or (a failed batch's) next exceptions. */
    private static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            for (Throwable t = x; t != null; t = t.getCause()) {
                if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The stored record of one instance, or null. */
    public byte[] load(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT body FROM engine_instances WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** The stored records of these instances, by id; ids without a row are absent. */
    public Map<String, byte[]> bodies(Collection<String> ids) throws SQLException {
        Map<String, byte[]> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, body FROM engine_instances WHERE id IN (" + marks
                     + ")")) {
            int i = 1;
            for (String id : ids) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getBytes(2));
                }
            }
        }
        return found;
    }

    /**
     * A page of one workflow's rows in id order (ids are {@code tenant/workflow/key}, so key order within the
     * workflow): the first {@code limit} after {@code afterId}, of one status or any (null). A range of the primary
     * key, or of the status index.
     */
    public List<Row> page(String tenant, String workflow, String status, String afterId, int limit)
            throws SQLException {
        String sql = "SELECT id, status, revision, updated_at, body FROM engine_instances WHERE tenant = ? AND "
                + "workflow = ? AND id > ?" + (status == null ? "" : " AND status = ?")
                // The index's own order (the equal columns first), so that H2 reads the index instead of sorting.
                + (status == null ? " ORDER BY tenant, workflow, id" : " ORDER BY tenant, workflow, status, id")
                + " FETCH FIRST ? ROWS ONLY";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, tenant);
            ps.setString(i++, workflow);
            ps.setString(i++, afterId);
            if (status != null) {
                ps.setString(i++, status);
            }
            ps.setInt(i, limit);
            List<Row> page = new ArrayList<>(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(new Row(rs.getString(1), tenant, workflow, rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getBytes(5)));
                }
            }
            return page;
        }
    }

    /** The stored revision of one instance, or -1 (tests, tools). */
    public long revision(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(EXISTS)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Streams every row to {@code rows}, in no particular order. */
    public long loadAll(Consumer<Row> rows) throws SQLException {
        long n = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT id, tenant, workflow, status, revision, "
                    + "updated_at, body FROM engine_instances")) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.accept(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getLong(5), rs.getLong(6), rs.getBytes(7)));
                        n++;
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        return n;
    }

    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM engine_instances");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
