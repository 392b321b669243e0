package io.orrery.gateway.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes a JSON answer. Camel's HTTP layer copies every message header into the response, so the request's
 * headers (Authorization among them) are dropped first.
 */
final class JsonResponse {

    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private JsonResponse() {
    }

    static void send(Exchange exchange, int status, Object body) throws Exception {
        send(exchange, status, "application/json", MAPPER.writeValueAsBytes(body));
    }

    static void send(Exchange exchange, int status, String contentType, byte[] body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
    }
}
