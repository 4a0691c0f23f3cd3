package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which reads and writes get a Java stack (connects, accepts, closes and failures always do).
 *
 * <p>{@code sampled}: every operation that blocked at least {@code slowNs}; the first read and the first write of
 * each connection, so that every connection's bytes have a stack to be drawn under; plus one operation per
 * {@code intervalNs} across the whole JVM, whichever thread gets there first, for the other paths a long-lived
 * connection takes. The check on the read/write path is a bit test on the connection and a compare against a
 * shared, rarely written deadline; the cost of captures (a stack walk each, see {@link Stacks}) is then bounded by
 * the connections opened (which pay for a connect or accept stack anyway), {@code 1 s / intervalNs}, and the slow
 * operations, which already blocked far longer. {@code all} captures every operation: exact flame graphs, at a
 * cost per operation.
 */
public final class StackSampling {
    public static final int OFF = 0;
    public static final int SAMPLED = 1;
    public static final int ALL = 2;
    /** Reads and writes blocked this long always get a stack (unless threshold= says otherwise). */
    public static final long DEFAULT_SLOW_NS = 1_000_000L;
    /**
     * Besides slow operations and each connection's first ones, one stack per this interval across the JVM (for reads
     * and writes, and separately for HTTP exchanges). A capture walks the stack with cold caches: on the HTTP
     * benchmark (the JDK HttpClient's deep stacks), 50 captures a second of each kind took 0.74% of the CPU
     * (async-profiler), 10 a second 0.39%. Rarer captures find colder caches (~35 µs each at 50/s, ~120 µs at
     * 10/s), so the cost falls by half, not by five.
     */
    public static final long DEFAULT_INTERVAL_NS = 100_000_000L;

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(StackSampling.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int mode;
    final long slowNs;
    final long intervalNs;
    private volatile long next;

    public StackSampling(int mode, long slowNs, long intervalNs) {
        this.mode = mode;
        this.slowNs = slowNs;
        this.intervalNs = intervalNs;
    }

    /** The same rules, for another kind of operation: a deadline of its own. */
    StackSampling withOwnDeadline() {
        return new StackSampling(mode, slowNs, intervalNs);
    }

    /** {@code first}: the operation is its connection's first of its kind (see {@link Connections.Entry#firstOf}). */
    boolean wants(long end, long duration, boolean first) {
        if (mode == SAMPLED) {
            if (first || duration >= slowNs) {
                return true;
            }
            long due = next;
            return end >= due && NEXT.compareAndSet(this, due, end + intervalNs);
        }
        return mode == ALL;
    }
}
