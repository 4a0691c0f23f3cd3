package dev.netprof.render;

import dev.netprof.event.Op;
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

    /** {@code label}: for a layer operation, the string naming it (e.g. "GET example.com"); 0 otherwise. */
    record Key(int stack, int op, long connection, int label) {
    }

    /** Per layer operation's key, the time of what ran nested inside it on its thread (not its own time). */
    final Map<Key, Long> nested = new HashMap<>();
    private final Recording r;

    FlameAggregator(Recording r, long slowNs) {
        this.r = r;
        this.startedNs = r.startedNs;
        this.slowNs = slowNs;
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        if (start < startedNs || Op.isCounter(op)) {
            return;
        }
        subtractFromEnclosingLayer(thread, start, start + duration, duration);
        if (!Op.isTransfer(op)) {
            bytes = 0; // a layer's bytes are its socket operations', counted there; a select's are ready keys
        }
        long[] s = sums.computeIfAbsent(new Key(stack, op, connection, Op.isLayer(op) ? ref : 0), k -> new long[6]);
        s[0] += duration;
        s[1] += bytes;
        s[2]++;
        if (duration >= slowNs) {
            s[3] += duration;
            s[4] += bytes;
            s[5]++;
        }
    }

    /** The innermost layer window on the thread that contains [start, end] (other than itself) gets charged. */
    private void subtractFromEnclosingLayer(long thread, long start, long end, long duration) {
        LayerWindows windows = r.layerWindows.get(thread);
        long[] inner = windows == null ? null : windows.innermost(start, end);
        if (inner != null) {
            nested.merge(new Key((int) inner[2], (int) inner[3], inner[4], (int) inner[5]), duration, Long::sum);
        }
    }

    @Override
    public void aggregate(long connection, int op, long count, long bytes, long durationNs) {
        if (Op.isCounter(op)) {
            return;
        }
        long[] s = sums.computeIfAbsent(new Key(0, op, connection, 0), k -> new long[6]);
        s[0] += durationNs;
        s[1] += bytes;
        s[2] += count;
    }
}
