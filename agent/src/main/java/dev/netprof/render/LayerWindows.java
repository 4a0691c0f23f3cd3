package dev.netprof.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One thread's layer operations (HTTP exchanges, TLS handshakes, DNS lookups) as time windows
 * {@code {start, end, stack, op, connection, label}}, indexed so that the innermost window around an operation is
 * found without looking at the others: sorted by start, with a tree holding the latest end under each node. A busy
 * client makes hundreds of thousands of exchanges on one thread and every operation of that thread asks; scanning
 * the windows for each left a one-minute HTTP recording still rendering after 18 minutes of CPU.
 */
final class LayerWindows {
    private final List<long[]> windows = new ArrayList<>();
    /** Segment tree over {@link #windows}: node 1 covers them all, node k's children are 2k and 2k + 1. */
    private long[] maxEnd;

    void add(long start, long end, long stack, long op, long connection, long label) {
        windows.add(new long[] {start, end, stack, op, connection, label});
    }

    /** Sorts the windows and builds the tree: once, after the last {@link #add}. */
    void index() {
        windows.sort(Comparator.comparingLong(w -> w[0]));
        maxEnd = new long[4 * windows.size()];
        build(1, 0, windows.size());
    }

    /**
     * The shortest window that contains [start, end] and is not that operation itself (same start and end), the
     * earliest of equally short ones; null if none. Visits only the subtrees whose latest end reaches {@code end}.
     */
    long[] innermost(long start, long end) {
        int lo = 0, hi = windows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (windows.get(mid)[0] <= start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return search(1, 0, windows.size(), lo, start, end, null);
    }

    private long build(int node, int lo, int hi) {
        if (hi - lo == 1) {
            return maxEnd[node] = windows.get(lo)[1];
        }
        int mid = (lo + hi) >>> 1;
        return maxEnd[node] = Math.max(build(2 * node, lo, mid), build(2 * node + 1, mid, hi));
    }

    /** Among node's windows [lo, hi), those before {@code limit} (begun by {@code start}) that last to {@code end}. */
    private long[] search(int node, int lo, int hi, int limit, long start, long end, long[] best) {
        if (lo >= limit || maxEnd[node] < end) {
            return best;
        }
        if (hi - lo == 1) {
            long[] w = windows.get(lo);
            boolean itself = w[0] == start && w[1] == end;
            return !itself && (best == null || w[1] - w[0] < best[1] - best[0]) ? w : best;
        }
        int mid = (lo + hi) >>> 1;
        return search(2 * node + 1, mid, hi, limit, start, end, search(2 * node, lo, mid, limit, start, end, best));
    }
}
