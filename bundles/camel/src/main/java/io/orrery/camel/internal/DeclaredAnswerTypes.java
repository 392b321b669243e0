package io.orrery.camel.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's OpenAPI document with each answer under the media type its REST definition declares: the generator
 * lists every answer of an operation under the operation's {@code produces} ({@code application/json}) and ignores
 * a response message's own {@code contentType}, so problem answers ({@code application/problem+json}) came out as
 * plain JSON. Found in the registry by the {@code rest-api} endpoint, it wraps the generator's processor and moves
 * the answers of every operation (known by its id) whose declared type differs.
 */
final class DeclaredAnswerTypes implements RestApiProcessorFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestApiProcessorFactory generator = new OpenApiRestApiProcessorFactory();

    @Override
    public Processor createApiProcessor(CamelContext camel, String contextPath, RestConfiguration configuration,
                                        Map<String, Object> parameters) throws Exception {
        return new Retyping(camel, generator.createApiProcessor(camel, contextPath, configuration, parameters));
    }

    /** The generator's processor, a service the {@code rest-api} producer starts and stops through this one. */
    private static final class Retyping extends ServiceSupport implements Processor {

        private final CamelContext camel;
        private final Processor document;

        Retyping(CamelContext camel, Processor document) {
            this.camel = camel;
            this.document = document;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            document.process(exchange);
            retype(exchange, declared(camel));
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(document);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(document);
        }
    }

    /** Operation id to answer code to the media type its definition declares. */
    static Map<String, Map<String, String>> declared(CamelContext camel) {
        Map<String, Map<String, String>> types = new HashMap<>();
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return types;
        }
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                if (verb.getId() == null || verb.getResponseMsgs() == null) {
                    continue;
                }
                for (ResponseMessageDefinition answer : verb.getResponseMsgs()) {
                    if (answer.getContentType() != null && !answer.getContentType().isBlank()) {
                        types.computeIfAbsent(verb.getId(), id -> new HashMap<>())
                                .put(answer.getCode(), answer.getContentType());
                    }
                }
            }
        }
        return types;
    }

    private static void retype(Exchange exchange, Map<String, Map<String, String>> declared) throws IOException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0 || body[0] != '{') {
            return; // not the JSON document (YAML, or an error of the generator's): left as it is
        }
        JsonNode document = JSON.readTree(body);
        boolean changed = false;
        for (JsonNode path : document.path("paths")) {
            for (JsonNode operation : path) {
                Map<String, String> types = declared.get(operation.path("operationId").asText(""));
                if (types != null && operation.path("responses") instanceof ObjectNode responses) {
                    changed |= retype(responses, types);
                }
            }
        }
        if (changed) {
            exchange.getMessage().setBody(JSON.writeValueAsBytes(document));
            exchange.getMessage().removeHeader(Exchange.CONTENT_LENGTH);
        }
    }

    private static boolean retype(ObjectNode responses, Map<String, String> types) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> answer = it.next();
            String type = types.get(answer.getKey());
            if (type != null && answer.getValue().path("content") instanceof ObjectNode content
                    && content.size() == 1 && !content.has(type)) {
                JsonNode media = content.elements().next();
                content.removeAll();
                content.set(type, media);
                changed = true;
            }
        }
        return changed;
    }
}
