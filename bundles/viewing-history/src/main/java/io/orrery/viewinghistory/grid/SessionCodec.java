package io.orrery.viewinghistory.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.viewinghistory.internal.event.EventType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A session's state as the grid keeps it: compact bytes, read and written in one pass, so an append costs no JSON
 * tree. The first byte is the format ({@link #FORMAT}); a value of another format is refused by name rather than
 * misread. The JSON text of the first releases is still read, so sessions written by an older member go on.
 *
 * <p>Format 1: closed (boolean), last change, version, written version (longs), the step count (int), then each
 * step: seq, type code, position, client timestamp (long, byte, long, long), a byte of flags saying which of user,
 * title and device follow (those not flagged repeat the previous step's), and the flagged strings.
 */
public final class SessionCodec {

    /** The format byte of the bytes this class writes. */
    public static final byte FORMAT = 1;
    /** Type codes by position: fixed here, so reordering {@link EventType} never changes what stored bytes mean. */
    private static final EventType[] TYPES = {EventType.START, EventType.HEARTBEAT, EventType.PAUSE, EventType.RESUME,
            EventType.SEEK, EventType.STOP};
    /** Where the closed flag and the last change sit: after the format byte, then after the flag. */
    private static final int CLOSED_AT = 1;
    private static final int LAST_CHANGE_AT = CLOSED_AT + 1;
    /** Where the version sits: after the last change. */
    private static final int VERSION_AT = LAST_CHANGE_AT + Long.BYTES;
    /** Where the written version sits: after the format byte, closed, last change and version. */
    private static final int WRITTEN_AT = VERSION_AT + Long.BYTES;
    /** Where the step count sits: after the written version. */
    private static final int STEP_COUNT_AT = WRITTEN_AT + Long.BYTES;
    private static final int USER = 1;
    private static final int TITLE = 2;
    private static final int DEVICE = 4;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SessionCodec() {
    }

    /** The state held in the grid: null (a new session), bytes of a known format, or the older JSON text. */
    public static SessionState read(Object value) {
        if (value == null) {
            return new SessionState();
        }
        if (value instanceof byte[] bytes) {
            return readBytes(bytes);
        }
        if (value instanceof String json) {
            return readJson(json);
        }
        throw new IllegalArgumentException("session state: expected bytes or JSON text, got " + value.getClass());
    }

    public static byte[] write(SessionState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + state.steps().size() * 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeBoolean(state.closed());
            out.writeLong(state.lastChange());
            out.writeLong(state.version());
            out.writeLong(state.writtenVersion());
            writeSteps(out, state.steps());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by an in-memory stream
        }
        return bytes.toByteArray();
    }

    /**
     * The state with its written version raised to {@code version}, patched in place of a copy without reading
     * the steps; the same array when it already says so.
     */
    public static byte[] withWritten(byte[] state, long version) {
        if (state.length < WRITTEN_AT + Long.BYTES || state[0] != FORMAT) {
            throw new IllegalArgumentException("session state: not format " + FORMAT + " or cut short ("
                    + state.length + " bytes)");
        }
        if (ByteBuffer.wrap(state).getLong(WRITTEN_AT) >= version) {
            return state;
        }
        byte[] copy = state.clone();
        ByteBuffer.wrap(copy).putLong(WRITTEN_AT, version);
        return copy;
    }

    /**
     * When the idle sweep first has something to do with a state ({@link SweepDue}): its last change when it is open
     * with steps, or closed with a version the store does not hold (the sweep acts once the cutoff passes it); never
     * ({@link Long#MAX_VALUE}) when it is settled or holds no steps; always ({@link Long#MIN_VALUE}) when it is not
     * bytes of this format, so the sweep reads it in full and decides. From the fixed header alone; never throws, as
     * the grid calls it on every write of a state.
     */
    public static long sweepDue(Object value) {
        if (!(value instanceof byte[] state) || state.length < STEP_COUNT_AT + Integer.BYTES || state[0] != FORMAT) {
            return Long.MIN_VALUE;
        }
        ByteBuffer header = ByteBuffer.wrap(state);
        boolean due = state[CLOSED_AT] == 0 ? header.getInt(STEP_COUNT_AT) > 0
                : header.getLong(WRITTEN_AT) < header.getLong(VERSION_AT);
        return due ? header.getLong(LAST_CHANGE_AT) : Long.MAX_VALUE;
    }

    /**
     * Whether a state in this format is open, holds steps and last changed before {@code cutoff}: what
     * {@link SessionState#closeIfIdle} needs, read from the fixed header alone, so the idle sweep reads no steps of
     * the sessions it leaves alone (nearly all of them). Bytes of another format or cut short answer true, so the
     * caller reads them in full and fails by name.
     */
    public static boolean openAndIdle(byte[] state, long cutoff) {
        if (state.length < STEP_COUNT_AT + Integer.BYTES || state[0] != FORMAT) {
            return true;
        }
        ByteBuffer header = ByteBuffer.wrap(state);
        return state[CLOSED_AT] == 0 && header.getInt(STEP_COUNT_AT) > 0 && header.getLong(LAST_CHANGE_AT) < cutoff;
    }

    /**
     * Whether a state in this format is closed, with a version the store does not hold, and last changed before
     * {@code cutoff}: a session whose write failed or was cut short after it closed, which the idle sweep hands out
     * again, from the fixed header alone. Bytes of another format or cut short answer true, as {@link #openAndIdle}.
     */
    public static boolean closedUnwrittenAndIdle(byte[] state, long cutoff) {
        if (state.length < STEP_COUNT_AT + Integer.BYTES || state[0] != FORMAT) {
            return true;
        }
        ByteBuffer header = ByteBuffer.wrap(state);
        return state[CLOSED_AT] != 0 && header.getLong(WRITTEN_AT) < header.getLong(VERSION_AT)
                && header.getLong(LAST_CHANGE_AT) < cutoff;
    }

    /**
     * Whether the store holds everything the grid knows of a session: no state (never seen, or past its retention),
     * or closed with its version written. From the fixed header alone; the older JSON text is read in full. A state
     * this member cannot read is not settled: the members that can read it write it.
     */
    public static boolean settled(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof byte[] state && state.length >= STEP_COUNT_AT && state[0] == FORMAT) {
            ByteBuffer header = ByteBuffer.wrap(state);
            return state[CLOSED_AT] != 0 && header.getLong(WRITTEN_AT) >= header.getLong(VERSION_AT);
        }
        try {
            SessionState state = read(value);
            return state.closed() && !state.needsWrite();
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /** Steps alone, in the format's step layout (what an append carries to the member). */
    public static byte[] writeSteps(Collection<SessionState.Step> steps) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + steps.size() * 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeSteps(out, steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<SessionState.Step> readSteps(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return readSteps(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("session steps: truncated or corrupt (" + e + ")", e);
        }
    }

    private static SessionState readBytes(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new IllegalArgumentException("session state: unknown format "
                    + (bytes.length == 0 ? "(empty)" : String.valueOf(bytes[0])) + ", this member reads " + FORMAT);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            SessionState state = new SessionState();
            state.restore(in.readBoolean(), in.readLong(), in.readLong(), in.readLong());
            for (SessionState.Step step : readSteps(in)) {
                state.restoreStep(step);
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("session state: truncated or corrupt (" + e + ")", e);
        }
    }

    private static void writeSteps(DataOutputStream out, Collection<SessionState.Step> steps) throws IOException {
        out.writeInt(steps.size());
        SessionState.Step previous = null;
        for (SessionState.Step s : steps) {
            out.writeLong(s.seq());
            out.writeByte(code(s.type()));
            out.writeLong(s.positionMs());
            out.writeLong(s.clientTs());
            int flags = (previous == null || !previous.userId().equals(s.userId()) ? USER : 0)
                    | (previous == null || !previous.titleId().equals(s.titleId()) ? TITLE : 0)
                    | (previous == null || !previous.device().equals(s.device()) ? DEVICE : 0);
            out.writeByte(flags);
            if ((flags & USER) != 0) {
                out.writeUTF(s.userId());
            }
            if ((flags & TITLE) != 0) {
                out.writeUTF(s.titleId());
            }
            if ((flags & DEVICE) != 0) {
                out.writeUTF(s.device());
            }
            previous = s;
        }
    }

    private static List<SessionState.Step> readSteps(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative step count " + count);
        }
        List<SessionState.Step> steps = new ArrayList<>(Math.min(count, 1024));
        SessionState.Step previous = null;
        for (int i = 0; i < count; i++) {
            long seq = in.readLong();
            EventType type = type(in.readByte());
            long position = in.readLong();
            long clientTs = in.readLong();
            int flags = in.readUnsignedByte();
            if (previous == null && flags != (USER | TITLE | DEVICE)) {
                throw new IOException("the first step must carry user, title and device");
            }
            String user = (flags & USER) != 0 ? in.readUTF() : previous.userId();
            String title = (flags & TITLE) != 0 ? in.readUTF() : previous.titleId();
            String device = (flags & DEVICE) != 0 ? in.readUTF() : previous.device();
            previous = new SessionState.Step(seq, type, position, clientTs, user, title, device);
            steps.add(previous);
        }
        return steps;
    }

    private static int code(EventType type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("event type without a code: " + type);
    }

    private static EventType type(byte code) throws IOException {
        if (code < 0 || code >= TYPES.length) {
            throw new IOException("unknown event type code " + code);
        }
        return TYPES[code];
    }

    /** The JSON text kept by the first releases. */
    private static SessionState readJson(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            SessionState state = new SessionState();
            state.restore(node.path("closed").asBoolean(), node.path("last").asLong(), node.path("v").asLong(),
                    node.path("w").asLong());
            for (JsonNode s : node.path("steps")) {
                state.restoreStep(new SessionState.Step(s.get(0).asLong(), EventType.valueOf(s.get(1).asText()),
                        s.get(2).asLong(), s.get(3).asLong(), s.get(4).asText(), s.get(5).asText(),
                        s.get(6).asText()));
            }
            return state;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("session state: unreadable JSON (" + e.getMessage() + ")", e);
        }
    }
}
