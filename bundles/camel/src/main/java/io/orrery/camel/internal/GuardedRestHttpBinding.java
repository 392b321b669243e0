package io.orrery.camel.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.apache.camel.Message;
import org.apache.camel.component.jetty.JettyRestHttpBinding;
import org.apache.camel.http.common.HttpCommonEndpoint;
import org.eclipse.jetty.http.HttpException;

/**
 * camel-jetty's REST binding parses the query string and form or multipart bodies before any route runs, and
 * answers 500 (an HTML page) when that fails: {@code ?a=%zz}, a form body that is not key=value pairs, a body over
 * Jetty's form limit, a multipart body without boundary. This binding records the failure as the exchange property
 * {@value #REQUEST_ERROR} instead and lets the request reach its route, where the gateway answers 400 with a
 * problem document. An early end of the body (a client that sent less than it declared) is recorded the same way.
 */
public class GuardedRestHttpBinding extends JettyRestHttpBinding {

    /** Same name as {@code io.orrery.gateway.internal.http.RequestGate.REQUEST_ERROR}. */
    public static final String REQUEST_ERROR = "OrreryRequestError";
    /** The status the failure calls for: 413 when the body crossed {@link RequestGuard}'s cap, 400 otherwise. */
    public static final String REQUEST_ERROR_STATUS = "OrreryRequestErrorStatus";
    /** Same name as {@code RequestGate.CLIENT_ADDRESS}: the client's address, for throttling failed logins. */
    public static final String CLIENT_ADDRESS = "OrreryClientAddress";

    public GuardedRestHttpBinding() {
    }

    public GuardedRestHttpBinding(HttpCommonEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void readBody(HttpServletRequest request, Message message) {
        try {
            super.readBody(request, message);
        } catch (RuntimeException e) {
            mark(message, "body", e);
        }
    }

    @Override
    protected void readHeaders(HttpServletRequest request, Message message) {
        message.getExchange().setProperty(CLIENT_ADDRESS, request.getRemoteAddr());
        try {
            super.readHeaders(request, message);
        } catch (RuntimeException e) {
            mark(message, "headers", e);
        }
    }

    @Override
    protected void populateRequestParameters(HttpServletRequest request, Message message) {
        try {
            super.populateRequestParameters(request, message);
        } catch (RuntimeException e) {
            mark(message, "parameters", e);
        }
    }

    @Override
    protected void readFormUrlEncodedBody(HttpServletRequest request, Message message) {
        try {
            super.readFormUrlEncodedBody(request, message);
        } catch (Exception e) {
            mark(message, "form body", e);
        }
    }

    @Override
    public Object parseBody(HttpServletRequest request, Message message) throws IOException {
        try {
            return super.parseBody(request, message);
        } catch (RuntimeException | IOException e) {
            mark(message, "body", e);
            return null;
        }
    }

    private static void mark(Message message, String part, Exception failure) {
        int status = 400;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http && http.getCode() == 413) {
                status = 413;
            }
            root = t;
        }
        message.getExchange().setProperty(REQUEST_ERROR, part + ": " + root.getMessage());
        message.getExchange().setProperty(REQUEST_ERROR_STATUS, status);
    }
}
