package dev.netprof.render;

import dev.netprof.event.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each event-loop thread (one that calls Selector.select*) did between its selects: how often it selected,
 * how often a select woke with ready keys, whether it did blocking socket I/O, and how long it went without
 * selecting while not in a network call (time spent on other work, during which its channels wait).
 */
final class EventLoops implements LogVisitor {
    /** A network call on an event-loop thread that took this long blocked the loop. */
    static final long BLOCKING_NS = 1_000_000L;
    /** Time between two selects, outside network calls, past which the loop was busy elsewhere. */
    static final long BUSY_NS = 100_000_000L;
    /**
     * Operations kept for the analysis across all event-loop threads (24 bytes each), shared equally among them; a
     * busier loop is analysed on its first ones. A JDK HttpClient's loop makes ~90 k a second under load.
     */
    static final int MAX_OPS = 4_000_000;

    /** One event loop's behaviour over the recording. */
    record Loop(long thread, String name, long selects, long selectNs, long wakeups, long blockingOps,
                long blockingNs, long maxGapNs, long busyGaps, boolean partial) {
    }

    private final Recording r;
    /** Per selector thread: start, duration, op of each operation, three longs each. */
    private final Map<Long, long[]> ops = new HashMap<>();
    private final Map<Long, Integer> counts = new HashMap<>();
    private final int maxOpsPerThread;

    EventLoops(Recording r) {
        this.r = r;
        this.maxOpsPerThread = MAX_OPS / Math.max(1, r.selectorThreads.size());
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        // A handshake or an exchange is a window over the thread's socket operations, which count on their own: an
        // SSLEngine's handshake spans the selects between its round trips. A DNS lookup counts: the resolver's own
        // I/O is not recorded, and the loop waits for all of it.
        if (start < r.startedNs || !r.selectorThreads.contains(thread) || Op.isCounter(op)
            || op == Op.TLS_HANDSHAKE || op == Op.HTTP_EXCHANGE) {
            return;
        }
        int n = counts.getOrDefault(thread, 0);
        if (n >= maxOpsPerThread) {
            return;
        }
        long[] a = ops.computeIfAbsent(thread, t -> new long[3 * 1024]);
        if (3 * n + 3 > a.length) {
            a = Arrays.copyOf(a, (int) Math.min(a.length * 2L, 3L * maxOpsPerThread));
            ops.put(thread, a);
        }
        a[3 * n] = start;
        a[3 * n + 1] = duration;
        a[3 * n + 2] = op | (bytes > 0 && op == Op.SELECT ? 1L << 32 : 0);
        counts.put(thread, n + 1);
    }

    List<Loop> loops() {
        List<Loop> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : ops.entrySet()) {
            int n = counts.get(e.getKey());
            long[] a = e.getValue();
            int[] order = startOrder(a, n);
            // A pooled thread may run a selector loop for a while and other work before or after: only what it
            // did between its first and its last select belongs to the loop.
            long loopStart = Long.MAX_VALUE;
            long loopEnd = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                if ((int) a[3 * i + 2] == Op.SELECT) {
                    loopStart = Math.min(loopStart, a[3 * i]);
                    loopEnd = Math.max(loopEnd, a[3 * i] + a[3 * i + 1]);
                }
            }
            long selects = 0, selectNs = 0, wakeups = 0, blocking = 0, blockingNs = 0, maxGap = 0, busy = 0;
            long lastSelectEnd = -1;
            long networkSinceSelect = 0;
            for (int i : order) {
                long start = a[3 * i], duration = a[3 * i + 1];
                int op = (int) a[3 * i + 2];
                if (start < loopStart || start + duration > loopEnd) {
                    continue;
                }
                if (op == Op.SELECT) {
                    selects++;
                    selectNs += duration;
                    if ((a[3 * i + 2] >>> 32) != 0) {
                        wakeups++;
                    }
                    if (lastSelectEnd >= 0) {
                        long gap = start - lastSelectEnd - networkSinceSelect;
                        maxGap = Math.max(maxGap, gap);
                        if (gap >= BUSY_NS) {
                            busy++;
                        }
                    }
                    lastSelectEnd = start + duration;
                    networkSinceSelect = 0;
                } else {
                    networkSinceSelect += duration;
                    if (duration >= BLOCKING_NS) {
                        blocking++;
                        blockingNs += duration;
                    }
                }
            }
            out.add(new Loop(e.getKey(), r.threadName(e.getKey()), selects, selectNs, wakeups, blocking, blockingNs,
                maxGap, busy, n >= maxOpsPerThread));
        }
        out.sort((x, y) -> Long.compare(x.thread(), y.thread()));
        return out;
    }

    /**
     * The indexes of a thread's operations by start. They are logged as they end, which is start order unless
     * one nests in another, so the boxed sort runs only then.
     */
    private static int[] startOrder(long[] a, int n) {
        int[] order = new int[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            sorted &= i == 0 || a[3 * i] >= a[3 * (i - 1)];
        }
        if (!sorted) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (x, y) -> Long.compare(a[3 * x], a[3 * y]));
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
            }
        }
        return order;
    }
}
