package dev.netprof.render;

import dev.netprof.flush.LogFormat;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams an events.nprof file into a {@link LogVisitor}. Memory use is one block, whatever the file's size.
 *
 * <p>A last block cut short (the process was killed while writing) ends the read quietly and is reported by
 * {@link #torn()}; anything that is not a netprof log, or a newer major version, is a {@link LogException}.
 */
public final class LogReader {
    private boolean torn;
    private long bytesRead;
    private byte[] block = new byte[1 << 16];
    private int pos;
    private int limit;
    /**
     * One copy of each string the log repeats: every HTTP exchange record carries its client, method, URI and
     * version, and a busy client's 838 k exchanges held 3.2 M copies of a handful of strings (~170 MB). Bounded: past
     * {@link #DISTINCT_STRINGS} the rest are kept as read.
     */
    private final Map<String, String> distinct = new HashMap<>();
    private static final int DISTINCT_STRINGS = 1 << 16;

    /** A file netprof cannot read, with a message fit for one line on stderr. */
    public static final class LogException extends IOException {
        public LogException(String message) {
            super(message);
        }
    }

    public boolean torn() {
        return torn;
    }

    public void read(Path file, LogVisitor v) throws IOException {
        read(file, v, Long.MAX_VALUE);
    }

    /** The bytes of the whole blocks read: where a log that is still being written ended for this reader. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Reads the blocks in the first {@code upTo} bytes: a second pass over a log that is still being written (a
     * dump) sees what the first one saw, so that both count the same operations.
     */
    public void read(Path file, LogVisitor v, long upTo) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] magic = in.readNBytes(LogFormat.MAGIC.length + 2);
            if (magic.length < LogFormat.MAGIC.length + 2
                || !Arrays.equals(magic, 0, LogFormat.MAGIC.length, LogFormat.MAGIC, 0, LogFormat.MAGIC.length)) {
                throw new LogException(file + " is not a netprof event log");
            }
            int version = ((magic[LogFormat.MAGIC.length] & 0xFF) << 8) | (magic[LogFormat.MAGIC.length + 1] & 0xFF);
            if (version > LogFormat.VERSION) {
                throw new LogException(file + " has event log format " + version + "; this netprof reads up to "
                    + LogFormat.VERSION + ": use a newer netprof");
            }
            bytesRead = magic.length;
            byte[] head = new byte[5];
            while (bytesRead < upTo) {
                int n = in.readNBytes(head, 0, 5);
                if (n == 0) {
                    return;
                }
                if (n < 5) {
                    torn = true;
                    return;
                }
                int type = head[0] & 0xFF;
                int len = ((head[1] & 0xFF) << 24) | ((head[2] & 0xFF) << 16) | ((head[3] & 0xFF) << 8) | (head[4] & 0xFF);
                if (len < 0) {
                    torn = true;
                    return;
                }
                if (block.length < len) {
                    block = new byte[Math.max(len, block.length * 2)];
                }
                if (in.readNBytes(block, 0, len) < len) {
                    torn = true;
                    return;
                }
                pos = 0;
                limit = len;
                try {
                    dispatch(type, v);
                } catch (EOFException e) {
                    throw new LogException(file + " is corrupt: a block of type " + type + " is shorter than its content");
                }
                bytesRead += 5 + len;
            }
        } catch (NoSuchFileException e) {
            throw new LogException("no such file: " + file);
        }
    }

    private void dispatch(int type, LogVisitor v) throws EOFException {
        switch (type) {
            case LogFormat.HEADER:
                v.header(varint(), varint(), varint(), string(), string(), string());
                break;
            case LogFormat.THREAD:
                v.thread(varint(), (int) varint(), string());
                break;
            case LogFormat.CONNECTION:
                v.connection(varint(), u8(), u8(), u8(), varint(), string(), string(), string(), (int) varint());
                break;
            case LogFormat.STACK: {
                int id = (int) varint();
                String[] frames = new String[(int) varint()];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = string();
                }
                v.stack(id, frames);
                break;
            }
            case LogFormat.STRING:
                v.string((int) varint(), string());
                break;
            case LogFormat.EVENTS: {
                int osTid = (int) varint();
                long blockThread = varint();
                long count = u32();
                long start = 0;
                for (long i = 0; i < count; i++) {
                    int op = u8();
                    int flags = u8();
                    start += zigzag();
                    long duration = varint(), connection = varint(), bytes = varint();
                    long thread = (flags & LogFormat.EVENT_THREAD) != 0 ? varint() : blockThread;
                    int ref = (flags & LogFormat.EVENT_REF) != 0 ? (int) varint() : 0;
                    int stack = (flags & LogFormat.EVENT_STACK) != 0 ? (int) varint() : 0;
                    v.event(osTid, op, flags & LogFormat.EVENT_OUTCOME_MASK, thread, start, duration, connection,
                        bytes, ref, stack);
                }
                break;
            }
            case LogFormat.STATUS:
                v.status(varint(), varint(), varint());
                break;
            case LogFormat.END:
                v.end(varint());
                break;
            case LogFormat.LEAK:
                v.leak(varint(), varint());
                break;
            case LogFormat.KERNEL: {
                long atNs = varint();
                List<KernelSocket> sockets = new ArrayList<>();
                for (long n = varint(); n > 0; n--) {
                    sockets.add(new KernelSocket(atNs, u8() == 1, string(), string(), u8(), varint(), varint(), u8(),
                        varint(), varint()));
                }
                Map<String, Long> counters = new LinkedHashMap<>();
                for (long n = varint(); n > 0; n--) {
                    counters.put(string(), varint());
                }
                v.kernel(atNs, sockets, counters);
                break;
            }
            case LogFormat.TLS: {
                long connection = varint();
                String local = string(), remote = string();
                int role = u8();
                String protocol = string(), cipher = string();
                List<String> offered = new ArrayList<>();
                for (long n = varint(); n > 0; n--) {
                    offered.add(string());
                }
                String alpn = string(), sni = string(), subject = string();
                long notAfter = varint();
                int flags = u8();
                v.tls(new Recording.Tls(connection, local, remote, role, protocol, cipher, offered, alpn, sni, subject,
                    notAfter, (flags & 1) != 0, (flags & 2) != 0, varint(), varint(), (flags & 4) != 0, string(),
                    varint()));
                break;
            }
            case LogFormat.HTTP:
                v.http(new Recording.Http(string(), string(), string(), (int) varint(), string(), varint(), varint(),
                    varint() - 1, varint() - 1, varint(), string(), string(), string(), varint()));
                break;
            case LogFormat.DNS:
                v.dns(dns());
                break;
            case LogFormat.NOTE:
                v.note(string(), string());
                break;
            case LogFormat.AGGREGATE: {
                long n = varint();
                for (long i = 0; i < n; i++) {
                    v.aggregate(varint(), u8(), varint(), varint(), varint());
                }
                break;
            }
            default:
                // A block type from a newer minor version: skip it.
        }
    }

    private Recording.Dns dns() throws EOFException {
        String host = string();
        long startNs = varint();
        long durationNs = varint();
        int addresses = (int) varint();
        int flags = u8();
        return new Recording.Dns(host, startNs, durationNs, addresses, (flags & LogFormat.DNS_CACHED) != 0,
            (flags & LogFormat.DNS_REVERSE) != 0, string(), varint());
    }

    private int u8() throws EOFException {
        if (pos >= limit) {
            throw new EOFException();
        }
        return block[pos++] & 0xFF;
    }

    private long u32() throws EOFException {
        return ((long) u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
    }

    private long varint() throws EOFException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new EOFException();
    }

    private long zigzag() throws EOFException {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    private String string() throws EOFException {
        int len = (int) varint() - 1;
        if (len < 0) {
            return null;
        }
        if (pos + len > limit) {
            throw new EOFException();
        }
        String s = new String(block, pos, len, StandardCharsets.UTF_8);
        pos += len;
        String known = distinct.get(s);
        if (known != null) {
            return known;
        }
        if (distinct.size() < DISTINCT_STRINGS) {
            distinct.put(s, s);
        }
        return s;
    }
}
