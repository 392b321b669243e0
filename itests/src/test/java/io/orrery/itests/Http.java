package io.orrery.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A plain HTTP client for inside the container (java.net.http is not exported there). */
final class Http {

    static final class Response {
        final int status;
        final String body;
        final Map<String, java.util.List<String>> headers;

        Response(int status, String body, Map<String, java.util.List<String>> headers) {
            this.status = status;
            this.body = body;
            this.headers = headers;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private Http() {
    }

    static Response get(String url) {
        return send("GET", url, Map.of(), null);
    }

    static Response get(String url, String token) {
        return send("GET", url, Map.of("Authorization", "Bearer " + token), null);
    }

    static Response post(String url, String token, String contentType, byte[] body) {
        return send("POST", url, Map.of("Authorization", "Bearer " + token, "Content-Type", contentType), body);
    }

    static Response send(String method, String url, Map<String, String> headers, byte[] body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(60_000);
            headers.forEach(connection::setRequestProperty);
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Response(status, text, connection.getHeaderFields());
            }
        } catch (IOException e) {
            return new Response(-1, e.toString(), Map.of());
        }
    }
}
