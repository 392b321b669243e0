package io.orrery.viewinghistory.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orrery.viewinghistory.internal.event.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.TreeMap;

/**
 * What the grid knows of one playback session: its events by {@code seq} (a repeated {@code seq} is a duplicate
 * and dropped), whether it is closed, when it last changed, and which of its versions the store already holds.
 * Kept in Hazelcast as JSON text, so members need none of Orrery's classes to hold or migrate it.
 */
public final class SessionState {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event as the session keeps it. */
    public record Step(long seq, EventType type, long positionMs, long clientTs, String userId, String titleId,
                       String device) {
    }

    private final TreeMap<Long, Step> steps = new TreeMap<>();
    private boolean closed;
    private long lastChange;
    private long version;
    private long written;

    public static SessionState parse(String json) {
        SessionState state = new SessionState();
        if (json == null) {
            return state;
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            state.closed = node.path("closed").asBoolean();
            state.lastChange = node.path("last").asLong();
            state.version = node.path("v").asLong();
            state.written = node.path("w").asLong();
            for (JsonNode s : node.path("steps")) {
                Step step = new Step(s.get(0).asLong(), EventType.valueOf(s.get(1).asText()), s.get(2).asLong(),
                        s.get(3).asLong(), s.get(4).asText(), s.get(5).asText(), s.get(6).asText());
                state.steps.put(step.seq(), step);
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("closed", closed).put("last", lastChange).put("v", version).put("w", written);
        ArrayNode array = node.putArray("steps");
        for (Step s : steps.values()) {
            array.addArray().add(s.seq()).add(s.type().name()).add(s.positionMs()).add(s.clientTs()).add(s.userId())
                    .add(s.titleId()).add(s.device());
        }
        return node.toString();
    }

    /** Adds the step unless its {@code seq} is already known; whether it was new. */
    boolean add(Step step, long now) {
        if (steps.putIfAbsent(step.seq(), step) != null) {
            return false;
        }
        if (step.type() == EventType.STOP) {
            closed = true;
        }
        lastChange = now;
        version++;
        return true;
    }

    /** Closes an open session that has been idle since before {@code cutoff}; whether it did. */
    boolean closeIfIdle(long cutoff) {
        if (closed || steps.isEmpty() || lastChange >= cutoff) {
            return false;
        }
        closed = true;
        version++;
        return true;
    }

    void markWritten(long writtenVersion) {
        written = Math.max(written, writtenVersion);
    }

    /** Closed, with a version the store does not hold yet. */
    public boolean needsWrite() {
        return closed && written < version;
    }

    public Collection<Step> steps() {
        return steps.values();
    }

    public boolean closed() {
        return closed;
    }

    public long version() {
        return version;
    }

    public long lastChange() {
        return lastChange;
    }
}
