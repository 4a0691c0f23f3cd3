package dev.netprof.flush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Op;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SumsTest {
    @Test
    void keepsExactSumsPerConnectionAndOpThroughGrowthAndDrains() {
        Sums sums = new Sums();
        int connections = 5_000; // far past the initial 64 slots
        for (int round = 1; round <= 3; round++) {
            for (long c = 1; c <= connections; c++) {
                sums.add(c, Op.READ, c, round);
                sums.add(c, Op.TLS_WRITE, 2 * c, 0);
            }
        }
        assertEquals(2 * connections, sums.size());
        Map<String, long[]> seen = drain(sums);
        assertEquals(2 * connections, seen.size());
        for (long c = 1; c <= connections; c++) {
            assertArrayEquals(new long[] {3, 3 * c, 6}, seen.get(c + "/" + Op.READ), "connection " + c);
            assertArrayEquals(new long[] {3, 6 * c, 0}, seen.get(c + "/" + Op.TLS_WRITE), "connection " + c);
        }
        assertTrue(sums.isEmpty());
        assertEquals(Map.of(), drain(sums), "a drain empties the table");

        sums.add(7, Op.WRITE, 10, 5);
        assertEquals(1, drain(sums).size(), "usable again after a drain");
    }

    private static Map<String, long[]> drain(Sums sums) {
        Map<String, long[]> seen = new HashMap<>();
        sums.drain((connection, op, operations, bytes, durationNs) ->
            assertEquals(null, seen.put(connection + "/" + op, new long[] {operations, bytes, durationNs}),
                "each key once"));
        return seen;
    }
}
