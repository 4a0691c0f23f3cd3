package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleSummaryTest {
    private static final long S = 1_000_000_000L;

    /**
     * An attach for 2 s: 2.65 s installing, 2 s with the instrumentation complete, 0.3 s removing it and closing the
     * log. The recording is the first two parts, not the third, when nothing is recorded.
     */
    @Test
    void aRecordingSaysHowMuchOfItHadTheInstrumentationComplete() {
        Recording r = new Recording();
        r.header(1, 10 * S, 0, "test", "duration=2s", "test");
        r.note("window", "from " + (10 * S + 2_650_000_000L));
        r.note("window", "to " + (10 * S + 4_650_000_000L));
        r.end(10 * S + 4_950_000_000L);
        assertEquals("4.65 s recorded (2.00 s with the instrumentation complete)", ConsoleSummary.duration(r));
    }

    /** A killed JVM's log has no window end: its recording runs to the last moment the log knows. */
    @Test
    void aLogWithoutTheWindowsEndRunsToItsLastMoment() {
        Recording r = new Recording();
        r.header(1, 10 * S, 0, "test", "", "test");
        r.note("window", "from " + (10 * S + 1_500_000_000L));
        r.status(10 * S + 7_250_000_000L, 0, 0);
        assertEquals("7.25 s recorded (5.75 s with the instrumentation complete)", ConsoleSummary.duration(r));
    }

    /** A log written before the window was noted says only how long it ran. */
    @Test
    void aLogWithoutAWindowSaysHowLongItRan() {
        Recording r = new Recording();
        r.header(1, 10 * S, 0, "test", "", "test");
        r.end(13 * S);
        assertEquals("3.00 s recorded", ConsoleSummary.duration(r));
    }
}
