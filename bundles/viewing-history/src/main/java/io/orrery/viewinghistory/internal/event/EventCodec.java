package io.orrery.viewinghistory.internal.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads playback events from JSON, checking every member (unknown members are refused, so a typo is not silently
 * ignored), and writes them back in the one canonical form that goes to Kafka.
 */
public final class EventCodec {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("eventId", "sessionId", "userId", "titleId", "type", "seq",
            "positionMs", "clientTs", "device", "critical");
    /** Identifiers: printable, no spaces, safe as map keys, log values and URL segments. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final int MAX_TEXT = 256;

    private EventCodec() {
    }

    /** One event from bytes (a Kafka record, a request body); a fault gets an error naming the member. */
    public static PlaybackEvent parse(byte[] json) {
        PlaybackEvent valid = CanonicalEventReader.read(json);
        if (valid == null) {
            valid = StreamingEventReader.read(json);
        }
        if (valid != null) {
            return valid;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException("body", "malformed JSON: " + firstLine(e));
        }
        return read(node);
    }

    /** One event from a JSON node (an element of a batch, or the whole body). */
    public static PlaybackEvent read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("event", "expected a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new InvalidEventException(name, "unknown member");
            }
        }
        return new PlaybackEvent(id(node, "eventId"), id(node, "sessionId"), id(node, "userId"), id(node, "titleId"),
                type(node), number(node, "seq"), number(node, "positionMs"), number(node, "clientTs"),
                text(node, "device"), flag(node, "critical"));
    }

    public static byte[] write(PlaybackEvent e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("eventId", e.eventId()).put("sessionId", e.sessionId()).put("userId", e.userId())
                .put("titleId", e.titleId()).put("type", e.type().name()).put("seq", e.seq())
                .put("positionMs", e.positionMs()).put("clientTs", e.clientTs()).put("device", e.device())
                .put("critical", e.critical());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String id(JsonNode node, String field) {
        String value = text(node, field);
        if (!ID.matcher(value).matches()) {
            throw new InvalidEventException(field, "must be 1 to 128 letters, digits or . _ : @ -");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException(field, "required");
        }
        if (!value.isTextual() || !isPlainText(value.asText())) {
            throw new InvalidEventException(field, "must be a non-empty string of at most " + MAX_TEXT
                    + " characters, without control characters");
        }
        return value.asText();
    }

    /**
     * Text fit for the store and the logs: not blank, at most {@link #MAX_TEXT} long, no control characters (PostgreSQL
     * stores no NUL: an event holding one, once accepted, could never be written).
     */
    static boolean isPlainText(String text) {
        if (text.length() > MAX_TEXT || text.isBlank()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException(field, "required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new InvalidEventException(field, "must be a non-negative integer");
        }
        return value.asLong();
    }

    private static EventType type(JsonNode node) {
        String value = text(node, "type");
        try {
            return EventType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("type", "must be one of START, HEARTBEAT, PAUSE, RESUME, SEEK, STOP");
        }
    }

    private static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidEventException(field, "must be true or false");
        }
        return value.booleanValue();
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
