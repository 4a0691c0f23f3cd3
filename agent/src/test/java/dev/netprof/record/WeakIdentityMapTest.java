package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {
    @Test
    void keysAreObjectsNotTheirEquals() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        String a = new String("future");
        String b = new String("future");
        assertNull(map.put(a, "first"));
        assertNull(map.put(b, "second"), "an equal but distinct object is another key");
        assertEquals("first", map.put(a, "again"));
        assertEquals("again", map.remove(a));
        assertNull(map.remove(a), "removed once");
        assertEquals("second", map.remove(b));
    }

    @Test
    void anObjectTheApplicationDroppedTakesItsEntryWithIt() throws Exception {
        WeakIdentityMap<Integer> map = new WeakIdentityMap<>();
        Object kept = new Object();
        map.put(kept, 1);
        map.put(new Object(), 2);
        for (int i = 0; i < 50 && map.size() > 1; i++) {
            System.gc();
            Thread.sleep(20);
            map.put(kept, 1); // a put clears what the GC dropped
        }
        assertEquals(1, map.size());
        map.put(new Object(), 3);
        for (int i = 0; i < 50 && map.size() > 1; i++) {
            System.gc();
            Thread.sleep(20);
            map.remove(new Object()); // a remove too: an HTTP client's futures keep removing once nothing is put
        }
        assertEquals(1, map.size());
        assertEquals(1, map.remove(kept));
    }
}
