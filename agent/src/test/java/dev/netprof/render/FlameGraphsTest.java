package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlameGraphsTest {
    private static final long SLOW_NS = 1_000_000;

    @Test
    void unsampledSlowReadsAreDrawnLikeTheSampledSlowOnesAndFastLikeFast() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.stack(1, new String[] {"app.Server.awaitRequest:10"});
        r.stack(2, new String[] {"app.Server.readBody:20"});
        FlameAggregator sums = new FlameAggregator(r, SLOW_NS);
        read(sums, 1, 5_000_000, 10);   // sampled: blocked waiting for a request
        read(sums, 2, 1_000, 100);      // sampled: the body, already there
        read(sums, 0, 3_000_000, 20);   // not sampled, slow
        read(sums, 0, 3_000_000, 20);
        read(sums, 0, 2_000, 300);      // not sampled, fast
        FlameGraphs flames = new FlameGraphs(r, sums);

        assertEquals(Map.of("awaitRequest", 11_000_000L, "readBody", 3_000L), byMethod(flames.time));
        assertEquals(Map.of("awaitRequest", 50L, "readBody", 400L), byMethod(flames.bytes));
        assertEquals(2, flames.scaledFromSamples, "one sampled operation stood for each speed");
    }

    @Test
    void withoutASampledOperationOfTheSameSpeedTheOtherSpeedsStacksTakeIt() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.stack(1, new String[] {"app.Server.awaitRequest:10"});
        FlameAggregator sums = new FlameAggregator(r, SLOW_NS);
        read(sums, 1, 5_000_000, 10);
        read(sums, 0, 2_000, 300);
        FlameGraphs flames = new FlameGraphs(r, sums);

        assertEquals(Map.of("awaitRequest", 5_002_000L), byMethod(flames.time));
        assertEquals(Map.of("awaitRequest", 310L), byMethod(flames.bytes));
    }

    private long start;

    private void read(FlameAggregator sums, int stack, long duration, long bytes) {
        sums.event(1, Op.READ, Outcome.OK, 1, start, duration, 7, bytes, 0, stack);
        start += duration;
    }

    /** Folded weights by the method of their innermost Java frame. */
    private static Map<String, Long> byMethod(Map<String, Long> folded) {
        Map<String, Long> out = new HashMap<>();
        folded.forEach((frames, w) -> out.merge(frames.replaceAll(".*Server\\.(\\w+)_\\[j\\].*", "$1"), w, Long::sum));
        return out;
    }
}
