package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionsTest {
    @Test
    void everyAddedSocketIsFoundAfterTheTableGrows() {
        Connections table = new Connections();
        List<Object> sockets = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            Object s = new Object();
            sockets.add(s);
            table.add(s, i, Api.NIO);
        }
        for (int i = 0; i < sockets.size(); i++) {
            assertEquals(i + 1, table.find(sockets.get(i)).id);
        }
        assertNull(table.find(new Object()));
    }

    @Test
    void addingTheSameSocketTwiceKeepsTheFirstId() {
        Connections table = new Connections();
        Object s = new Object();
        Connections.Entry first = table.add(s, 1, Api.SOCKET);
        assertSame(first, table.add(s, 2, Api.SOCKET));
    }

    @Test
    void aCollectedSocketIsReportedOnceAndLeavesTheTable() throws Exception {
        Connections table = new Connections();
        Object kept = new Object();
        table.add(kept, 1, Api.SOCKET);
        table.add(new Object(), 2, Api.SOCKET);
        List<Connections.Entry> gone = new ArrayList<>();
        for (int i = 0; i < 50 && gone.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
            gone.addAll(table.collected());
        }
        assertEquals(1, gone.size());
        assertEquals(2, gone.get(0).id);
        assertTrue(table.collected().isEmpty());
        assertEquals(1, table.find(kept).id);
    }

    @Test
    void aSocketClosedOverASecondAgoLeavesTheTableAtTheNextResizeAndIsNoLeak() throws Exception {
        Connections table = new Connections();
        Object open = new Object();
        Object closedLately = new Object();
        Object closedLongAgo = new Object();
        table.add(open, 1, Api.SOCKET);
        table.add(closedLately, 2, Api.SOCKET).close(FastClock.nanoTime());
        table.add(closedLongAgo, 3, Api.SOCKET).close(FastClock.nanoTime() - Connections.CLOSED_KEPT_NS - 1);
        List<Object> more = addUntilItResizes(table);
        assertEquals(1, table.find(open).id);
        assertEquals(2, table.find(closedLately).id);
        assertNull(table.find(closedLongAgo));
        for (int i = 0; i < more.size(); i++) {
            assertEquals(10 + i, table.find(more.get(i)).id);
        }
        // Dropped unclosed, a socket is a leak the table reports once the GC collected it; the one closed long ago,
        // collected with it, left the table closed and is no leak.
        table.add(new Object(), 4, Api.SOCKET);
        closedLongAgo = null;
        List<Long> gone = new ArrayList<>();
        for (int i = 0; i < 50 && gone.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
            table.collected().forEach(e -> gone.add(e.id));
        }
        assertEquals(List.of(4L), gone);
    }

    @Test
    void aTlsAliasLeavesTheTableWithItsConnection() {
        Connections table = new Connections();
        Object openSocket = new Object();
        Object openEngine = new Object();
        Object closedSocket = new Object();
        Object closedEngine = new Object();
        Object engineOverAFlow = new Object(); // its id is a UDP flow's, which has no entry of its own
        table.add(openSocket, 1, Api.SOCKET);
        table.add(openEngine, 1, Api.TLS_ALIAS);
        table.add(closedSocket, 2, Api.SOCKET).close(FastClock.nanoTime() - Connections.CLOSED_KEPT_NS - 1);
        table.add(closedEngine, 2, Api.TLS_ALIAS);
        table.add(engineOverAFlow, 3, Api.TLS_ALIAS);
        addUntilItResizes(table);
        assertEquals(1, table.find(openEngine).id);
        assertEquals(1, table.find(openSocket).id);
        assertNull(table.find(closedSocket));
        assertNull(table.find(closedEngine));
        assertEquals(3, table.find(engineOverAFlow).id, "an alias leaves only with a connection that leaves");
    }

    @Test
    void aDatagramSocketGetsOneFlowPerPeer() {
        Connections table = new Connections();
        Connections.Entry e = table.add(new Object(), 1, Api.DATAGRAM);
        assertEquals(0, Connections.flowOf(e, "peer-a"));
        assertEquals(10, table.addFlow(e, "peer-a", 10));
        assertEquals(10, table.addFlow(e, "peer-a", 11));
        assertEquals(12, table.addFlow(e, "peer-b", 12));
        assertEquals(10, Connections.flowOf(e, new String("peer-a")));
        assertEquals(12, Connections.flowOf(e, "peer-b"));
        assertArrayEquals(new long[] {10, 12}, sorted(e.flowIds()));
    }

    @Test
    void peersPastTheLimitShareOneFlow() {
        Connections table = new Connections();
        Connections.Entry e = table.add(new Object(), 1, Api.DATAGRAM);
        for (int peer = 0; peer < Connections.MAX_FLOWS; peer++) {
            assertEquals(100 + peer, table.addFlow(e, "peer-" + peer, 100 + peer));
        }
        assertEquals(0, Connections.flowOf(e, "one more"));
        assertEquals(5000, table.addFlow(e, "one more", 5000));
        assertTrue(e.isOtherPeers(5000));
        assertEquals(5000, table.addFlow(e, "and another", 5001), "later peers join the other peers' flow");
        assertEquals(5000, Connections.flowOf(e, "never seen"));
        assertEquals(100 + 7, Connections.flowOf(e, "peer-7"), "the first peers keep their own");
        assertFalse(e.isOtherPeers(107));
        long[] ids = sorted(e.flowIds());
        assertEquals(Connections.MAX_FLOWS + 1, ids.length);
        assertEquals(100, ids[0]);
        assertEquals(5000, ids[ids.length - 1]);
    }

    /** Sockets with ids from 10, past half of the first table's 1024 slots: it resizes. */
    private static List<Object> addUntilItResizes(Connections table) {
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Object s = new Object();
            added.add(s);
            table.add(s, 10 + i, Api.NIO);
        }
        return added;
    }

    private static long[] sorted(long[] ids) {
        long[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }
}
