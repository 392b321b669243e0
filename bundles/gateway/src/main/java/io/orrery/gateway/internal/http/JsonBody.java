package io.orrery.gateway.internal.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads request JSON strictly (duplicate members and trailing content refused; Jackson's nesting and length
 * limits apply) and says where a malformed body went wrong.
 */
public final class JsonBody {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int MAX_DETAIL = 200;

    private JsonBody() {
    }

    /** The body as a JSON tree; 400 naming {@code body} when it is empty or malformed. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiProblem.badRequest("body", "a JSON body is required");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw ApiProblem.badRequest("body", "the body could not be read as JSON");
        }
    }

    private static ApiProblem malformed(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String message = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
        if (message.length() > MAX_DETAIL) {
            message = message.substring(0, MAX_DETAIL) + "...";
        }
        String position = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return ApiProblem.badRequest("body", "malformed JSON" + position + ": " + message);
    }
}
