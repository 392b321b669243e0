package io.orrery.gateway.internal.ui;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.RestConfiguration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The trace viewer at {@code /ui/}: three static files from this bundle, on the REST API's own listener (same
 * origin, so the page calls {@code /api/v1} with the token the user types, and nothing is loaded from elsewhere).
 * Only the named files are served; any other path is 404.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class ViewerPageRoutes extends RouteBuilder {

    private static final Map<String, String> FILES = Map.of(
            "", "text/html; charset=utf-8",
            "index.html", "text/html; charset=utf-8",
            "viewer.js", "text/javascript; charset=utf-8",
            "viewer.css", "text/css; charset=utf-8");

    @Override
    public void configure() {
        RestConfiguration rest = getContext().getRestConfiguration();
        String host = rest.getHost() == null || rest.getHost().isBlank() ? "0.0.0.0" : rest.getHost();
        from("jetty:" + rest.getScheme() + "://" + host + ":" + rest.getPort()
                + "/ui?matchOnUriPrefix=true&httpMethodRestrict=GET,HEAD")
                .routeId("orrery-ui")
                .process(this::serve);
    }

    private void serve(Exchange exchange) throws IOException {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class);
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, "", String.class);
        String name = path.startsWith("/") ? path.substring(1) : path;
        String type = FILES.get(name);
        var out = exchange.getMessage();
        out.removeHeaders("*");
        if (uri.equals("/ui")) {
            // The page's assets are relative: they resolve under /ui/ only.
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            out.setHeader("Location", "/ui/");
            out.setBody("");
            return;
        }
        if (type == null) {
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            out.setBody("not found");
            return;
        }
        try (InputStream in = ViewerPageRoutes.class.getResourceAsStream("/ui/" + (name.isEmpty() ? "index.html" : name))) {
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            out.setHeader(Exchange.CONTENT_TYPE, type);
            out.setHeader("Cache-Control", "no-store");
            out.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            out.setHeader("X-Content-Type-Options", "nosniff");
            out.setBody(in.readAllBytes());
        }
    }
}
