package io.orrery.viewinghistory.internal.processor;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A real store's data source that refuses every connection while the store is down, as an outage would. */
public final class StoreOutage implements DataSource {

    private final DataSource store;
    private volatile boolean down;

    public StoreOutage(DataSource store) {
        this.store = store;
    }

    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileDown();
        return store.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        refuseWhileDown();
        return store.getConnection(user, password);
    }

    private void refuseWhileDown() throws SQLException {
        if (down) {
            throw new SQLException("store unreachable", "08001");
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return store.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        store.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        store.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return store.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return store.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return store.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return store.isWrapperFor(type);
    }
}
