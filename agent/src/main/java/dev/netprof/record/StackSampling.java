package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which reads and writes get a Java stack (connects, accepts, closes and failures always do).
 *
 * <p>{@code sampled}: every operation that blocked at least {@code slowNs}, plus one operation per
 * {@code intervalNs} across the whole JVM, whichever thread gets there first. The check on the read/write path is a
 * compare against a shared, rarely written deadline; the cost of a capture (a StackWalker walk, ~10 µs) is then
 * bounded to {@code 1 s / intervalNs} captures a second plus the slow operations, which already blocked far
 * longer. {@code all} captures every operation: exact flame graphs, at a cost per operation.
 */
public final class StackSampling {
    public static final int OFF = 0;
    public static final int SAMPLED = 1;
    public static final int ALL = 2;

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
