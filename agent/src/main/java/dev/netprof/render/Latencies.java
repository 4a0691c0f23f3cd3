package dev.netprof.render;

import dev.netprof.event.Op;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Latency distributions per endpoint and op, from individually logged operations (those folded into aggregates by
 * {@code threshold=} have no individual durations). Two significant digits, up to an hour.
 */
final class Latencies implements LogVisitor {
    private static final long HIGHEST_NS = 3_600_000_000_000L;

    /** endpoint key + op name to histogram, sorted for a stable report. */
    final Map<String, Histogram> byEndpointAndOp = new TreeMap<>();
    private final Recording r;

    Latencies(Recording r) {
        this.r = r;
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        Recording.Connection c = r.connections.get(connection);
        if (start < r.startedNs || c == null || !c.defined || Op.isCounter(op)) {
            return;
        }
        byEndpointAndOp.computeIfAbsent(c.endpointKey() + "\t" + Op.name(op),
            k -> new Histogram(HIGHEST_NS, 2)).recordValue(Math.min(Math.max(duration, 1), HIGHEST_NS));
    }
}
