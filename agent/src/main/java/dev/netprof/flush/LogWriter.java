package dev.netprof.flush;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Encodes blocks into memory and appends them to {@code events.nprof}. Flusher thread only.
 *
 * <p>Blocks are assembled in a growable byte array and reach the file only whole, in one write per flush, so a
 * killed process leaves at most one torn block at the end.
 */
final class LogWriter implements AutoCloseable {
    private final FileChannel file;
    private byte[] buf = new byte[1 << 20];
    private int pos;
    private int blockStart = -1;

    LogWriter(Path path) throws IOException {
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        ensure(LogFormat.MAGIC.length + 2);
        System.arraycopy(LogFormat.MAGIC, 0, buf, 0, LogFormat.MAGIC.length);
        pos = LogFormat.MAGIC.length;
        buf[pos++] = (byte) (LogFormat.VERSION >>> 8);
        buf[pos++] = (byte) LogFormat.VERSION;
    }

    void begin(int type) {
        ensure(5);
        blockStart = pos;
        buf[pos] = (byte) type;
        pos += 5;
    }

    void end() {
        int len = pos - blockStart - 5;
        buf[blockStart + 1] = (byte) (len >>> 24);
        buf[blockStart + 2] = (byte) (len >>> 16);
        buf[blockStart + 3] = (byte) (len >>> 8);
        buf[blockStart + 4] = (byte) len;
        blockStart = -1;
    }

    /** Forgets a block begun and never ended, so that the blocks written after it are read as theirs. */
    void dropOpenBlock() {
        if (blockStart >= 0) {
            pos = blockStart;
            blockStart = -1;
        }
    }

    void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void varint(long v) {
        ensure(10);
        pos = varint(buf, pos, v);
    }

    /**
     * Room for {@code n} more bytes, at {@link #position()} of the array returned. The flusher's per-event path
     * encodes a whole block's events into it with {@link #varint(byte[], int, long)} and a position of its own, and
     * sets {@link #position(int)} once: a room check per event and a field update per field had cost 4-6 of the
     * flusher's 28 ns per event.
     */
    byte[] room(int n) {
        ensure(n);
        return buf;
    }

    int position() {
        return pos;
    }

    void position(int p) {
        pos = p;
    }

    /** Writes {@code v} as a varint at {@code p}; returns the position after it. */
    static int varint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    void string(String s) {
        if (s == null) {
            varint(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length + 1L);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, pos, utf8.length);
        pos += utf8.length;
    }

    /** Reserves a fixed 4-byte count to be filled in by {@link #fillCount} once it is known. */
    int reserveCount() {
        ensure(4);
        int at = pos;
        pos += 4;
        return at;
    }

    void fillCount(int at, int count) {
        buf[at] = (byte) (count >>> 24);
        buf[at + 1] = (byte) (count >>> 16);
        buf[at + 2] = (byte) (count >>> 8);
        buf[at + 3] = (byte) count;
    }

    /** Bytes encoded but not yet written. */
    int pending() {
        return pos;
    }

    /** Writes every complete block to the file. */
    void flush() throws IOException {
        if (pos == 0) {
            return;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, pos);
        while (bb.hasRemaining()) {
            file.write(bb);
        }
        pos = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            file.close();
        }
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}
