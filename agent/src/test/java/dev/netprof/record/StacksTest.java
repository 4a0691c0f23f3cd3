package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.stacksites.CallSites;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    void twoCallSitesOnOneLineAreOneStackDefinedOnce() {
        int[] r = CallSites.twoSitesOnOneLine(stacks::capture);
        assertEquals(r[0], r[1]);
        assertEquals(1, defined().size());
    }

    @Test
    void oneSiteReachedFromTwoCallersIsTwoStacks() {
        for (int i = 0; i < 2; i++) { // the second time round, both are known by their fingerprints
            int[] r = CallSites.oneSiteTwoCallers(stacks::capture);
            assertNotEquals(r[0], r[1]);
        }
        Set<String> callers = new TreeSet<>();
        for (String[] frames : defined().values()) {
            assertTrue(frames[0].startsWith("dev.netprof.stacksites.CallSites.site:"), frames[0]);
            callers.add(frames[1].substring(0, frames[1].indexOf(':')));
        }
        assertEquals(Set.of("dev.netprof.stacksites.CallSites.viaFirstCaller",
            "dev.netprof.stacksites.CallSites.viaSecondCaller"), callers);
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
