package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.stacksites.CallSites;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StacksTest {
    private final Catalog catalog = new Catalog();
    private final Stacks stacks = new Stacks(catalog);

    @Test
    void aStackSeenAgainIsTheSameIdAndDefinedOnce() {
        int[] r = CallSites.oneSiteTwice(stacks::capture);
        assertTrue(r[0] > 0);
        assertEquals(r[0], r[1]);
        Map<Integer, String[]> defined = defined();
        assertEquals(1, defined.size());
        assertEquals("dev.netprof.stacksites.CallSites.oneSiteTwice:" + r[2], defined.get(r[0])[0]);
    }

    @Test
    void twoCallSitesInOneMethodAreTwoStacksWithTheirOwnLines() {
        int[] r = CallSites.twoSites(stacks::capture);
        assertNotEquals(r[0], r[2]);
        Map<Integer, String[]> defined = defined();
        assertEquals(2, defined.size());
        String site = "dev.netprof.stacksites.CallSites.twoSites:";
        assertEquals(site + r[1], defined.get(r[0])[0]);
        assertEquals(site + r[3], defined.get(r[2])[0]);
        String[] outer = defined.get(r[0]);
        String[] outerOfSecond = defined.get(r[2]);
        assertArrayEquals(Arrays.copyOfRange(outer, 1, outer.length),
            Arrays.copyOfRange(outerOfSecond, 1, outerOfSecond.length));
    }

    @Test
    void netprofsOwnFramesAreLeftOut() {
        stacks.capture();
        for (String frame : defined().values().iterator().next()) {
            assertTrue(!frame.startsWith("dev.netprof.record."), frame);
        }
    }

    private Map<Integer, String[]> defined() {
        Map<Integer, String[]> stacksById = new HashMap<>();
        for (Object d; (d = catalog.poll()) != null; ) {
            if (d instanceof Catalog.StackInfo) {
                Catalog.StackInfo s = (Catalog.StackInfo) d;
                stacksById.put(s.id(), s.frames());
            }
        }
        return stacksById;
    }
}
