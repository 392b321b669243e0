package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orrery's own binary form of an instance record, written on every save, so it is made to be cheap: fields in a
 * fixed order without their names, integers in variable length, names written once per record (see
 * {@link RecordOut}). A profile of the node as deployed had a quarter of the evaluation lanes' time in Jackson's
 * bean serialization of the record.
 *
 * <p>Layout: {@link #MARK}, the format version, the revision as 8 bytes (at a fixed place, for readers that need
 * only it), then the fields. A record starts with a byte that neither JSON text ({@code {}) nor Smile ({@code :})
 * starts with, so {@link InstanceCodec} still reads records stored in those forms. A field added later takes a new
 * format version; this class reads every version it ever wrote.
 */
final class InstanceFormat {

    static final int MARK = 0xC9;
    static final int VERSION = 1;

    private InstanceFormat() {
    }

    static boolean isBinary(byte[] bytes) {
        return bytes.length >= 10 && (bytes[0] & 0xFF) == MARK;
    }

    static byte[] encode(InstanceRecord r) {
        RecordOut out = new RecordOut();
        out.writeByte(MARK);
        out.writeByte(VERSION);
        out.writeFixedLong(r.revision);
        out.writeName(r.tenant);
        out.writeName(r.workflow);
        out.writeString(r.key);
        out.writeSignedLong(r.version);
        out.writeName(r.status.name());
        out.writeMap(r.input);
        out.writeMap(r.state);
        out.writeMap(r.output);
        out.writeString(r.failure);
        out.writeSignedLong(r.priority);
        out.writeString(r.traceId);
        out.writeSignedLong(r.createdAt);
        out.writeSignedLong(r.updatedAt - r.createdAt);
        out.writeSignedLong(r.callSeq);
        out.writeSignedLong(r.epoch);
        writePending(out, r.pending);
        writeRules(out, r);
        writeFirings(out, r.firings, r.createdAt);
        out.writeSize(r.waiters.size());
        for (InstanceRecord.Waiter w : r.waiters) {
            out.writeName(w.tenant());
            out.writeName(w.workflow());
            out.writeString(w.key());
            out.writeString(w.callId());
        }
        out.writeSize(r.parked.size());
        for (InstanceRecord.Parked p : r.parked) {
            out.writeString(p.callId());
            out.writeMap(p.result());
            out.writeString(p.error());
            out.writeSignedLong(p.attempts());
        }
        return out.toBytes();
    }

    static InstanceRecord decode(byte[] bytes) {
        RecordIn in = new RecordIn(bytes, 1);
        int version = in.readByte();
        if (version != VERSION) {
            throw in.corrupt("format version " + version + " (this node reads " + VERSION + ")");
        }
        InstanceRecord r = new InstanceRecord();
        r.revision = in.readFixedLong();
        r.tenant = in.readName();
        r.workflow = in.readName();
        r.key = in.readString();
        r.version = in.readInt();
        r.status = InstanceStatus.valueOf(in.readName());
        r.input = orEmpty(in.readMap());
        r.state = orEmpty(in.readMap());
        r.output = in.readMap();
        r.failure = in.readString();
        r.priority = in.readInt();
        r.traceId = in.readString();
        r.createdAt = in.readSignedLong();
        r.updatedAt = r.createdAt + in.readSignedLong();
        r.callSeq = in.readSignedLong();
        r.epoch = in.readInt();
        readPending(in, r.pending);
        readRules(in, r);
        readFirings(in, r.firings, r.createdAt);
        for (int i = in.readSize(); i > 0; i--) {
            r.waiters.add(new InstanceRecord.Waiter(in.readName(), in.readName(), in.readString(), in.readString()));
        }
        for (int i = in.readSize(); i > 0; i--) {
            r.parked.add(new InstanceRecord.Parked(in.readString(), in.readMap(), in.readString(), in.readInt()));
        }
        return r;
    }

    private static void writePending(RecordOut out, Map<String, InstanceRecord.Pending> pending) {
        out.writeSize(pending.size());
        for (Map.Entry<String, InstanceRecord.Pending> e : pending.entrySet()) {
            InstanceRecord.Pending p = e.getValue();
            out.writeString(e.getKey());
            out.writeName(p.rule());
            out.writeName(p.kind() == null ? null : p.kind().name());
            out.writeName(p.target());
            out.writeMap(p.args());
            out.writeString(p.key());
            out.writeSignedLong(p.priority());
            out.writeSignedLong(p.timeoutMs());
            out.writeSignedLong(p.retries());
            out.writeString(p.exclusive());
            out.writeSignedLong(p.delayMs());
            out.writeSignedLong(p.madeAt());
        }
    }

    private static void readPending(RecordIn in, Map<String, InstanceRecord.Pending> pending) {
        for (int i = in.readSize(); i > 0; i--) {
            String id = in.readString();
            String rule = in.readName();
            String kind = in.readName();
            pending.put(id, new InstanceRecord.Pending(rule, kind == null ? null : CallKind.valueOf(kind),
                    in.readName(), in.readMap(), in.readString(), in.readInt(), in.readSignedLong(), in.readInt(),
                    in.readString(), in.readSignedLong(), in.readSignedLong()));
        }
    }

    /** Per rule: its recorded reads, its fingerprint, its firings in this episode. */
    private static void writeRules(RecordOut out, InstanceRecord r) {
        out.writeSize(r.reads.size());
        for (Map.Entry<String, List<String>> e : r.reads.entrySet()) {
            out.writeName(e.getKey());
            out.writeSize(e.getValue().size());
            e.getValue().forEach(out::writeName);
        }
        out.writeSize(r.fingerprints.size());
        for (Map.Entry<String, String> e : r.fingerprints.entrySet()) {
            out.writeName(e.getKey());
            out.writeString(e.getValue());
        }
        out.writeSize(r.episode.size());
        for (Map.Entry<String, Integer> e : r.episode.entrySet()) {
            out.writeName(e.getKey());
            out.writeSignedLong(e.getValue());
        }
    }

    private static void readRules(RecordIn in, InstanceRecord r) {
        int n = in.readSize();
        r.reads = new HashMap<>(Math.max(4, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            String rule = in.readName();
            int k = in.readSize();
            List<String> keys = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                keys.add(in.readName());
            }
            r.reads.put(rule, keys);
        }
        for (int i = in.readSize(); i > 0; i--) {
            r.fingerprints.put(in.readName(), in.readString());
        }
        for (int i = in.readSize(); i > 0; i--) {
            r.episode.put(in.readName(), in.readInt());
        }
    }

    /** The firing log; times relative to the record's creation, so each takes a few bytes. */
    private static void writeFirings(RecordOut out, List<InstanceRecord.FiringEntry> firings, long createdAt) {
        out.writeSize(firings.size());
        for (InstanceRecord.FiringEntry f : firings) {
            out.writeName(f.rule());
            out.writeName(f.kind() == null ? null : f.kind().name());
            out.writeSignedLong(f.version());
            out.writeSignedLong(f.at() - createdAt);
            out.writeSignedLong(f.calls());
            out.writeString(f.callKey());
        }
    }

    private static void readFirings(RecordIn in, List<InstanceRecord.FiringEntry> firings, long createdAt) {
        for (int i = in.readSize(); i > 0; i--) {
            String rule = in.readName();
            String kind = in.readName();
            firings.add(new InstanceRecord.FiringEntry(rule, kind == null ? null : FiringKind.valueOf(kind),
                    in.readInt(), createdAt + in.readSignedLong(), in.readInt(), in.readString()));
        }
    }

    private static Map<String, Object> orEmpty(Map<String, Object> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }
}
