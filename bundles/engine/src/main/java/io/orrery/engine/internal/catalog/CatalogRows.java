package io.orrery.engine.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The table {@code catalog_bundles} ({@code db/catalog/V1__tenant_bundles.sql}). Each write raises the row's
 * revision inside one transaction, so concurrent deploys of one name on two nodes leave one winner that every
 * node converges on.
 */
public final class CatalogRows {

    private static final String UPDATE = "UPDATE catalog_bundles SET version = ?, digest = ?, revision = revision + 1,"
            + " deployed = ?, body = ?, updated_at = ? WHERE tenant = ? AND symbolic_name = ?";
    private static final String INSERT = "INSERT INTO catalog_bundles (tenant, symbolic_name, version, digest, "
            + "revision, deployed, body, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)";
    private static final String REVISION = "SELECT revision FROM catalog_bundles WHERE tenant = ? AND symbolic_name = ?";
    private static final String ALL = "SELECT tenant, symbolic_name, version, digest, revision, deployed "
            + "FROM catalog_bundles ORDER BY tenant, symbolic_name";
    private static final String FIND = "SELECT tenant, symbolic_name, version, digest, revision, deployed "
            + "FROM catalog_bundles WHERE tenant = ? AND symbolic_name = ?";
    private static final String BODY = "SELECT body FROM catalog_bundles WHERE tenant = ? AND symbolic_name = ? "
            + "AND revision = ?";

    private final DataSource dataSource;

    public CatalogRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a deployed bundle; answers its new revision. */
    public long deployed(String tenant, String symbolicName, String version, String digest, byte[] body, long now)
            throws SQLException {
        return write(tenant, symbolicName, version, digest, true, body, now);
    }

    /** Marks the bundle undeployed; answers its new revision, or empty when it is not deployed. */
    public Optional<Long> undeployed(String tenant, String symbolicName, long now) throws SQLException {
        Optional<CatalogEntry> entry = find(tenant, symbolicName);
        if (entry.isEmpty() || !entry.get().deployed()) {
            return Optional.empty();
        }
        return Optional.of(write(tenant, symbolicName, entry.get().version(), entry.get().digest(), false, null, now));
    }

    public List<CatalogEntry> all() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ALL);
             ResultSet rs = s.executeQuery()) {
            List<CatalogEntry> entries = new ArrayList<>();
            while (rs.next()) {
                entries.add(entry(rs));
            }
            return entries;
        }
    }

    public Optional<CatalogEntry> find(String tenant, String symbolicName) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(FIND)) {
            s.setString(1, tenant);
            s.setString(2, symbolicName);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    /** The bytes of exactly this revision; empty when the row moved on meanwhile or holds none. */
    public Optional<byte[]> body(CatalogEntry entry) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(BODY)) {
            s.setString(1, entry.tenant());
            s.setString(2, entry.symbolicName());
            s.setLong(3, entry.revision());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    private long write(String tenant, String bsn, String version, String digest, boolean deployed, byte[] body,
                       long now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long revision = writeIn(c, tenant, bsn, version, digest, deployed, body, now);
                c.commit();
                return revision;
            } catch (SQLException e) {
                c.rollback();
                // Another node inserted the first row of this name meanwhile: the update path covers it now.
                long revision = writeIn(c, tenant, bsn, version, digest, deployed, body, now);
                c.commit();
                return revision;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static long writeIn(Connection c, String tenant, String bsn, String version, String digest,
                                boolean deployed, byte[] body, long now) throws SQLException {
        int updated;
        try (PreparedStatement s = c.prepareStatement(UPDATE)) {
            s.setString(1, version);
            s.setString(2, digest);
            s.setBoolean(3, deployed);
            s.setBytes(4, body);
            s.setLong(5, now);
            s.setString(6, tenant);
            s.setString(7, bsn);
            updated = s.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement s = c.prepareStatement(INSERT)) {
                s.setString(1, tenant);
                s.setString(2, bsn);
                s.setString(3, version);
                s.setString(4, digest);
                s.setBoolean(5, deployed);
                s.setBytes(6, body);
                s.setLong(7, now);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement(REVISION)) {
            s.setString(1, tenant);
            s.setString(2, bsn);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static CatalogEntry entry(ResultSet rs) throws SQLException {
        return new CatalogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getBoolean(6));
    }
}
