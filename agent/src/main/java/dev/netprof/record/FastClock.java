package dev.netprof.record;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The clock every recorded time is read from: {@link System#nanoTime()}'s timeline, read in half its time where the
 * JVM can.
 *
 * <p>Timing an operation takes two clock reads, and two {@code System.nanoTime()} calls (a vDSO
 * {@code clock_gettime}) are most of what recording a read or write costs. Where the CPU's time-stamp counter is
 * invariant, HotSpot times JFR's events with it, and {@code jdk.jfr.internal.JVM.counterTime()} is compiled to that
 * counter's read (an intrinsic): two reads take ~27 ns against ~60 ns on a 2.5 GHz Xeon VM. async-profiler reads
 * the JVM's counter the same way. The agent exports the package to netprof's bootstrap module alone; where it is
 * missing, or the JVM does not count in the CPU's ticks (its frequency is then 1 GHz, the nanosecond clock), this
 * clock is {@code System.nanoTime()} itself.
 *
 * <p>Ticks become nanoseconds on the application thread, through a linear segment (a tick, its nanoseconds, the
 * nanoseconds per tick) that the flusher replaces at each wake-up ({@link #steer}): its rate is the counter's, as
 * measured against {@code System.nanoTime()} since the first reading, corrected so that this clock meets
 * {@code System.nanoTime()} again within {@link #STEER_NS}. So it stays within about a microsecond of
 * {@code System.nanoTime()} (what native samples and the kernel view are stamped with) and does not jump while a
 * recording runs, unless it finds itself over {@link #JUMP_NS} off; a recording's start puts it back on that line at
 * once ({@link #resync}).
 */
public final class FastClock {
    /** The JVM's ticks per second: 1 GHz when they are System.nanoTime()'s nanoseconds, 0 when unreadable. */
    private static final long FREQUENCY = jvmFrequency();
    private static final MethodHandle COUNTER = FREQUENCY > 1_000_000_000L ? jvmCounter() : null;
    /** How far ahead {@link #steer} aims to have closed the gap with System.nanoTime(). */
    static final long STEER_NS = 1_000_000_000L;
    /**
     * A gap {@link #steer} closes by a jump instead: the counter itself jumped (a VM suspended, restored or
     * migrated). Below it, the steered rate is within 0.1% of the counter's, and durations with it.
     */
    static final long JUMP_NS = 1_000_000L;
    private static final int PAIR_TRIES = 5;

    /** Nanoseconds at {@code ticks}, advancing {@code nsPerTick} a tick after it. Immutable: replaced whole. */
    static final class Segment {
        final long ticks;
        final long nanos;
        final double nsPerTick;

        Segment(long ticks, long nanos, double nsPerTick) {
            this.ticks = ticks;
            this.nanos = nanos;
            this.nsPerTick = nsPerTick;
        }

        long at(long t) {
            return nanos + (long) ((t - ticks) * nsPerTick);
        }
    }

    /** The first reading of both clocks: how fast the counter runs is measured from it. */
    private static final long[] FIRST = COUNTER == null ? null : pair();
    private static final double NOMINAL_NS_PER_TICK = 1e9 / FREQUENCY;
    private static volatile Segment segment = COUNTER == null ? null : new Segment(FIRST[0], FIRST[1],
        NOMINAL_NS_PER_TICK);

    /** Now, on System.nanoTime()'s timeline. Allocates nothing. */
    public static long nanoTime() {
        if (COUNTER == null) {
            return System.nanoTime();
        }
        Segment s = segment;
        return s.at(ticks());
    }

    /** Whether times come from the CPU's counter rather than from System.nanoTime(): for the recording's notes. */
    public static String source() {
        return COUNTER == null ? "System.nanoTime"
            : String.format("the JVM's time-stamp counter at %.6f GHz", 1 / NOMINAL_NS_PER_TICK);
    }

    /**
     * Flusher, at each wake-up: a new segment from where this clock is now, at the counter's measured rate, bent so
     * that it meets System.nanoTime() {@link #STEER_NS} from now.
     */
    public static synchronized void steer() {
        if (COUNTER == null) {
            return;
        }
        long[] now = pair();
        segment = steered(segment, now[0], now[1], measuredNsPerTick(now));
    }

    /**
     * The segment that continues {@code s} from {@code ticks}, when System.nanoTime() read {@code nanos}, and reaches
     * System.nanoTime()'s line {@link #STEER_NS} later, the counter running at {@code nsPerTick}; or, with {@code s}
     * over {@link #JUMP_NS} off there, that line itself.
     */
    static Segment steered(Segment s, long ticks, long nanos, double nsPerTick) {
        long behind = nanos - s.at(ticks);
        if (Math.abs(behind) > JUMP_NS) {
            return new Segment(ticks, nanos, nsPerTick);
        }
        return new Segment(ticks, nanos - behind, nsPerTick * (1 + (double) behind / STEER_NS));
    }

    /**
     * At a recording's start: back onto System.nanoTime()'s line at once, at the counter's measured rate. Between
     * recordings nothing steers, and the gap grows with the rate's error (a microsecond in ten seconds at 0.1 ppm).
     */
    public static synchronized void resync() {
        if (COUNTER != null) {
            long[] now = pair();
            segment = new Segment(now[0], now[1], measuredNsPerTick(now));
        }
    }

    private static double measuredNsPerTick(long[] now) {
        long ticks = now[0] - FIRST[0];
        long nanos = now[1] - FIRST[1];
        // Under a tenth of a second the pair's own jitter (~50 ns) is above the JVM's nominal frequency's error.
        return nanos < 100_000_000L || ticks <= 0 ? NOMINAL_NS_PER_TICK : (double) nanos / ticks;
    }

    /** The counter and System.nanoTime() read together: of a few tries, the tightest, at its middle. */
    private static long[] pair() {
        long bestWindow = Long.MAX_VALUE;
        long[] best = new long[2];
        for (int i = 0; i < PAIR_TRIES; i++) {
            long before = ticks();
            long nanos = System.nanoTime();
            long window = ticks() - before;
            if (window < bestWindow) {
                bestWindow = window;
                best[0] = before + window / 2;
                best[1] = nanos;
            }
        }
        return best;
    }

    private static long ticks() {
        try {
            return (long) COUNTER.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t); // a static native method without checked exceptions
        }
    }

    /**
     * Loading {@code jdk.jfr.internal.JVM} registers JFR's natives and sets its defaults; it starts no recording.
     * {@code getTicksFrequency()} is an instance method until JDK 21, static since 22.
     */
    private static long jvmFrequency() {
        try {
            Class<?> jvm = Class.forName("jdk.jfr.internal.JVM");
            Method frequency = jvm.getMethod("getTicksFrequency");
            Object target = Modifier.isStatic(frequency.getModifiers()) ? null : jvm.getMethod("getJVM").invoke(null);
            return (long) frequency.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0; // no jdk.jfr, its internals not exported to netprof, or a JVM built without JFR
        }
    }

    private static MethodHandle jvmCounter() {
        try {
            return MethodHandles.lookup().findStatic(Class.forName("jdk.jfr.internal.JVM"), "counterTime",
                MethodType.methodType(long.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private FastClock() {
    }
}
