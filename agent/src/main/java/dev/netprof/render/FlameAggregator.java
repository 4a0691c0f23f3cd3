package dev.netprof.render;

import java.util.HashMap;
import java.util.Map;

/**
 * Sums time and bytes per (stack, op, connection): the input of both flame graphs. Its size grows with distinct
 * stacks and connections, not with events. Operations whose stack was not captured are summed under stack 0, and
 * {@link FlameGraphs} spreads them over the sampled stacks of the same op and connection.
 */
final class FlameAggregator implements LogVisitor {
    /** Per key: {time ns, bytes, operations, slow time ns, slow bytes, slow operations}. */
    final Map<Key, long[]> sums = new HashMap<>();
    private final long startedNs;
    private final long slowNs;

    record Key(int stack, int op, long connection) {
    }

    FlameAggregator(long startedNs, long slowNs) {
        this.startedNs = startedNs;
        this.slowNs = slowNs;
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        if (start < startedNs) {
            return;
        }
        long[] s = sums.computeIfAbsent(new Key(stack, op, connection), k -> new long[6]);
        s[0] += duration;
        s[1] += bytes;
        s[2]++;
        if (duration >= slowNs) {
            s[3] += duration;
            s[4] += bytes;
            s[5]++;
        }
    }

    @Override
    public void aggregate(long connection, int op, long count, long bytes, long durationNs) {
        long[] s = sums.computeIfAbsent(new Key(0, op, connection), k -> new long[6]);
        s[0] += durationNs;
        s[1] += bytes;
        s[2] += count;
    }
}
