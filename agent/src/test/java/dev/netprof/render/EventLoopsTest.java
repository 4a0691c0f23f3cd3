package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
    private static final long MS = 1_000_000;
    private static final int SELECTOR = 77;
    private static final long CHANNEL = 1;
    private static final long SOCKET = 2;
    private static final int HOST = 9;

    /**
     * An SSLEngine handshake finished on a selector thread spans the selects of its round trips: the loop did not
     * block in it. A DNS lookup there did; a cached one, answered at once, did not.
     */
    @Test
    void aHandshakeAroundSelectsIsNoBlockingCallButALookupIs() {
        Recording r = recording();
        List<EventLoops.Loop> found = analyse(r,
            // {thread, start, duration, op, connection, ref}, all ending inside the loop's selects
            new long[] {1, 0, 2 * MS, Op.SELECT, 0, SELECTOR},
            new long[] {1, 2 * MS, 10 * MS, Op.TLS_HANDSHAKE, CHANNEL, 0}, // logged as it ends, after its selects
            new long[] {1, 3 * MS, 2 * MS, Op.SELECT, 0, SELECTOR},
            new long[] {1, 6 * MS, 2 * MS, Op.SELECT, 0, SELECTOR},
            new long[] {1, 9 * MS, MS / 100, Op.DNS_LOOKUP, 0, HOST},
            new long[] {1, 13 * MS, 5 * MS, Op.DNS_LOOKUP, 0, HOST},
            new long[] {1, 18 * MS, 2 * MS, Op.SELECT, 0, SELECTOR});
        assertEquals(1, found.size());
        EventLoops.Loop l = found.get(0);
        assertEquals(4, l.selects());
        assertEquals(1, l.blockingOps(), "the lookup that went to the resolver");
        assertEquals(5 * MS, l.blockingNs());
        assertEquals("example.com", l.longestHost());
        assertEquals(13 * MS, l.longestAtNs());
    }

    /**
     * A java.net.Socket's calls block the loop however short; its channels' own calls are non-blocking, and one that
     * took long is only slow (the thread was descheduled).
     */
    @Test
    void aSocketsCallsBlockAndASlowChannelCallIsOnlySlow() {
        Recording r = recording();
        List<EventLoops.Loop> found = analyse(r,
            new long[] {1, 0, MS, Op.SELECT, 0, SELECTOR},
            new long[] {1, MS, 3 * MS, Op.WRITE, CHANNEL, 0},
            new long[] {1, 4 * MS, MS / 10, Op.WRITE, SOCKET, 0},
            new long[] {1, 5 * MS, 2 * MS, Op.READ, SOCKET, 0},
            new long[] {1, 8 * MS, MS, Op.SELECT, 0, SELECTOR});
        EventLoops.Loop l = found.get(0);
        assertEquals(2, l.blockingOps());
        assertEquals(2 * MS + MS / 10, l.blockingNs());
        assertEquals(1, l.slowOps(), "the channel's write");
        assertEquals(Op.READ, l.longestOp());
        assertEquals(SOCKET, l.longestConnection());
        assertTrue(l.ownsItsSelectors());
    }

    /** Threads taking turns on one selector (Jetty's pool) are told apart from a loop that owns its selector. */
    @Test
    void threadsTakingTurnsOnASelectorAreToldApart() {
        Recording r = recording();
        List<EventLoops.Loop> found = analyse(r,
            new long[] {1, 0, MS, Op.SELECT, 0, SELECTOR},
            new long[] {1, MS, 5 * MS, Op.READ, SOCKET, 0},
            new long[] {2, 2 * MS, MS, Op.SELECT, 0, SELECTOR},
            new long[] {1, 7 * MS, MS, Op.SELECT, 0, SELECTOR},
            new long[] {3, 0, MS, Op.SELECT, 0, SELECTOR + 1},
            new long[] {3, 500 * MS, MS, Op.SELECT, 0, SELECTOR + 1});
        assertEquals(3, found.size());
        assertEquals(2, found.get(0).turnTakers());
        assertFalse(found.get(0).ownsItsSelectors());
        assertEquals(1, found.get(0).blockingOps(), "counted, but no finding");
        assertTrue(found.get(2).ownsItsSelectors());
        List<Findings.Finding> findings = Findings.of(r, found);
        assertEquals(List.of("event-loop-busy 3"), findings.stream().map(f -> f.kind() + " " + f.thread()).toList());
    }

    /**
     * A worker waiting for one channel at a time with a selector of its own (XNIO's blocking reads: register, select,
     * cancel, selectNow) leaves it holding no channel while it works: nothing waits on it, so neither its work nor
     * its blocking calls are a loop's. The same gap and call after a select that left channels registered are.
     */
    @Test
    void whatAThreadDoesWithNoChannelRegisteredHoldsNobody() {
        Recording r = recording();
        List<EventLoops.Loop> found = analyse(r,
            // {thread, start, duration, op, connection, ref, channels left registered}
            new long[] {1, 0, 50 * MS, Op.SELECT, 0, SELECTOR, 1},
            new long[] {1, 50 * MS, MS / 100, Op.SELECT, 0, SELECTOR, 0},
            new long[] {1, 60 * MS, 5 * MS, Op.READ, SOCKET, 0}, // the handler's database call
            new long[] {1, 400 * MS, 50 * MS, Op.SELECT, 0, SELECTOR, 1},
            new long[] {1, 450 * MS, MS / 100, Op.SELECT, 0, SELECTOR, 0},
            new long[] {1, 800 * MS, MS, Op.SELECT, 0, SELECTOR, 1},
            new long[] {2, 0, MS, Op.SELECT, 0, SELECTOR + 1, 2},
            new long[] {2, MS, 5 * MS, Op.READ, SOCKET, 0},
            new long[] {2, 300 * MS, MS, Op.SELECT, 0, SELECTOR + 1, 2},
            new long[] {2, 301 * MS, MS, Op.SELECT, 0, SELECTOR + 1, 0});
        EventLoops.Loop worker = found.get(0);
        assertEquals(5, worker.selects());
        assertEquals(1, worker.maxChannels());
        assertEquals(0, worker.blockingOps());
        assertEquals(0, worker.busyGaps());
        assertEquals(0, worker.maxGapNs());
        EventLoops.Loop loop = found.get(1);
        assertEquals(2, loop.maxChannels());
        assertEquals(1, loop.blockingOps());
        assertEquals(1, loop.busyGaps());
        assertEquals(300 * MS - MS - 5 * MS, loop.maxGapNs());
        List<Findings.Finding> findings = Findings.of(r, found);
        assertEquals(List.of("event-loop-blocking-io 2", "event-loop-busy 2"),
            findings.stream().map(f -> f.kind() + " " + f.thread()).toList());
    }

    /** A log from before selects recorded their channels: every select is taken to have left some registered. */
    @Test
    void selectsWithoutTheirChannelsCountAsHolding() {
        Recording r = recording();
        List<EventLoops.Loop> found = analyse(r,
            new long[] {1, 0, MS, Op.SELECT, 0, SELECTOR, -1},
            new long[] {1, 200 * MS, MS, Op.SELECT, 0, SELECTOR, -1});
        assertEquals(-1, found.get(0).maxChannels());
        assertEquals(1, found.get(0).busyGaps());
    }

    private static Recording recording() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.connection(CHANNEL, Api.NIO, Api.ROLE_SERVER, 0, 0, "127.0.0.1:80", "127.0.0.1:5000", null, 0);
        r.connection(SOCKET, Api.SOCKET, Api.ROLE_CLIENT, 0, 0, "127.0.0.1:5001", "127.0.0.1:5432", null, 0);
        r.string(HOST, "example.com");
        return r;
    }

    /** Events {thread, start, duration, op, connection, ref[, channels a select left registered: 1 if not given]}. */
    private static List<EventLoops.Loop> analyse(Recording r, long[]... events) {
        for (long[] e : events) {
            r.event(1, (int) e[3], Outcome.OK, e[0], e[1], e[2], e[4], bytes(e), (int) e[5], 0);
        }
        EventLoops loops = new EventLoops(r);
        for (long[] e : events) {
            loops.event(1, (int) e[3], Outcome.OK, e[0], e[1], e[2], e[4], bytes(e), (int) e[5], 0);
        }
        return loops.loops();
    }

    private static long bytes(long[] e) {
        if (e[3] != Op.SELECT) {
            return 1;
        }
        return e.length > 6 && e[6] < 0 ? 1 : Op.selectCounts(1, e.length > 6 ? (int) e[6] : 1);
    }
}
