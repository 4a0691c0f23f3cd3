package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which reads and writes get a Java stack (connects, accepts, closes and failures always do).
 *
 * <p>{@code sampled}: every operation that blocked at least {@code slowNs}, plus one operation per
 * {@code intervalNs} across the whole JVM, whichever thread gets there first. The check on the read/write path is a
 * compare against a shared, rarely written deadline; the cost of a capture (a stack walk, see {@link Stacks}) is then
 * bounded to {@code 1 s / intervalNs} captures a second plus the slow operations, which already blocked far
 * longer. {@code all} captures every operation: exact flame graphs, at a cost per operation.
 */
public final class StackSampling {
    public static final int OFF = 0;
    public static final int SAMPLED = 1;
    public static final int ALL = 2;
    /** Reads and writes blocked this long always get a stack (unless threshold= says otherwise). */
    public static final long DEFAULT_SLOW_NS = 1_000_000L;
    /**
     * Besides slow operations, one stack per this interval across the JVM (for reads and writes, and separately for
     * HTTP exchanges). A capture walks the stack (~3 µs back to back, 15-90 µs at this pace, with cold caches); at
     * 50 a second, JFR's default sampling rate, that stays under 0.5% of a core.
     */
    public static final long DEFAULT_INTERVAL_NS = 20_000_000L;

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

    boolean wants(long end, long duration) {
        if (mode == SAMPLED) {
            if (duration >= slowNs) {
                return true;
            }
            long due = next;
            return end >= due && NEXT.compareAndSet(this, due, end + intervalNs);
        }
        return mode == ALL;
    }
}
