package dev.netprof.flush;

import dev.netprof.record.Capture;
import dev.netprof.record.FastClock;
import dev.netprof.record.StackSampling;

/** What the agent's tests record with: buffers of 16 records, so that a few events fill one and hand it over. */
public final class TestRecordings {
    public static final RecordingHeader HEADER = new RecordingHeader(1, 0, "test", "", "test");

    /** A capture that takes no stacks. */
    public static Capture capture() {
        return capture(new StackSampling(StackSampling.OFF, 0, 0, 0, 0));
    }

    public static Capture capture(StackSampling sampling) {
        return new Capture(FastClock.nanoTime(), 1 << 20, 16, sampling);
    }

    private TestRecordings() {
    }
}
