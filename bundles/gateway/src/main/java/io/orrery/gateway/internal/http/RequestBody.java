package io.orrery.gateway.internal.http;

import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.StreamCache;

/**
 * Reads a request body up to a limit: a declared {@code Content-Length} over it is refused before the body is
 * read, and a streamed (chunked) body is read no further than one byte past it. Whether Camel hands over the raw
 * stream or a cached copy depends on the runtime's {@code disableStreamCache}; both are handled.
 *
 * <p>A refused body is still drained, up to {@link #DRAIN_LIMIT}: if it were left unread, Jetty would close the
 * connection while the client is still sending, and most clients then report a broken pipe instead of the 413.
 *
 * <p>Written here because neither Camel nor Jetty offers it to this bundle: the limit depends on the endpoint and
 * on the tenant's quota, known only once the token is checked, while Jetty's {@code SizeLimitHandler} is one limit
 * for the whole listener and, like the rest of Jetty 12, private to the Camel runtime bundle (exporting it would
 * put Jetty 12 beside pax-web's Jetty in Karaf). The bounded read itself is the JDK's {@code readNBytes}.
 */
final class RequestBody {

    static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    private RequestBody() {
    }

    static byte[] read(Exchange exchange, long limit, String field) {
        long declared = declaredLength(exchange);
        Object body = body(exchange, field);
        if (declared > limit) {
            if (declared <= DRAIN_LIMIT) {
                drain(body);
            }
            throw ApiProblem.tooLarge(field, limit);
        }
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof StreamCache cache && cache.length() > limit) {
            throw ApiProblem.tooLarge(field, limit);
        }
        if (body instanceof byte[] bytes) {
            return within(bytes, limit, field);
        }
        try {
            InputStream in = stream(exchange, body);
            byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (read.length > limit) {
                drain(in);
                throw ApiProblem.tooLarge(field, limit);
            }
            return read;
        } catch (IOException e) {
            throw unreadable(field);
        }
    }

    /**
     * The message body. Where Camel caches bodies, asking for it reads the request, and Camel wraps the I/O
     * failure of a body cut short; it is the client's connection all the same.
     */
    private static Object body(Exchange exchange, String field) {
        try {
            return exchange.getIn().getBody();
        } catch (RuntimeCamelException e) {
            if (e.getCause() instanceof IOException) {
                throw unreadable(field);
            }
            throw e;
        }
    }

    /** Read here, after the gate, a body cut short (less than its Content-Length) surfaces as an I/O failure. */
    private static ApiProblem unreadable(String field) {
        return ApiProblem.badRequest(field, "the body could not be read: it ended before its declared length "
                + "or the connection broke");
    }

    /** The declared Content-Length, or -1 when there is none. */
    private static long declaredLength(Exchange exchange) {
        Object declared = exchange.getIn().getHeader(Exchange.CONTENT_LENGTH);
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.toString().trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Content-Length", "not a number");
        }
    }

    private static InputStream stream(Exchange exchange, Object body) throws IOException {
        InputStream in = body instanceof InputStream stream ? stream
                : exchange.getContext().getTypeConverter().convertTo(InputStream.class, exchange, body);
        if (in == null) {
            throw new IOException("no stream");
        }
        return in;
    }

    private static void drain(Object body) {
        if (body instanceof InputStream in) {
            drain(in);
        }
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        long drained = 0;
        try {
            for (int n = in.read(buffer); n >= 0 && drained < DRAIN_LIMIT; n = in.read(buffer)) {
                drained += n;
            }
        } catch (IOException e) {
            // the client went away: nothing left to protect
        }
    }

    private static byte[] within(byte[] bytes, long limit, String field) {
        if (bytes.length > limit) {
            throw ApiProblem.tooLarge(field, limit);
        }
        return bytes;
    }
}
