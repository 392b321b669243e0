package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * What a consumer does with one delivery: ack, nack (with a delay), reject, or extend its lease.
 *
 * @param micros the nack delay or the new lease length
 */
public record Settlement(Kind kind, String id, String token, long micros, String reason) {

    public enum Kind { ACK, NACK, REJECT, EXTEND }

    public static Settlement ack(String id, String token) {
        return new Settlement(Kind.ACK, id, token, 0, null);
    }

    void write(ObjectDataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeString(id);
        out.writeString(token);
        out.writeLong(micros);
        out.writeString(reason);
    }

    static Settlement read(ObjectDataInput in) throws IOException {
        return new Settlement(Kind.values()[in.readByte()], in.readString(), in.readString(), in.readLong(),
                in.readString());
    }
}
