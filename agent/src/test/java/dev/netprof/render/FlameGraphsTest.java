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
        Recording r = withStacks("app.Server.awaitRequest:10", "app.Server.readBody:20");
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
        Recording r = withStacks("app.Server.awaitRequest:10");
        FlameAggregator sums = new FlameAggregator(r, SLOW_NS);
        read(sums, 1, 5_000_000, 10);
        read(sums, 0, 2_000, 300);
        FlameGraphs flames = new FlameGraphs(r, sums);

        assertEquals(Map.of("awaitRequest", 5_002_000L), byMethod(flames.time));
        assertEquals(Map.of("awaitRequest", 310L), byMethod(flames.bytes));
    }

    @Test
    void aSlowExchangesOwnTimeIsSharedAsSlowTimeAndEveryNanosecondIsDrawnOnce() {
        Recording r = withStacks("app.Client.fastCall:10", "app.Client.slowCall:20", "app.Client.readResponse:30");
        long[][] events = {
            // {start, duration, op, stack}: two sampled exchanges, one unsampled with a 4 ms read inside it
            {0, 100_000, Op.HTTP_EXCHANGE, 1},
            {1_000_000, 2_000_000, Op.HTTP_EXCHANGE, 2},
            {10_000_000, 5_000_000, Op.HTTP_EXCHANGE, 0},
            {10_500_000, 4_000_000, Op.READ, 3}};
        for (long[] e : events) {
            r.event(1, (int) e[2], Outcome.OK, 1, e[0], e[1], 9, 0, 0, (int) e[3]);
        }
        r.layerWindows.values().forEach(LayerWindows::index);
        FlameAggregator sums = new FlameAggregator(r, SLOW_NS);
        for (long[] e : events) {
            sums.event(1, (int) e[2], Outcome.OK, 1, e[0], e[1], 9, 0, 0, (int) e[3]);
        }
        FlameGraphs flames = new FlameGraphs(r, sums);

        // The unsampled exchange's own 1 ms was slow time: it joins the sampled slow exchange's stack.
        assertEquals(Map.of("fastCall", 100_000L, "slowCall", 3_000_000L, "readResponse", 4_000_000L),
            byMethod(flames.time));
    }

    @Test
    void aConnectionWithoutSampledStacksIsDrawnLikeThoseOpenedFromTheSamePlace() {
        Recording r = withStacks("app.Client.open:5", "app.Client.readReply:10", "app.Client.readHeader:11",
            "app.Other.open:7");
        r.connection(7, 0, 0, 0, 0, "127.0.0.1:1", "127.0.0.1:80", null, 1);
        r.connection(8, 0, 0, 0, 0, "127.0.0.1:2", "127.0.0.1:81", null, 1);
        r.connection(9, 0, 0, 0, 0, "127.0.0.1:3", "127.0.0.1:82", null, 4);
        r.connection(10, 0, 0, 0, 0, "127.0.0.1:4", "127.0.0.1:83", null, 1);
        FlameAggregator sums = new FlameAggregator(r, SLOW_NS);
        sums.event(1, Op.READ, Outcome.OK, 1, 0, 2_000, 7, 20, 0, 2);   // sampled on 7: readReply 2 µs
        sums.event(1, Op.READ, Outcome.OK, 1, 0, 1_000, 7, 10, 0, 3);   // and readHeader 1 µs
        sums.event(1, Op.READ, Outcome.OK, 1, 0, 1_000, 10, 10, 0, 2);  // on 10, from the same place: readReply 1 µs
        sums.event(1, Op.READ, Outcome.OK, 1, 0, 800, 8, 8, 0, 0);      // 8, opened there too: no stack of its own
        sums.event(1, Op.READ, Outcome.OK, 1, 0, 500, 9, 5, 0, 0);      // 9, opened elsewhere: nothing sampled there
        FlameGraphs flames = new FlameGraphs(r, sums);

        assertEquals(Map.of(
            "app/Client.readReply_[j];[read];[peer 127.0.0.1:80]", 2_000L,
            "app/Client.readHeader_[j];[read];[peer 127.0.0.1:80]", 1_000L,
            "app/Client.readReply_[j];[read];[peer 127.0.0.1:83]", 1_000L,
            "app/Client.readReply_[j];[read];[peer 127.0.0.1:81]", 600L, // the site read 3 µs there, 1 µs below
            "app/Client.readHeader_[j];[read];[peer 127.0.0.1:81]", 200L,
            FlameGraphs.NO_STACK + ";[read];[peer 127.0.0.1:82]", 500L), flames.time);
    }

    /** A label from outside the JVM cannot split the folded line or its frame, nor end the graph's script. */
    @Test
    void outsideTextStaysOneFrame() {
        Recording r = withStacks("app.Config.resolve:3");
        r.string(5, "db.example\r\n</script>;x");
        r.event(1, Op.DNS_LOOKUP, Outcome.OK, 1, 0, 1_000, 0, 0, 5, 1);
        r.layerWindows.values().forEach(LayerWindows::index);
        FlameAggregator sums = new FlameAggregator(r, SLOW_NS);
        sums.event(1, Op.DNS_LOOKUP, Outcome.OK, 1, 0, 1_000, 0, 0, 5, 1);
        FlameGraphs flames = new FlameGraphs(r, sums);

        assertEquals(Map.of("app/Config.resolve_[j];[dns db.example  \u2039/script>,x];[peer unknown]", 1_000L),
            flames.time);
    }

    /** An empty recording started at 0 whose stacks 1, 2, ... are one frame each. */
    private static Recording withStacks(String... frames) {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        for (int i = 0; i < frames.length; i++) {
            r.stack(i + 1, new String[] {frames[i]});
        }
        return r;
    }

    private long start;

    private void read(FlameAggregator sums, int stack, long duration, long bytes) {
        sums.event(1, Op.READ, Outcome.OK, 1, start, duration, 7, bytes, 0, stack);
        start += duration;
    }

    /** Folded weights by the method of their innermost Java frame. */
    private static Map<String, Long> byMethod(Map<String, Long> folded) {
        Map<String, Long> out = new HashMap<>();
        folded.forEach((frames, w) -> out.merge(frames.replaceAll(".*(Server|Client)\\.(\\w+)_\\[j\\].*", "$2"), w,
            Long::sum));
        return out;
    }
}
