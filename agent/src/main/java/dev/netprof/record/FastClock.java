package dev.netprof.record;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.Callable;

/**
 * The clock every recorded time is read from: {@link System#nanoTime()}'s timeline, read in half its time or less
 * where the CPU's time-stamp counter can be read.
 *
 * <p>Timing an operation takes two clock reads, and two {@code System.nanoTime()} calls (a vDSO
 * {@code clock_gettime}) are most of what recording a read or write costs. Where the CPU's time-stamp counter is
 * invariant, HotSpot times JFR's events with it, and C2 compiles {@code jdk.jfr.internal.JVM.counterTime()} to a
 * leaf call that reads it: two reads take ~27 ns against ~60 ns on a 2.5 GHz Xeon VM. async-profiler reads the JVM's
 * counter the same way. The agent exports the package to netprof's bootstrap module alone. HotSpot reads the counter
 * only where it knows its frequency from the CPU's brand string (Intel's); elsewhere, as on AMD's EPYC, JFR counts in
 * nanoseconds, and the agent offers the counter as netprof's own native library reads it ({@link #offer}): two reads
 * ~23 ns through JNI. After a system call, where one read of each pair comes, a {@code clock_gettime} can cost several
 * times what it does in a loop, where a read of the counter costs next to nothing (on a VM without PCID, which
 * flushes the TLB at every kernel entry: ~75 ns against ~0 for two reads around a system call, in C). Where neither
 * counter can be read, this clock is {@code System.nanoTime()} itself.
 *
 * <p>Ticks become nanoseconds on the application thread, through a linear segment (a tick, its nanoseconds, the
 * nanoseconds per tick) that the flusher replaces at each wake-up ({@link #steer}). Its rate is the JVM's nominal
 * frequency, or for netprof's own read one measured over {@link #CALIBRATION_NS}, until the first steer a tenth of a
 * second or more after the counter was chosen measures it against {@code System.nanoTime()}; every steer after it
 * measures again, smoothed. Each segment bends the rate so that the clock would meet {@code System.nanoTime()}
 * {@link #STEER_NS} later, so a gap closes by a quarter at every steer. Once measured, the clock stays within about a
 * microsecond of {@code System.nanoTime()} (what native samples, the kernel view and the flusher's stamps read);
 * before, as far off as the first rate's error makes it in a quarter second (0.8 ppm on a Xeon whose brand string
 * says 2.50 GHz: 0.2 µs). It does not jump while a recording runs unless it finds itself over {@link #JUMP_NS} off; a
 * recording's start puts it back on the line at once ({@link #resync}).
 */
public final class FastClock {
    /** The JVM's ticks per second, 0 where netprof cannot read them. */
    private static final long JVM_FREQUENCY = jvmFrequency();
    /** The JVM counts ticks faster than nanoseconds: it reads the CPU's counter itself, so netprof needs no other. */
    private static final boolean JVM_READS_COUNTER = JVM_FREQUENCY > 1_000_000_000L;
    /** How far ahead each steer aims to have closed the gap with System.nanoTime(). */
    static final long STEER_NS = 1_000_000_000L;
    /**
     * A gap {@link #steer} closes by a jump instead: the counter itself jumped (a VM suspended, restored or
     * migrated). Below it, the steered rate is within 0.1% of the counter's, and durations with it.
     */
    static final long JUMP_NS = 1_000_000L;
    /** The weight of the rate a steer measured since the one before, against the rate measured until then. */
    static final double RATE_WEIGHT = 0.25;
    /**
     * A rate measured further than this from the one so far is not the counter's (NTP slews the nanosecond clock by
     * at most 500 ppm), but a jump of either clock too small to be seen as one.
     */
    static final double RATE_TOLERANCE = 1e-3;
    private static final long MIN_RATE_NS = 10_000_000L;
    /** The first measurement replaces the nominal rate: over this long, even interpreted pair reads make it exact. */
    private static final long FIRST_RATE_NS = 100_000_000L;
    /** How far the first measurement may be from the nominal rate (a brand string's is tenths of a percent off). */
    private static final double NOMINAL_TOLERANCE = 0.01;
    private static final int PAIR_TRIES = 5;
    /**
     * How long netprof's own read of the counter is measured before its first use: to within ~15 ppm (2.095984 to
     * 2.096038 GHz on a CPU whose kernel measured 2.096015), ~4 µs off by the first steer a quarter second later.
     */
    static final long CALIBRATION_NS = 5_000_000L;

