package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerWindowsTest {
    @Test
    void theInnermostWindowIsTheShortestThatContainsTheOperationAndNotItself() {
        LayerWindows w = new LayerWindows();
        w.add(0, 100, 1, 0, 0, 0);   // an exchange
        w.add(10, 30, 2, 0, 0, 0);   // a handshake inside it
        w.add(12, 20, 3, 0, 0, 0);   // a lookup inside that
        w.add(200, 300, 4, 0, 0, 0); // the next exchange
        w.index();
        assertArrayEquals(new long[] {12, 20, 3, 0, 0, 0}, w.innermost(13, 15));
        assertArrayEquals(new long[] {10, 30, 2, 0, 0, 0}, w.innermost(21, 25));
        assertArrayEquals(new long[] {10, 30, 2, 0, 0, 0}, w.innermost(12, 20), "not itself: the one around it");
        assertArrayEquals(new long[] {0, 100, 1, 0, 0, 0}, w.innermost(40, 100));
        assertNull(w.innermost(0, 100), "the outermost has nothing around it");
        assertNull(w.innermost(150, 160), "between windows");
        assertNull(w.innermost(250, 350), "runs past the window's end");
    }

    /** Overlapping, nested and disjoint windows (concurrent async exchanges on one thread), against a full scan. */
    @Test
    void agreesWithAScanOfEveryWindow() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            LayerWindows w = new LayerWindows();
            List<long[]> all = new ArrayList<>();
            int n = 1 + random.nextInt(300);
            for (int i = 0; i < n; i++) {
                long start = random.nextInt(10_000);
                long[] window = {start, start + random.nextInt(random.nextBoolean() ? 50 : 5_000), i, 0, 0, 0};
                all.add(window);
                w.add(window[0], window[1], window[2], 0, 0, 0);
            }
            w.index();
            all.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int q = 0; q < 500; q++) {
                long start = random.nextInt(11_000);
                long end = start + random.nextInt(200);
                if (q % 10 == 0) {
                    long[] one = all.get(random.nextInt(n));
                    start = one[0];
                    end = one[1];
                }
                assertArrayEquals(scan(all, start, end), w.innermost(start, end), "[" + start + ", " + end + "]");
            }
        }
    }

    private static long[] scan(List<long[]> sortedByStart, long start, long end) {
        long[] inner = null;
        for (long[] w : sortedByStart) {
            if (w[0] > start) {
                break;
            }
            boolean itself = w[0] == start && w[1] == end;
            if (!itself && w[1] >= end && (inner == null || w[1] - w[0] < inner[1] - inner[0])) {
                inner = w;
            }
        }
        return inner;
    }
}
