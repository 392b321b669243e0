package io.orrery.camel.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;
import org.apache.camel.http.common.CamelServlet;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty or Camel's servlet refuse before any route runs (a path no route serves, a method the path does
 * not take, a request Jetty cannot parse) with an RFC 9457 problem document instead of Jetty's HTML page. A 405 names
 * the methods the path does take in {@code Allow}, asked of Camel's own consumer resolution.
 */
public class ProblemErrorHandler extends ErrorHandler {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /**
     * Outside a servlet context (a request Jetty could not parse) the servlet error handling has nothing to go on.
     * Jetty closes the connection after such a request without saying so in the answer; {@code Connection: close}
     * tells a client that keeps connections open not to send its next request into the closing one.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (Request.asInContext(request, ServletContextRequest.class) != null) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        Object status = request.getAttribute(ERROR_STATUS);
        generateResponse(request, response, status instanceof Integer code ? code : response.getStatus(), null, null,
                callback);
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        if (code == HttpStatus.METHOD_NOT_ALLOWED_405) {
            String allowed = allowedMethods(request);
            if (!allowed.isEmpty()) {
                response.getHeaders().put(HttpHeader.ALLOW, allowed);
            }
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        response.getHeaders().remove(HttpHeader.CACHE_CONTROL);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        Content.Sink.write(response, true, document(code, path), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        return BufferUtil.toBuffer(document(status, null), StandardCharsets.UTF_8);
    }

    static String document(int status, String instance) {
        String title = HttpStatus.getMessage(status);
        StringBuilder json = new StringBuilder("{\"type\":\"urn:orrery:problem:").append(kind(status))
                .append("\",\"title\":\"").append(title).append("\",\"status\":").append(status)
                .append(",\"detail\":\"").append(detail(status)).append('"');
        if (instance != null) {
            json.append(",\"instance\":\"").append(escape(instance)).append('"');
        }
        return json.append('}').toString();
    }

    private static String kind(int status) {
        return switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "too-large";
            case 431 -> "headers-too-large";
            default -> status >= 500 ? "internal" : "invalid-request";
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case 404 -> "no resource at this path";
            case 405 -> "this path does not take this method; see Allow";
            case 413 -> "the body is larger than this server accepts";
            case 431 -> "the request headers are larger than this server accepts";
            default -> status >= 500 ? "the server failed to answer" : "the request could not be parsed";
        };
    }

    /** JSON string escaping of a request path: quotes, backslashes and control characters. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String allowedMethods(Request request) {
        ServletContextRequest servletRequest = Request.as(request, ServletContextRequest.class);
        if (servletRequest == null) {
            return "";
        }
        HttpServletRequest api = servletRequest.getServletApiRequest();
        ServletContextHandler context = servletRequest.getServletContextHandler();
        StringJoiner allowed = new StringJoiner(", ");
        for (ServletHolder holder : context.getServletHandler().getServlets()) {
            Servlet servlet = holder.getServletInstance();
            if (servlet instanceof CamelServlet camel) {
                for (String method : METHODS) {
                    if (camel.getServletResolveConsumerStrategy().isHttpMethodAllowed(api, method, camel.getConsumers())) {
                        allowed.add(method);
                    }
                }
            }
        }
        return allowed.toString();
    }
}