    /** The CPU's counter as netprof's native library reads it, offered by the agent before the first read. */
    private static volatile MethodHandle offered;
    private static volatile boolean chosen;

    /** The counter this clock reads, chosen at its first use; none where it is System.nanoTime(). */
    private static final class Counter {
        static final MethodHandle READ;
        static final String NAME;

        static {
            MethodHandle jvm = JVM_READS_COUNTER ? jvmCounter() : null;
            READ = jvm != null ? jvm : offered;
            NAME = jvm != null ? "the JVM's time-stamp counter" : READ != null ? "the CPU's time-stamp counter" : null;
            if (READ != null) {
                start(jvm != null ? 1e9 / JVM_FREQUENCY : calibrated());
            }
            chosen = true;
        }
    }

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

    private static volatile Segment segment;
    /** The counter's rate, whether measured yet, and the pair it was last measured to: under the class's lock. */
    private static double nsPerTick;
    private static boolean measured;
    private static long[] lastPair;

    /**
     * Where the JVM reads no counter and this clock has not been used yet, opens the CPU's time-stamp counter as
     * netprof's own library reads it (a static {@code ()long} handle) for this clock to read. Returns why it could
     * not, or null: where it need not, too.
     */
    public static String offer(Callable<MethodHandle> openCounter) {
        if (JVM_READS_COUNTER || chosen) {
            return null;
        }
        try {
            offered = openCounter.call();
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /** Now, on System.nanoTime()'s timeline. Allocates nothing. */
    public static long nanoTime() {
        if (Counter.READ == null) {
            return System.nanoTime();
        }
        Segment s = segment;
        return s.at(ticks());
    }

    /** Where times come from, for the recording's notes. */
    public static synchronized String source() {
        return Counter.NAME == null ? "System.nanoTime" : Counter.NAME + " at " + gigahertz(nsPerTick) + " GHz";
    }

    /**
     * A counter's rate in GHz with six decimals, as {@code %.6f} would print it. Not by String.format: this is the
     * first format of an attach, and the Formatter and locale data it loads took ~11 ms of the attach thread.
     */
    static String gigahertz(double nsPerTick) {
        long kiloHertz = Math.round(1e6 / nsPerTick);
        return kiloHertz / 1_000_000 + "." + Long.toString(1_000_000 + kiloHertz % 1_000_000).substring(1);
    }

    /**
     * Flusher, at each wake-up: a new segment from where this clock is now, at the counter's rate, bent so that it
     * would meet System.nanoTime() {@link #STEER_NS} from now.
     */
    public static synchronized void steer() {
        if (Counter.READ == null) {
            return;
        }
        long[] now = pair();
        Segment s = segment;
        if (!measured) {
            if (now[1] - lastPair[1] < FIRST_RATE_NS) {
                return;
            }
            double first = rateBetween(lastPair, now);
            if (near(first, nsPerTick, NOMINAL_TOLERANCE)) {
                nsPerTick = first;
            }
            measured = true;
        } else if (Math.abs(now[1] - s.at(now[0])) <= JUMP_NS) {
            nsPerTick = remeasured(nsPerTick, lastPair, now);
        }
        segment = steered(s, now[0], now[1], nsPerTick);
        lastPair = now;
    }

    /**
     * At a recording's start: back onto System.nanoTime()'s line at once. Between recordings nothing steers; the rate
     * is measured again over the whole time since the last steer, unless either clock jumped meanwhile.
     */
    public static synchronized void resync() {
        if (Counter.READ != null) {
            long[] now = pair();
            double since = rateBetween(lastPair, now);
            if (measured && near(since, nsPerTick, RATE_TOLERANCE) && now[1] - lastPair[1] >= MIN_RATE_NS) {
                nsPerTick = since;
            }
            segment = new Segment(now[0], now[1], nsPerTick);
            if (measured) {
                lastPair = now; // before the first measurement, it is measured from the first pair
            }
        }
    }

    /**
     * The segment that continues {@code s} from {@code ticks}, when System.nanoTime() read {@code nanos}, and would
     * reach System.nanoTime()'s line {@link #STEER_NS} later, the counter running at {@code nsPerTick}; or, with
     * {@code s} over {@link #JUMP_NS} off there, that line itself.
     */
    static Segment steered(Segment s, long ticks, long nanos, double nsPerTick) {
        long behind = nanos - s.at(ticks);
        if (Math.abs(behind) > JUMP_NS) {
            return new Segment(ticks, nanos, nsPerTick);
        }
        return new Segment(ticks, nanos - behind, nsPerTick * (1 + (double) behind / STEER_NS));
    }

    /** The rate so far, moved towards the one measured from {@code from} to {@code to} (pairs of ticks and nanos). */
    static double remeasured(double nsPerTick, long[] from, long[] to) {
        double rate = rateBetween(from, to);
        if (to[1] - from[1] < MIN_RATE_NS || !near(rate, nsPerTick, RATE_TOLERANCE)) {
            return nsPerTick;
        }
        return nsPerTick + RATE_WEIGHT * (rate - nsPerTick);
    }

    /** Nanoseconds per tick from one pair of readings to a later one; 0 where the counter did not advance. */
    private static double rateBetween(long[] from, long[] to) {
        long dt = to[0] - from[0];
        return dt > 0 ? (double) (to[1] - from[1]) / dt : 0;
    }

    private static boolean near(double rate, double to, double tolerance) {
        return Math.abs(rate / to - 1) <= tolerance;
    }

    /**
     * A first rate, from the first pair on, until a steer measures the counter's. Run by {@link Counter}'s
     * initialization, which every other reader of these fields waits for; not under this class's lock, which a
     * steer holds while it waits for that initialization.
     */
    private static void start(double firstNsPerTick) {
        nsPerTick = firstNsPerTick;
        lastPair = pair();
        segment = new Segment(lastPair[0], lastPair[1], nsPerTick);
    }

    /** netprof's own read has no nominal rate: it is measured against System.nanoTime() first, spinning. */
    private static double calibrated() {
        long[] from = pair();
        while (System.nanoTime() - from[1] < CALIBRATION_NS) {
            Thread.onSpinWait();
        }
        return rateBetween(from, pair());
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
            return (long) Counter.READ.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t); // a static native method without checked exceptions, read once already
        }
    }

