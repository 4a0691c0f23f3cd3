package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The surefire configuration exports jdk.jfr.internal, as the agent does, so the counter is read where it can be. */
class FastClockTest {
    private static final double NS_PER_TICK = 0.4; // a 2.5 GHz counter

    @TempDir
    Path work;

    /** JFR's own recordings say what it counts in: its chunk header's ticks per second. */
    @Test
    void readsTheCountersTicksWhereJfrTimesItsEventsWithThem() throws Exception {
        Path file = work.resolve("empty.jfr");
        try (Recording r = new Recording()) {
            r.start();
            r.stop();
            r.dump(file);
        }
        long ticksPerSecond;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.skipNBytes(56); // magic, version, size, constant pool and metadata offsets, start, duration, start ticks
            ticksPerSecond = in.readLong();
        }
        assertEquals(ticksPerSecond > 1_000_000_000L, FastClock.source().startsWith("the JVM's time-stamp counter"),
            FastClock.source() + "; JFR's ticks per second: " + ticksPerSecond);
    }

    @Test
    void spellsItsRateAsFormatWould() {
        for (double gigahertz : new double[] {2.5, 0.999999, 3.1234567, 1.0000004, 10.25, 0.0000015}) {
            assertEquals(String.format(Locale.ROOT, "%.6f", gigahertz), FastClock.gigahertz(1 / gigahertz));
        }
    }

    @Test
    void staysOnSystemNanoTimesLineAsItIsSteered() throws InterruptedException {
        FastClock.resync();
        long worst = 0;
        for (int i = 0; i < 30; i++) {
            Thread.sleep(20);
            if (i % 5 == 0) {
                FastClock.steer();
            }
            long before = System.nanoTime();
            long ours = FastClock.nanoTime();
            long after = System.nanoTime();
            long outside = ours < before ? before - ours : ours > after ? ours - after : 0;
            worst = Math.max(worst, outside);
        }
        assertTrue(worst < 20_000, "strayed " + worst + " ns from System.nanoTime()");
    }

    @Test
    void neverGoesBackWhileSteered() throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong backwards = new AtomicLong();
        Thread reader = new Thread(() -> {
            long last = FastClock.nanoTime();
            while (!done.get()) {
                long now = FastClock.nanoTime();
                if (now < last) {
                    backwards.incrementAndGet();
                }
                last = now;
            }
        });
        reader.start();
        for (int i = 0; i < 2_000; i++) {
            FastClock.steer();
        }
        done.set(true);
        reader.join();
        assertEquals(0, backwards.get());
    }

    @Test
    void aGapClosesByAQuarterAtEverySteer() {
        // System.nanoTime() runs at exactly NS_PER_TICK; the clock starts 5 µs behind it; the flusher steers every
        // 250 ms, a quarter of STEER_NS.
        FastClock.Segment s = new FastClock.Segment(0, -5_000, NS_PER_TICK);
        double expected = 5_000;
        for (int i = 1; i <= 20; i++) {
            long ticks = i * 625_000_000L;
            long nanos = (long) (ticks * NS_PER_TICK);
            assertEquals(expected, nanos - s.at(ticks), 3, "the gap at steer " + i);
            FastClock.Segment next = FastClock.steered(s, ticks, nanos, NS_PER_TICK);
            assertEquals(s.at(ticks), next.at(ticks), "continuous where it takes over");
            s = next;
            expected *= 0.75;
        }
    }

    @Test
    void aGapOverAMillisecondIsClosedAtOnce() {
        FastClock.Segment ahead = new FastClock.Segment(0, 10_000_000_000L, NS_PER_TICK); // ten seconds ahead
        long ticks = 2_500_000_000L;
        FastClock.Segment s = FastClock.steered(ahead, ticks, 1_000_000_000L, NS_PER_TICK);
        assertEquals(1_000_000_000L, s.at(ticks));
        assertEquals(NS_PER_TICK, s.nsPerTick, 0);
    }

    @Test
    void theRateConvergesOnTheCountersAndIgnoresWhatIsNoRate() {
        double rate = NS_PER_TICK * (1 + 2e-4); // 200 ppm off, as a CPU's nominal frequency can be
        long[] last = {0, 0};
        for (int i = 1; i <= 40; i++) {
            long[] now = {i * 625_000_000L, (long) (i * 625_000_000L * NS_PER_TICK)};
            rate = FastClock.remeasured(rate, last, now);
            last = now;
        }
        assertEquals(NS_PER_TICK, rate, NS_PER_TICK * 1e-7, "after ten seconds of steers");
        long[] jumped = {last[0] + 625_000_000L, last[1] + 250_000_000L + 600_000}; // 0.6 ms too far in 250 ms
        assertEquals(rate, FastClock.remeasured(rate, last, jumped), 0, "a jump measured as a rate");
    }
}
