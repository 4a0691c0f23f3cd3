package dev.netprof.flush;

/**
 * The layout of {@code events.nprof}; docs/event-log.md describes it for other readers.
 *
 * <p>A file is {@link #MAGIC}, a big-endian u16 major version, then blocks: {@code u8 type, u32 length, payload}.
 * Numbers inside payloads are unsigned LEB128 varints (signed ones zigzag-encoded); strings are a varint of
 * (UTF-8 length + 1), 0 meaning null, then the bytes. A reader skips block types it does not know, and stops at a
 * block that runs past the end of the file (the last, torn block of a killed process).
 */
public final class LogFormat {
    public static final byte[] MAGIC = {'N', 'P', 'R', 'O', 'F', 0, '\r', '\n'};
    public static final int VERSION = 2;

    /** pid, startedNs, startedEpochMs, netprof version, options, JVM. */
    public static final int HEADER = 1;
    /** javaId, osTid, name. */
    public static final int THREAD = 2;
    /** id, api, role, flags, openedNs, local, remote, remoteHost, stackId. */
    public static final int CONNECTION = 3;
    /** id, frame count, frames. */
    public static final int STACK = 4;
    /** id, value. */
    public static final int STRING = 5;
    /**
     * osTid, Java thread, count (fixed big-endian u32), then per event: op (u8), flags (u8: the outcome in the low
     * four bits, then {@link #EVENT_THREAD}, {@link #EVENT_REF}, {@link #EVENT_STACK}), start (zigzag delta from the
     * previous event's start in this block, the first from 0), duration, connection, bytes, then the fields the
     * flags announce: thread, ref, stack. Most events are their block's thread's, with neither ref nor stack, so
     * they cost the flusher four varints.
     */
    public static final int EVENTS = 6;
    public static final int EVENT_OUTCOME_MASK = 0x0F;
    /** The event is another thread's than its block's (a virtual thread on a carrier, a completion). */
    public static final int EVENT_THREAD = 0x10;
    public static final int EVENT_REF = 0x20;
    public static final int EVENT_STACK = 0x40;
    /** atNs, dropped events, dropped definitions: written with every flush, the last one wins. */
    public static final int STATUS = 7;
    /** stoppedNs: present only when the recording stopped cleanly. */
    public static final int END = 8;
    /**
     * count, then per entry: connection, op, operations, bytes, durationNs. Successful operations faster than
     * {@code threshold=} and without a sampled stack are summed here instead of written one by one; totals per
     * connection stay exact.
     */
    public static final int AGGREGATE = 9;
    /** kind, text: facts about the recording itself, e.g. "instrumented" with a JDK type name. */
    public static final int NOTE = 10;
    /** connection, atNs: the socket was garbage collected without the application closing it (a leak). */
    public static final int LEAK = 11;
    /**
     * atNs, socket count, then per socket: u8 transport (0 tcp, 1 udp), local, remote, u8 state (the kernel's TCP
     * state number), send queue, receive queue, u8 timer, retransmits, drops; then counter count and per counter:
     * name, value. The kernel's view of this process's sockets and of the namespace's TCP counters.
     */
    public static final int KERNEL = 12;
    /**
     * connection, local, remote, u8 role, protocol, cipherSuite, offered ALPN count and names, alpn, sni, peer
     * subject, peer notAfter (epoch ms, 0 unknown), u8 flags (1 resumed, 2 renegotiation, 4 ok), startNs,
     * durationNs, error, thread: one TLS handshake.
     */
    public static final int TLS = 13;
    /**
     * client, method, uri, status, version, startNs, durationNs, requestBytes + 1, responseBytes + 1 (0 unknown),
     * connection, local, remote, error, thread: one HTTP exchange.
     */
    public static final int HTTP = 14;
    /** host, startNs, durationNs, addresses, u8 cached, error, thread: one host name lookup. */
    public static final int DNS = 15;
    /** A DNS block's flags. */
    public static final int DNS_CACHED = 1, DNS_REVERSE = 2;

    public static final int FLAG_UNKNOWN_OPEN = 1;
    public static final int FLAG_ESTABLISHED = 2;

    private LogFormat() {
    }
}
