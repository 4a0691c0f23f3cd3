package dev.netprof.render;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each event-loop thread (one that calls Selector.select*) did between its selects: how often it selected,
 * how often a select woke with ready keys, whether it made blocking network calls, and how long it went without
 * selecting while not in a network call (time spent on other work, during which its channels wait).
 *
 * <p>A blocking call is one the loop waits on the network for: a {@code java.net.Socket}'s (always in blocking
 * mode), or a DNS lookup that took {@link #SLOW_NS} (a cached answer does not wait). A channel's calls are the
 * loop's own non-blocking ones: one that took {@link #SLOW_NS} is only slow (it waited on no network: the thread
 * was descheduled, the JVM paused, or the call copied a large buffer), counted apart. (A SocketChannel in blocking
 * mode on a loop counts there too: its mode is not recorded.)
 * A selector that several threads take turns on (Jetty's pool) always has another thread to select while one
 * blocks or works, so those threads get no findings. Nor does what a thread does after a select that left its
 * selector holding no channel: nobody waits on it then. That is how a worker waits for one channel at a time (XNIO's
 * blocking reads, under Undertow's servlets: register, select, cancel, selectNow), and a loop whose last channel
 * closed.
 */
final class EventLoops implements LogVisitor {
    /** A network call on an event-loop thread that took this long held the loop. */
    static final long SLOW_NS = 1_000_000L;
    /** Time between two selects, outside network calls, past which the loop was busy elsewhere. */
    static final long BUSY_NS = 100_000_000L;
    /**
     * Operations kept for the analysis across all event-loop threads (24 bytes each), shared equally among them; a
     * busier loop is analysed on its first ones. A JDK HttpClient's loop makes ~90 k a second under load.
     */
    static final int MAX_OPS = 4_000_000;
    private static final long WOKE = 1L << 8;
    /** A select that left channels registered (or a log that does not say). */
    private static final long HELD = 1L << 9;

    /**
     * One event loop's behaviour over the recording; {@code maxChannels} is the most channels a select left
     * registered (-1: not recorded), {@code maxGapAtNs} is when its longest gap began, {@code longest*} describe its
     * longest blocking call, and
     * {@code turnTakers} counts the threads that selected on its selectors, itself included.
     */
    record Loop(long thread, String name, long selects, int maxChannels, long selectNs, long wakeups,
                long blockingOps, long blockingNs, long slowOps, long maxGapNs, long maxGapAtNs, long busyGaps,
                int turnTakers, boolean partial, int longestOp, long longestConnection, String longestHost,
                long longestNs, long longestAtNs) {
        boolean ownsItsSelectors() {
            return turnTakers <= 1;
        }
    }

    private final Recording r;
    /**
     * Per selector thread: start, duration and a packed word for each operation: the op in its low byte, {@link
     * #WOKE} for a select that returned ready keys, {@link #HELD} for one that left channels registered, and from
     * bit 16 the select's selector, the lookup's host (its string id) or the call's connection.
     */
    private final Map<Long, long[]> ops = new HashMap<>();
    private final Map<Long, Integer> counts = new HashMap<>();
    private final Map<Long, Integer> maxChannels = new HashMap<>();
    /** Per selector identity (0: a log from before netprof recorded it), the threads that selected on it. */
    private final Map<Long, Set<Long>> selectorThreads = new HashMap<>();
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
        long selector = op == Op.SELECT ? Integer.toUnsignedLong(ref) : 0;
        if (selector != 0) {
            selectorThreads.computeIfAbsent(selector, s -> new HashSet<>()).add(thread);
        }
        long flags = 0;
        if (op == Op.SELECT) {
            int registered = Op.registeredChannels(bytes);
            maxChannels.merge(thread, registered, Math::max);
            flags = (Op.readyKeys(bytes) > 0 ? WOKE : 0) | (registered != 0 ? HELD : 0);
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
        long about = op == Op.SELECT ? selector : op == Op.DNS_LOOKUP ? Integer.toUnsignedLong(ref) : connection;
        a[3 * n + 2] = op | flags | about << 16;
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
            Set<Long> turnTakers = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if ((int) (a[3 * i + 2] & 0xff) == Op.SELECT) {
                    loopStart = Math.min(loopStart, a[3 * i]);
                    loopEnd = Math.max(loopEnd, a[3 * i] + a[3 * i + 1]);
                    turnTakers.addAll(selectorThreads.getOrDefault(a[3 * i + 2] >>> 16, Set.of()));
                }
            }
            long selects = 0, selectNs = 0, wakeups = 0, blocking = 0, blockingNs = 0, slow = 0, maxGap = 0, maxGapAt = 0;
            long busy = 0;
            int longestOp = 0;
            long longestAbout = 0, longestNs = 0, longestAt = 0;
            long lastSelectEnd = 0;
            boolean held = false; // the last select left channels registered
            long networkSinceSelect = 0;
            for (int i : order) {
                long start = a[3 * i], duration = a[3 * i + 1];
                int op = (int) (a[3 * i + 2] & 0xff);
                if (start < loopStart || start + duration > loopEnd) {
                    continue;
                }
                if (op == Op.SELECT) {
                    selects++;
                    selectNs += duration;
                    if ((a[3 * i + 2] & WOKE) != 0) {
                        wakeups++;
                    }
                    if (held) {
                        long gap = start - lastSelectEnd - networkSinceSelect;
                        if (gap > maxGap) {
                            maxGap = gap;
                            maxGapAt = lastSelectEnd;
                        }
                        if (gap >= BUSY_NS) {
                            busy++;
                        }
                    }
                    lastSelectEnd = start + duration;
                    held = (a[3 * i + 2] & HELD) != 0;
                    networkSinceSelect = 0;
                    continue;
                }
                networkSinceSelect += duration;
                if (!held) {
                    continue;
                }
                long about = a[3 * i + 2] >>> 16;
                if (blocks(op, about, duration)) {
                    blocking++;
                    blockingNs += duration;
                    if (duration > longestNs) {
                        longestOp = op;
                        longestAbout = about;
                        longestNs = duration;
                        longestAt = start;
                    }
                } else if (duration >= SLOW_NS) {
                    slow++;
                }
            }
            out.add(new Loop(e.getKey(), r.threadName(e.getKey()), selects, maxChannels.getOrDefault(e.getKey(), 0),
                selectNs, wakeups, blocking, blockingNs, slow, maxGap, maxGapAt, busy, Math.max(1, turnTakers.size()),
                n >= maxOpsPerThread, longestOp,
                longestOp == Op.DNS_LOOKUP ? 0 : longestAbout,
                longestOp == Op.DNS_LOOKUP ? r.layerLabel(longestOp, (int) longestAbout) : null, longestNs, longestAt));
        }
        out.sort((x, y) -> Long.compare(x.thread(), y.thread()));
        return out;
    }

    /** A call the loop waited on the network for: see the class comment. */
    private boolean blocks(int op, long about, long duration) {
        if (op == Op.DNS_LOOKUP) {
            return duration >= SLOW_NS;
        }
        Recording.Connection c = r.connections.get(about);
        return c != null && c.api == Api.SOCKET;
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
