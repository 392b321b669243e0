package io.orrery.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The table {@code engine_restores} ({@code db/engine/V3__restore_generations.sql}): the generation of the last
 * restore from the store. A restored record's epoch, which its call ids carry, is at least the generation of the
 * restore that brought it back, and the store knows that generation before the record can make a call: a second
 * crash before the record is written again cannot bring back the epoch it had after the first, and with it ids
 * that already name other calls in the queues.
 */
public final class RestoreGenerations {

    private final DataSource dataSource;

    public RestoreGenerations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the generation after the last one, written before it answers. */
    public long next() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE engine_restores SET generation = generation + 1 WHERE id = 1");
                 PreparedStatement read = c.prepareStatement("SELECT generation FROM engine_restores WHERE id = 1")) {
                up.executeUpdate();
                long generation;
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    generation = rs.getLong(1);
                }
                c.commit();
                return generation;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Raises the last generation to {@code epoch} if it is lower: a record whose epoch went past the generation (it
     * went through restores before generations were kept) must not meet that epoch again at the next restore.
     */
    public void raiseTo(long epoch) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE engine_restores SET generation = ? WHERE id = 1 AND generation < ?")) {
            ps.setLong(1, epoch);
            ps.setLong(2, epoch);
            ps.executeUpdate();
        }
    }
}
