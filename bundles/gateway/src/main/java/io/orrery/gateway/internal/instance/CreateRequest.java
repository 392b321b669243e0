package io.orrery.gateway.internal.instance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.JsonBody;
import java.util.Map;
import java.util.Set;

/**
 * The body of an instance request, {@code {key?, input, priority?}}, as REST posts it and as a Kafka record
 * carries it (beside its tenant and workflow). Every problem names the member at fault.
 *
 * @param key      the business key, or null to have one generated
 * @param input    the facts to add (JSON data)
 * @param priority 0 (lowest) to 9 (highest), 5 when not given
 */
public record CreateRequest(String key, Map<String, Object> input, int priority) {

    static final int DEFAULT_PRIORITY = 5;
    private static final Set<String> MEMBERS = Set.of("key", "input", "priority");
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() { };

    public static CreateRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("body", "expected a JSON object {\"key\"?, \"input\", \"priority\"?}");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!MEMBERS.contains(name)) {
                throw ApiProblem.badRequest(name, "unknown member '" + name + "'; expected key, input, priority");
            }
        });
        return new CreateRequest(key(body.get("key")), input(body.get("input")), priority(body.get("priority")));
    }

    private static String key(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiProblem.badRequest("key", "expected a string, got " + node.getNodeType().name().toLowerCase());
        }
        if (!Names.isKey(node.textValue())) {
            throw ApiProblem.badRequest("key", "must be 1 to 200 characters: letters, digits and ._:@=+~- , "
                    + "starting with a letter or digit");
        }
        return node.textValue();
    }

    private static Map<String, Object> input(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiProblem.badRequest("input", "required: a JSON object with the workflow's input fields");
        }
        if (!node.isObject()) {
            throw ApiProblem.badRequest("input", "expected a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        node.fields().forEachRemaining(member -> {
            if (beyondADouble(member.getValue())) {
                String field = "input." + ApiProblem.printable(member.getKey());
                throw ApiProblem.badRequest(field, field + ": number out of range: a double holds -1.8e308 to 1.8e308");
            }
        });
        return JsonBody.MAPPER.convertValue(node, JSON_OBJECT);
    }

    /**
     * Whether the value is or holds a number beyond a double's range, which Jackson reads as infinity: the engine's
     * type check fails on infinity without naming the field (Integer, Long, BigDecimal) or keeps it (Double, Map).
     */
    private static boolean beyondADouble(JsonNode value) {
        if (value.isDouble()) {
            return !Double.isFinite(value.doubleValue());
        }
        for (JsonNode child : value) {
            if (beyondADouble(child)) {
                return true;
            }
        }
        return false;
    }

    private static int priority(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT_PRIORITY;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0 || node.intValue() > 9) {
            throw ApiProblem.badRequest("priority", "expected an integer from 0 to 9, got " + clip(node.toString()));
        }
        return node.intValue();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