    /**
     * Loading {@code jdk.jfr.internal.JVM} registers JFR's natives and sets its defaults; it starts no recording.
     * {@code getTicksFrequency()} is an instance method until JDK 21, static since. Nothing is loaded where the
     * package is not exported to netprof (the agent exports it).
     */
    private static long jvmFrequency() {
        Module jfr = ModuleLayer.boot().findModule("jdk.jfr").orElse(null);
        if (jfr == null || !jfr.isExported("jdk.jfr.internal", FastClock.class.getModule())) {
            return 0;
        }
        try {
            Class<?> jvm = Class.forName("jdk.jfr.internal.JVM");
            Method frequency = jvm.getMethod("getTicksFrequency");
            Object target = Modifier.isStatic(frequency.getModifiers()) ? null : jvm.getMethod("getJVM").invoke(null);
            return (long) frequency.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0; // a JVM built without JFR, or one whose JFR no longer has these methods
        }
    }

    /** JFR's counter, read once here, so that a JVM without it falls back now rather than at the first event. */
    private static MethodHandle jvmCounter() {
        try {
            MethodHandle counter = MethodHandles.lookup().findStatic(Class.forName("jdk.jfr.internal.JVM"),
                "counterTime", MethodType.methodType(long.class));
            long ticks = (long) counter.invokeExact();
            return ticks > 0 ? counter : null;
        } catch (Throwable t) {
            return null;
        }
    }

    private FastClock() {
    }
}
