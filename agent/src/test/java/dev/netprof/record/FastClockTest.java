package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The surefire configuration exports jdk.jfr.internal, as the agent does, so the counter is read where it can be. */
class FastClockTest {
    private static final double NS_PER_TICK = 0.4; // a 2.5 GHz counter

    /** The flag is experimental, so no management bean shows it: a JVM like this one prints it. */
    @Test
    void readsTheCountersTicksWhereTheJvmTimesJfrEventsWithThem() throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
            "-XX:+UnlockExperimentalVMOptions", "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        Matcher m = Pattern.compile("UseFastUnorderedTimeStamps\\s+= (\\w+)").matcher(flags);
        assertTrue(m.find(), flags);
        assertEquals(m.group(1).equals("true"), FastClock.source().startsWith("the JVM's time-stamp counter"),
            FastClock.source() + " with UseFastUnorderedTimeStamps=" + m.group(1));
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
    void aSteeredSegmentContinuesTheOldOneAndMeetsTheLineASteerLater() {
        FastClock.Segment behind = new FastClock.Segment(0, 0, NS_PER_TICK);
        long ticks = 2_500_000_000L; // one second in
        long nanos = 1_000_005_000L; // System.nanoTime() is 5 µs ahead of the segment there
        FastClock.Segment s = FastClock.steered(behind, ticks, nanos, NS_PER_TICK);
        assertEquals(behind.at(ticks), s.at(ticks), "continuous where it takes over");
        long aSteerLater = ticks + (long) (FastClock.STEER_NS / NS_PER_TICK);
        assertEquals(nanos + FastClock.STEER_NS, s.at(aSteerLater), 1.0, "on the line a steer later");
    }

    @Test
    void aGapOverAMillisecondIsClosedAtOnce() {
        FastClock.Segment ahead = new FastClock.Segment(0, 10_000_000_000L, NS_PER_TICK); // ten seconds ahead
        long ticks = 2_500_000_000L;
        FastClock.Segment s = FastClock.steered(ahead, ticks, 1_000_000_000L, NS_PER_TICK);
        assertEquals(1_000_000_000L, s.at(ticks));
        assertEquals(NS_PER_TICK, s.nsPerTick, 0);
    }
}
