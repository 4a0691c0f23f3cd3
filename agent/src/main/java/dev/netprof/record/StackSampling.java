package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which reads, writes and closes get a Java stack (connects, accepts and failures always do).
 *
 * <p>{@code sampled}: the first read, first write and close of each of the first {@link #FULLY_STACKED_PER_SITE}
 * connections opened from one stack, so that every connection's bytes have a stack to be drawn under (their own, or
 * those of the connections opened from the same place); one operation that blocked at least {@code slowNs} per
 * {@code slowIntervalNs} across the whole JVM, and at most one per {@code connectionSlowIntervalNs} on each
 * connection (on each channel, for UDP); plus one operation per {@code intervalNs}, whichever thread gets there
 * first, for the other paths a long-lived connection takes. The check on the read/write path is a bit test on the
 * connection and a compare against a shared, rarely written deadline; the cost of captures (see {@link Stacks}) is
 * then bounded by the connections opened (one connect or accept stack each, three more for the first ones from each
 * place), {@code 1 s / slowIntervalNs} and {@code 1 s / intervalNs}. Slow operations have a pace of their own because
 * a thread that blocks in every read (a blocking server waiting for its next request) would otherwise capture on
 * every operation; their blocked time is what flame-time is mostly made of, so they get five times the pace of the
 * others. {@code all} captures every operation: exact flame graphs, at a cost per operation.
 */
public final class StackSampling {
    public static final int OFF = 0;
    public static final int SAMPLED = 1;
    public static final int ALL = 2;
    /** Reads and writes blocked this long are slow (unless threshold= says otherwise). */
    public static final long DEFAULT_SLOW_NS = 1_000_000L;
    /**
     * One slow operation's stack per this interval across the JVM. Unpaced, a blocking echo server waiting ~2 ms for
     * each request took 4,668 stacks in 10 s (one per read), and 183 of 277 captures in a 9 s JDK 25 benchmark run
     * were reads blocked by JIT and GC pauses. At 50 a second, even cold captures of deep stacks (~150 µs) stay
     * under 1% of a CPU.
     */
    public static final long DEFAULT_SLOW_INTERVAL_NS = 20_000_000L;
    /**
     * One slow operation's stack per this interval on each connection (each UDP channel, whatever its peers). A
     * connection whose every operation blocks (a bulk transfer's writer, waiting for the peer's window; its reader,
     * waiting for data) otherwise took the whole JVM's pace of slow stacks, 50 a second of one stack, and on the bulk
     * benchmark those captures were a third of what netprof's own code took of the CPU (~0.65%, runs 0.3-0.8%;
     * async-profiler, RecorderCpuShare). Reads, writes and closes share the connection's one a second, so the
     * direction that blocks more takes most of them; the any-duration sample (10 a second) still reaches the others.
     */
    public static final long DEFAULT_CONNECTION_SLOW_INTERVAL_NS = 1_000_000_000L;
    /**
     * Besides slow operations and each connection's first ones, one stack per this interval across the JVM (for reads
     * and writes, and separately for HTTP exchanges). A capture walks the stack with cold caches: on the HTTP
     * benchmark (the JDK HttpClient's deep stacks), 50 captures a second of each kind took 0.74% of the CPU
     * (async-profiler), 10 a second 0.39%. Rarer captures find colder caches (~35 µs each at 50/s, ~120 µs at
     * 10/s), so the cost falls by half, not by five.
     */
    public static final long DEFAULT_INTERVAL_NS = 100_000_000L;

    /**
     * Connections opened from one stack that take a stack at their first read, first write and close. Past them, a
     * connection's operations are stacked only when sampled, and the flame graphs draw the rest under what the
     * connections opened from the same place sampled: a client opening a connection per request otherwise took four
     * stacks per connection at each end (~1 µs each even when known by their fingerprint, see {@link Stacks}).
     */
    public static final int FULLY_STACKED_PER_SITE = 16;

    private static final VarHandle NEXT;
    private static final VarHandle NEXT_SLOW;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(StackSampling.class, "next", long.class);
            NEXT_SLOW = MethodHandles.lookup().findVarHandle(StackSampling.class, "nextSlow", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int mode;
    final long slowNs;
    final long intervalNs;
    final long slowIntervalNs;
    final long connectionSlowIntervalNs;
    private volatile long next;
    private volatile long nextSlow;

    public StackSampling(int mode, long slowNs, long intervalNs, long slowIntervalNs, long connectionSlowIntervalNs) {
        this.mode = mode;
        this.slowNs = slowNs;
        this.intervalNs = intervalNs;
        this.slowIntervalNs = slowIntervalNs;
        this.connectionSlowIntervalNs = connectionSlowIntervalNs;
    }

    /** {@code mode} at netprof's default paces. */
    public static StackSampling defaults(int mode, long slowNs) {
        return new StackSampling(mode, slowNs, DEFAULT_INTERVAL_NS, DEFAULT_SLOW_INTERVAL_NS,
            DEFAULT_CONNECTION_SLOW_INTERVAL_NS);
    }

    /** The paces as the recording's "stacks" note gives them (the renderer reads {@code slowNs} back). */
    public String paces() {
        return "slowNs=" + slowNs + " intervalNs=" + intervalNs + " slowIntervalNs=" + slowIntervalNs
            + " connectionSlowIntervalNs=" + connectionSlowIntervalNs;
    }

    /** The same rules, for another kind of operation: deadlines of its own. */
    StackSampling withOwnDeadline() {
        return new StackSampling(mode, slowNs, intervalNs, slowIntervalNs, connectionSlowIntervalNs);
    }

    /**
     * {@code first}: the operation is its connection's first of its kind (see {@link Connections.Entry#firstOf});
     * {@code on}: its connection, or null where the operation has none (an HTTP exchange) or netprof has not seen it.
     */
    boolean wants(long end, long duration, boolean first, Connections.Entry on) {
        if (mode == SAMPLED) {
            return first || duration >= slowNs && slowDue(on, end) || due(NEXT, next, end, intervalNs);
        }
        return mode == ALL;
    }

    /** The connection's own deadline first: a plain field read, before the JVM-wide one's compare-and-set. */
    private boolean slowDue(Connections.Entry on, long end) {
        if (on != null && end < on.nextSlowStack || !due(NEXT_SLOW, nextSlow, end, slowIntervalNs)) {
            return false;
        }
        if (on != null) {
            on.nextSlowStack = end + connectionSlowIntervalNs;
        }
        return true;
    }

    /** Whether {@code deadline} (read as {@code due}) has passed, moving it on for whichever thread saw it first. */
    private boolean due(VarHandle deadline, long due, long end, long interval) {
        return end >= due && deadline.compareAndSet(this, due, end + interval);
    }
}
