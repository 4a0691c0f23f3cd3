package dev.netprof.event;

/** What an event did. The numbers are written into events.nprof: append, never renumber. */
public final class Op {
    public static final int CONNECT = 1;
    public static final int FINISH_CONNECT = 2;
    public static final int ACCEPT = 3;
    public static final int READ = 4;
    public static final int WRITE = 5;
    public static final int SEND = 6;
    public static final int RECEIVE = 7;
    public static final int SHUTDOWN_INPUT = 8;
    public static final int SHUTDOWN_OUTPUT = 9;
    public static final int CLOSE = 10;
    /** Selector.select*: bytes holds how many keys were ready and how many channels stayed registered. */
    public static final int SELECT = 11;
    /** A TLS handshake on a connection; its details are in the log's TLS block. */
    public static final int TLS_HANDSHAKE = 12;
    /** An HTTP exchange (request to response); its details are in the log's HTTP block. */
    public static final int HTTP_EXCHANGE = 13;
    /** A host name lookup; its details are in the log's DNS block. */
    public static final int DNS_LOOKUP = 14;
    /** Plaintext read from a TLS connection by the application: a byte count, not a network call. */
    public static final int TLS_READ = 15;
    /** Plaintext written to a TLS connection by the application: a byte count, not a network call. */
    public static final int TLS_WRITE = 16;
    /** A TLS 1.3 KeyUpdate message sent or received on a connection: a count (bytes = 1), not a network call. */
    public static final int TLS_KEY_UPDATE = 17;

    private static final String[] NAMES = {
        "?", "connect", "finish-connect", "accept", "read", "write", "send", "receive",
        "shutdown-input", "shutdown-output", "close", "select", "tls-handshake", "http", "dns", "tls-read",
        "tls-write", "tls-key-update"
    };

    public static String name(int op) {
        return op > 0 && op < NAMES.length ? NAMES[op] : "op-" + op;
    }

    /** Ops that move payload bytes; the others carry a byte count of zero. */
    public static boolean isTransfer(int op) {
        return op == READ || op == WRITE || op == SEND || op == RECEIVE;
    }

    /**
     * Counts on TLS connections (plaintext bytes, key updates): they ride on reads and writes that are recorded
     * already, so they count, never time, and are not operations of their own in timelines, flame graphs or
     * latencies.
     */
    public static boolean isCounter(int op) {
        return op == TLS_READ || op == TLS_WRITE || op == TLS_KEY_UPDATE;
    }

    /** Operations of a layer above the socket: their time includes socket operations recorded on their own. */
    public static boolean isLayer(int op) {
        return op == TLS_HANDSHAKE || op == HTTP_EXCHANGE || op == DNS_LOOKUP;
    }

    /** A select's bytes: its ready keys, and above bit 32 the channels still registered + 1 (0: not known). */
    public static long selectCounts(int ready, int registered) {
        return Integer.toUnsignedLong(ready) | (registered + 1L) << 32;
    }

    public static int readyKeys(long selectBytes) {
        return (int) selectBytes;
    }

    /** The channels a select left registered, or -1 in a log from before netprof recorded them. */
    public static int registeredChannels(long selectBytes) {
        return (int) (selectBytes >>> 32) - 1;
    }

    public static boolean isInbound(int op) {
        return op == READ || op == RECEIVE;
    }

    private Op() {
    }
}
