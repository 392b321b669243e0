package io.orrery.camel.internal;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty handler in front of Camel's servlet. It caps every request body at {@code maxRequestBytes} (413 on
 * the declared length; a streamed body fails when it crosses the cap, which {@link GuardedRestHttpBinding} turns
 * into a 413), so no upload can fill memory or the stream-cache spool. And it answers 400 to a Content-Type
 * naming a charset the JVM does not know, which would otherwise make Camel's servlet throw (500) before any
 * binding or route sees the request.
 */
public class RequestGuard extends SizeLimitHandler {

    public RequestGuard(long maxRequestBytes) {
        super(maxRequestBytes, -1);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String charset = contentType == null ? null : MimeTypes.getCharsetFromContentType(contentType);
        if (charset != null && !supported(charset)) {
            response.setStatus(400);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
            Content.Sink.write(response, true, "{\"type\":\"urn:orrery:problem:invalid-request\","
                    + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"unsupported charset in Content-Type\","
                    + "\"errors\":[{\"field\":\"Content-Type\",\"detail\":\"unsupported charset\"}]}", callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
