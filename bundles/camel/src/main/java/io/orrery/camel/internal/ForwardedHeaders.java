package io.orrery.camel.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * {@code Forwarded} and {@code X-Forwarded-*} are believed only from the configured proxies (addresses, CIDR
 * blocks or ranges, as Jetty's {@link InetAddressSet} reads them): from those, Jetty's
 * {@link ForwardedRequestCustomizer} applies them to the request (client address, scheme, host); from anyone else
 * they are removed before Camel or a route sees them, so a client cannot claim another address or host.
 */
public class ForwardedHeaders extends Handler.Wrapper {

    static final List<String> HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
            "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Server", "X-Forwarded-Prefix", "X-Forwarded-Ssl",
            "X-Proxied-Https", "Proxy-auth-cert", "Proxy-ssl-id", "X-Real-IP");

    private final InetAddressSet trusted = new InetAddressSet();
    private final ForwardedRequestCustomizer customizer = new ForwardedRequestCustomizer();

    /** @param trustedProxies comma-separated addresses, CIDR blocks or ranges; blank trusts no one */
    public ForwardedHeaders(String trustedProxies) {
        for (String entry : trustedProxies == null ? new String[0] : trustedProxies.split(",")) {
            if (!entry.isBlank()) {
                trusted.add(entry.trim());
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Request seen = fromTrustedProxy(request)
                ? customizer.customize(request, response.getHeaders())
                : withoutForwardedHeaders(request);
        return super.handle(seen == null ? request : seen, response, callback);
    }

    private boolean fromTrustedProxy(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return !trusted.isEmpty() && remote instanceof InetSocketAddress address && address.getAddress() != null
                && trusted.test(address.getAddress());
    }

    private static Request withoutForwardedHeaders(Request request) {
        HttpFields headers = request.getHeaders();
        if (HEADERS.stream().noneMatch(headers::contains)) {
            return request;
        }
        HttpFields.Mutable kept = HttpFields.build(headers);
        HEADERS.forEach(kept::remove);
        HttpFields filtered = kept.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return filtered;
            }
        };
    }
}
