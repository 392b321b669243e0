package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One encoding of the shard's value types for two carriers: Hazelcast's object streams (entry processors, backups,
 * migrations) and plain byte arrays (operation replies). Replies travel as {@code byte[]}, which Hazelcast
 * serializes without class names or reflection and the caller decodes itself: cheaper, and the calling member never
 * needs to load a queue class through Hazelcast's class loader to read an answer.
 */
public final class Wire {

    private Wire() {
    }

    /** Where values are written. */
    public interface Out {
        void writeByte(int v) throws IOException;
        void writeBoolean(boolean v) throws IOException;
        void writeInt(int v) throws IOException;
        void writeLong(long v) throws IOException;
        void writeString(String s) throws IOException;
        void writeBytes(byte[] b) throws IOException;
    }

    /** Where values are read from, in the order they were written. */
    public interface In {
        byte readByte() throws IOException;
        boolean readBoolean() throws IOException;
        int readInt() throws IOException;
        long readLong() throws IOException;
        String readString() throws IOException;
        byte[] readBytes() throws IOException;
    }

    static Out of(ObjectDataOutput out) {
        return new Out() {
            public void writeByte(int v) throws IOException { out.writeByte(v); }
            public void writeBoolean(boolean v) throws IOException { out.writeBoolean(v); }
            public void writeInt(int v) throws IOException { out.writeInt(v); }
            public void writeLong(long v) throws IOException { out.writeLong(v); }
            public void writeString(String s) throws IOException { out.writeString(s); }
            public void writeBytes(byte[] b) throws IOException { out.writeByteArray(b); }
        };
    }

    static In of(ObjectDataInput in) {
        return new In() {
            public byte readByte() throws IOException { return in.readByte(); }
            public boolean readBoolean() throws IOException { return in.readBoolean(); }
            public int readInt() throws IOException { return in.readInt(); }
            public long readLong() throws IOException { return in.readLong(); }
            public String readString() throws IOException { return in.readString(); }
            public byte[] readBytes() throws IOException { return in.readByteArray(); }
        };
    }

    /** Something that writes itself. */
    interface Writable {
        void write(Out out) throws IOException;
    }

    /** Encodes into a byte array. */
    static byte[] toBytes(Writable w) {
        Bytes out = new Bytes();
        try {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    static In reader(byte[] bytes) {
        return new Reader(bytes);
    }

    /** A growing byte array; strings and byte arrays are length-prefixed, -1 for null. */
    private static final class Bytes implements Out {
        private byte[] buf = new byte[256];
        private int size;

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        @Override
        public void writeByte(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        @Override
        public void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        @Override
        public void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        @Override
        public void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        @Override
        public void writeString(String s) {
            writeBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void writeBytes(byte[] b) {
            if (b == null) {
                writeInt(-1);
                return;
            }
            writeInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class Reader implements In {
        private final byte[] buf;
        private int at;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        @Override
        public byte readByte() {
            return buf[at++];
        }

        @Override
        public boolean readBoolean() {
            return readByte() != 0;
        }

        @Override
        public int readInt() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (buf[at++] & 0xFF);
            }
            return v;
        }

        @Override
        public long readLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[at++] & 0xFF);
            }
            return v;
        }

        @Override
        public String readString() {
            byte[] b = readBytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] readBytes() {
            int n = readInt();
            if (n < 0) {
                return null;
            }
            byte[] b = Arrays.copyOfRange(buf, at, at + n);
            at += n;
            return b;
        }
    }
}
