package io.orrery.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads what the migrations left behind, for assertions. */
final class StoreTables {

    private StoreTables() {
    }

    static List<String> query(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    static List<String> appliedVersions(DataSource dataSource, String historyTable) throws SQLException {
        return query(dataSource, "SELECT \"version\" FROM \"" + historyTable + "\" WHERE \"success\" = TRUE AND \"type\" = 'SQL'"
                + " ORDER BY \"installed_rank\"");
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
