package io.orrery.gateway.internal.tenant;

import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TokenInfo;
import io.orrery.api.tenant.TokenScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The rows behind the tenant directory ({@code db/gateway/V1__tenants.sql}), in plain JDBC. */
final class TenantTable {

    /** SQLSTATE of a unique or primary key violation, in H2 and PostgreSQL alike. */
    static final String DUPLICATE_KEY = "23505";

    /**
     * A stored token: its hash, whose it is (null tenant: an administrator token), its scopes (null: all) and
     * expiry (null: never).
     */
    record TokenRow(String hash, String tenant, String scopes, Long expiresAt) { }

    /** What a new token row holds besides its hash and tenant. */
    record Terms(String scopes, Long expiresAt) {
        static final Terms UNRESTRICTED = new Terms(null, null);
    }

    private final DataSource dataSource;

    TenantTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts the tenant with its first token in one transaction; false when the name is taken. */
    boolean insertTenant(String name, String tokenHash, Terms terms, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                update(c, "INSERT INTO gateway_tenants (name, created_at) VALUES (?, ?)", name, now.toEpochMilli());
                insertToken(c, tokenHash, name, terms, now);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (DUPLICATE_KEY.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("create tenant " + name, e);
        }
    }

    List<Tenant> tenants() {
        return query("SELECT t.name, t.created_at, COUNT(k.token_hash) FROM gateway_tenants t "
                + "LEFT JOIN gateway_tokens k ON k.tenant = t.name GROUP BY t.name, t.created_at ORDER BY t.name",
                null);
    }

    Optional<Tenant> tenant(String name) {
        return query("SELECT t.name, t.created_at, COUNT(k.token_hash) FROM gateway_tenants t "
                + "LEFT JOIN gateway_tokens k ON k.tenant = t.name WHERE t.name = ? GROUP BY t.name, t.created_at",
                name).stream().findFirst();
    }

    /** Deletes the tenant; its tokens and idempotency records go with it (ON DELETE CASCADE). */
    boolean deleteTenant(String name) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, "DELETE FROM gateway_tenants WHERE name = ?", name) > 0;
        } catch (SQLException e) {
            throw failure("delete tenant " + name, e);
        }
    }

    /**
     * Adds a token for an existing tenant (or an administrator token when {@code tenant} is null), optionally
     * revoking the tenant's others in the same transaction; false when the tenant does not exist.
     */
    boolean addToken(String tenant, String tokenHash, Terms terms, boolean revokeOthers, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (tenant != null && revokeOthers) {
                    update(c, "DELETE FROM gateway_tokens WHERE tenant = ?", tenant);
                }
                insertToken(c, tokenHash, tenant, terms, now);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (tenant != null && isMissingParent(e)) {
                    return false;
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("issue a token", e);
        }
    }

    Optional<TokenRow> token(String tokenHash) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT token_hash, tenant, scopes, expires_at FROM gateway_tokens "
                     + "WHERE token_hash = ?")) {
            s.setString(1, tokenHash);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new TokenRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        (Long) rs.getObject(4, Long.class))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("look up a token", e);
        }
    }

    /** The tenant's tokens, or the administrator tokens when {@code tenant} is null, oldest first. */
    List<TokenInfo> tokens(String tenant) {
        String sql = "SELECT token_id, tenant, scopes, created_at, expires_at FROM gateway_tokens WHERE "
                + (tenant == null ? "tenant IS NULL" : "tenant = ?") + " ORDER BY created_at, token_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (tenant != null) {
                s.setString(1, tenant);
            }
            List<TokenInfo> tokens = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String scopes = rs.getString(3);
                    Long expires = rs.getObject(5, Long.class);
                    tokens.add(new TokenInfo(rs.getString(1), rs.getString(2),
                            scopes == null ? TokenScope.all() : TokenScope.parse(scopes),
                            Instant.ofEpochMilli(rs.getLong(4)), expires == null ? null : Instant.ofEpochMilli(expires)));
                }
            }
            return tokens;
        } catch (SQLException e) {
            throw failure("list tokens", e);
        }
    }

    /** Deletes every token of the tenant; how many. */
    int deleteTokensOf(String tenant) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, "DELETE FROM gateway_tokens WHERE tenant = ?", tenant);
        } catch (SQLException e) {
            throw failure("revoke the tokens of " + tenant, e);
        }
    }

    /** How many stored tokens have this public id. */
    int countById(String tokenId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM gateway_tokens WHERE token_id = ?")) {
            s.setString(1, tokenId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("look up token " + tokenId, e);
        }
    }

    /** Deletes the token with this public id; how many rows went. */
    int deleteById(String tokenId) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, "DELETE FROM gateway_tokens WHERE token_id = ?", tokenId);
        } catch (SQLException e) {
            throw failure("revoke token " + tokenId, e);
        }
    }

    boolean hasAdminToken() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM gateway_tokens WHERE tenant IS NULL");
             ResultSet rs = s.executeQuery()) {
            return rs.next() && rs.getLong(1) > 0;
        } catch (SQLException e) {
            throw failure("look for an administrator token", e);
        }
    }

    private static void insertToken(Connection c, String hash, String tenant, Terms terms, Instant now)
            throws SQLException {
        update(c, "INSERT INTO gateway_tokens (token_hash, tenant, token_id, created_at, scopes, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", hash, tenant, TokenHash.idOf(hash), now.toEpochMilli(), terms.scopes(),
                terms.expiresAt());
    }

    /** A foreign key violation: SQLSTATE 23503 in both databases (H2 reports 23506 for some forms). */
    private static boolean isMissingParent(SQLException e) {
        return "23503".equals(e.getSQLState()) || "23506".equals(e.getSQLState());
    }

    private List<Tenant> query(String sql, String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (name != null) {
                s.setString(1, name);
            }
            List<Tenant> tenants = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tenants.add(new Tenant(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3)));
                }
            }
            return tenants;
        } catch (SQLException e) {
            throw failure("read tenants", e);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("store: could not " + what + ": " + e.getMessage(), e);
    }
}
