package io.orrery.camel.internal;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;

/**
 * Puts {@link ProblemErrorHandler} where Jetty looks for an error handler: on the server (requests Jetty refuses
 * before any context) and on the servlet context camel-jetty creates (a path or method Camel's servlet does not
 * serve), which otherwise brings its own HTML one. Passes every request through unchanged.
 */
public class ProblemAnswers extends Handler.Wrapper {

    private final ProblemErrorHandler errors = new ProblemErrorHandler();

    @Override
    protected void doStart() throws Exception {
        if (getServer() != null) {
            getServer().setErrorHandler(errors);
        }
        for (ServletContextHandler context : getDescendants(ServletContextHandler.class)) {
            context.setErrorHandler(errors);
        }
        super.doStart();
    }
}
