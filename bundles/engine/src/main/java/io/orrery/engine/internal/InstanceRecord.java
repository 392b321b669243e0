package io.orrery.engine.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine keeps about one instance, stored as JSON (see {@link InstanceCodec}) so the map holding
 * it never needs a tenant's classes. Mutable: an event loads a fresh copy, changes it and saves it back with a
 * compare-and-set on {@link #revision}.
 */
public final class InstanceRecord {

    public String tenant;
    public String workflow;
    public String key;
    /** The workflow version that last evaluated this instance. */
    public int version;
    public InstanceStatus status = InstanceStatus.IDLE;
    public Map<String, Object> input = new LinkedHashMap<>();
    public Map<String, Object> state = new LinkedHashMap<>();
    /** What complete() published last; null before. */
    public Map<String, Object> output;
    public String failure;
    public int priority = 5;
    public String traceId;
    public long createdAt;
    public long updatedAt;
    /** Incremented by every save; the compare-and-set token. */
    public long revision;
    /** Last call id handed out; ids are never reused, which is what makes a duplicate result detectable. */
    public long callSeq;
    /**
     * The restore from the store this record came back in last, at least that restore's generation: a restore may take
     * {@link #callSeq} back to a value already handed out (the last saves before the crash were not written), so call
     * ids carry the epoch too.
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public int epoch;
    public Map<String, Pending> pending = new LinkedHashMap<>();
    /** Per rule, the fact keys its match read last time (dependency tracking). */
    public Map<String, List<String>> reads = new HashMap<>();
    /** Per rule, the fingerprint of the rule version whose reads are recorded. */
    public Map<String, String> fingerprints = new HashMap<>();
    /** Loop guard: firings per rule since the last external event (request, deploy, retry). */
    public Map<String, Integer> episode = new HashMap<>();
    public List<FiringEntry> firings = new ArrayList<>();
    /** Parents waiting for this instance's output. */
    public List<Waiter> waiters = new ArrayList<>();
    /** Results that arrived while FAILED, applied on retry. */
    public List<Parked> parked = new ArrayList<>();
    /** The stored form this copy was loaded from (not serialized): the compare-and-set token for byte-valued maps. */
    byte[] loaded;

    /** The stored bytes this record was decoded from, or null for a new record. */
    public byte[] loadedBytes() {
        return loaded;
    }

    public void loadedBytes(byte[] bytes) {
        this.loaded = bytes;
    }

    /**
     * A call id not handed out before. The epoch grows with every restore from the store, which may take
     * {@link #callSeq} back to an older value: an id is never handed out twice, so a stale result of a call made
     * before a crash cannot settle a new call.
     */
    public String nextCallId() {
        return epoch == 0 ? "c" + (++callSeq) : "c" + (++callSeq) + "." + epoch;
    }

    public InstanceId id() {
        return new InstanceId(tenant, workflow, key);
    }

    boolean hasPending(String rule) {
        for (Pending p : pending.values()) {
            if (p.rule().equals(rule)) {
                return true;
            }
        }
        return false;
    }

    /** A call that went out. Durations in milliseconds, 0 for the engine's default. */
    public record Pending(String rule, CallKind kind, String target, Map<String, Object> args, String key,
                          int priority, long timeoutMs, int retries, String exclusive, long delayMs, long madeAt) {
    }

    public record FiringEntry(String rule, FiringKind kind, int version, long at, int calls, String callKey) {
    }

    public record Waiter(String tenant, String workflow, String key, String callId) {
        InstanceId instance() {
            return new InstanceId(tenant, workflow, key);
        }
    }

    public record Parked(String callId, Map<String, Object> result, String error, int attempts) {
    }
}
