package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
    private static final long MS = 1_000_000;

    /**
     * An SSLEngine handshake finished on a selector thread spans the selects of its round trips: the loop did not
     * block in it. A DNS lookup there did.
     */
    @Test
    void aHandshakeAroundSelectsIsNoBlockingCallButALookupIs() {
        long[][] events = {
            // {start, duration, op} on thread 1, all ending inside the loop's selects
            {0, 2 * MS, Op.SELECT},
            {2 * MS, 10 * MS, Op.TLS_HANDSHAKE}, // logged as it ends, after the selects inside it
            {3 * MS, 2 * MS, Op.SELECT},
            {6 * MS, 2 * MS, Op.SELECT},
            {13 * MS, 5 * MS, Op.DNS_LOOKUP},
            {18 * MS, 2 * MS, Op.SELECT}};
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        for (long[] e : events) {
            r.event(1, (int) e[2], Outcome.OK, 1, e[0], e[1], 0, 1, 0, 0);
        }
        EventLoops loops = new EventLoops(r);
        for (long[] e : events) {
            loops.event(1, (int) e[2], Outcome.OK, 1, e[0], e[1], 0, 1, 0, 0);
        }
        List<EventLoops.Loop> found = loops.loops();
        assertEquals(1, found.size());
        assertEquals(4, found.get(0).selects());
        assertEquals(1, found.get(0).blockingOps(), "the lookup");
        assertEquals(5 * MS, found.get(0).blockingNs());
    }
}
