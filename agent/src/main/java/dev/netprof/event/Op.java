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
    /** Selector.select*: bytes is the number of keys that were ready. */
    public static final int SELECT = 11;

    private static final String[] NAMES = {
        "?", "connect", "finish-connect", "accept", "read", "write", "send", "receive",
        "shutdown-input", "shutdown-output", "close", "select"
    };

    public static String name(int op) {
        return op > 0 && op < NAMES.length ? NAMES[op] : "op-" + op;
    }

    /** Ops that move payload bytes; the others carry a byte count of zero. */
    public static boolean isTransfer(int op) {
        return op == READ || op == WRITE || op == SEND || op == RECEIVE;
    }

    public static boolean isInbound(int op) {
        return op == READ || op == RECEIVE;
    }

    private Op() {
    }
}
