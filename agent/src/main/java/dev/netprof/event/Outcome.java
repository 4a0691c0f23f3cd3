package dev.netprof.event;

import java.io.EOFException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

/** How an operation ended. The numbers are written into events.nprof: append, never renumber. */
public final class Outcome {
    public static final int OK = 0;
    public static final int EOF = 1;
    public static final int TIMEOUT = 2;
    public static final int RESET = 3;
    public static final int REFUSED = 4;
    public static final int UNREACHABLE = 5;
    public static final int BROKEN_PIPE = 6;
    public static final int CLOSED = 7;
    public static final int ERROR = 8;
    /** A non-blocking connect that has started but not finished. */
    public static final int PENDING = 9;

    private static final String[] NAMES = {
        "ok", "eof", "timeout", "reset", "refused", "unreachable", "broken-pipe", "closed", "other", "pending"
    };

    public static String name(int outcome) {
        return outcome >= 0 && outcome < NAMES.length ? NAMES[outcome] : "outcome-" + outcome;
    }

    public static boolean isError(int outcome) {
        return outcome >= TIMEOUT && outcome <= ERROR;
    }

    /** Classifies a failure by type first and by the JDK's fixed messages second. Off the hot path. */
    public static int of(Throwable t) {
        if (t instanceof SocketTimeoutException) return TIMEOUT;
        if (t instanceof NoRouteToHostException || t instanceof PortUnreachableException) return UNREACHABLE;
        if (t instanceof ClosedChannelException || t instanceof AsynchronousCloseException) return CLOSED;
        if (t instanceof EOFException) return EOF;
        String m = t.getMessage();
        if (m != null) {
            if (m.contains("refused")) return REFUSED;
            if (m.contains("reset")) return RESET;
            if (m.contains("Broken pipe")) return BROKEN_PIPE;
            if (m.contains("unreachable")) return UNREACHABLE;
            if (m.contains("timed out")) return TIMEOUT;
            if (m.equals("Socket closed") || m.equals("Socket is closed")) return CLOSED;
        }
        return ERROR;
    }

    /**
     * How an exchange or a lookup ended: {@link #OK} without a throwable, else as {@link #of}, but an EOFException is
     * an error like any other there (OkHttp's "\n not found" on a stale keep-alive connection). Only a socket's read
     * reaches an end of stream as such.
     */
    public static int ofExchange(Throwable thrown) {
        if (thrown == null) {
            return OK;
        }
        int outcome = of(thrown);
        return outcome == EOF ? ERROR : outcome;
    }

    private Outcome() {
    }
}
