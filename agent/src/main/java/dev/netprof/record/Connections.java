package dev.netprof.record;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Side table from a socket object (NioSocketImpl, SocketChannelImpl, DatagramChannelImpl) to its connection.
 *
 * <p>Retransformation cannot add a field to a JDK class, so a connection's identity lives here, keyed by the socket
 * object's identity and holding it weakly: the table never keeps a socket alive, and a socket that is collected
 * without having been closed shows up on {@link #collected()} (a leak).
 *
 * <p>Concurrency: {@link #find} runs on every read and write, lock-free: it reads the volatile table reference and
 * probes it linearly. Inserts, expunges and resizes run under this object's lock; a resize builds a new array and
 * publishes it through the volatile field, and the old array stays valid for readers still probing it. The table is
 * kept at most half full (tombstones included), so a probe always ends at an empty slot.
 */
public final class Connections {
    /** A socket known to this recording. For UDP, {@link #id} names the socket and each peer gets a {@link Flow}. */
    public static final class Entry extends WeakReference<Object> {
        public final long id;
        public final int api;
        final int hash;
        /**
         * When the application closed it (System.nanoTime), or {@link #OPEN}: a later close or a collection is not
         * counted again, and the table lets it go a while after.
         */
        private volatile long closedNs = OPEN;
        /** True once netprof has defined the connection as established, so a repeated finishConnect is no news. */
        volatile boolean established;
        /** Start of a connect still in progress (non-blocking), so the connection opens when connect began. */
        volatile long pendingSince;
        /** UDP only: the peers this socket exchanged datagrams with; copy-on-write under the table's lock. */
        volatile Flow[] flows = NO_FLOWS;
        /** One bit per op that has taken its first stack here; a racy update costs at most a spare stack. */
        private int stackedOps;
        /** Before this, a slow operation here takes no stack ({@link StackSampling}); racy like stackedOps. */
        long nextSlowStack;

        Entry(Object socket, long id, int api, int hash, ReferenceQueue<Object> queue) {
            super(socket, queue);
            this.id = id;
            this.api = api;
            this.hash = hash;
        }

        /**
         * True the first time {@code op} asks on this connection: so its first read, first write and close get a
         * stack (unless {@link #stackOnlyWhenSampled}).
         */
        boolean firstOf(int op) {
            int bit = 1 << op;
            if ((stackedOps & bit) != 0) {
                return false;
            }
            stackedOps |= bit;
            return true;
        }

        /** From now on no op is a first here: its operations take a stack only when sampled. */
        void stackOnlyWhenSampled() {
            stackedOps = -1;
        }

        public boolean isClosed() {
            return closedNs != OPEN;
        }

        void close(long atNs) {
            closedNs = atNs;
        }

        /** UDP: the ids of the flows to each peer this socket exchanged datagrams with. */
        public long[] flowIds() {
            Flow[] f = flows;
            long[] ids = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                ids[i] = f[i].id;
            }
            return ids;
        }
    }

    /** One (local socket, remote peer) pair of a datagram socket. */
    static final class Flow {
        final Object peer;
        final long id;

        Flow(Object peer, long id) {
            this.peer = peer;
            this.id = id;
        }
    }

    /**
     * How long a closed socket stays in the table: an operation that returned just before the close, and an HTTP
     * exchange recorded as its client finishes, still find its connection. After that it leaves at the next resize,
     * so the table holds the open sockets and the last second's closed ones rather than every socket the GC has not
     * collected yet: on a connection per request (17 k sockets a second, a young GC every 2.6 s) that was ~44 k
     * entries, and each new socket's lookups probed them with cache misses.
     */
    static final long CLOSED_KEPT_NS = 1_000_000_000L;
    /** An open socket's close time: a value System.nanoTime does not return in practice. */
    private static final long OPEN = Long.MIN_VALUE;
    private static final int MIN_SIZE = 1024;
    static final Flow[] NO_FLOWS = new Flow[0];
    /** Marks the socket as one netprof does not record (a Unix-domain channel), so it is looked up only once. */
    public static final long IGNORED = -1;
    private static final Entry TOMBSTONE = new Entry(null, 0, 0, 0, null);

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private volatile Entry[] table = new Entry[MIN_SIZE];
    /** Live entries plus tombstones; guarded by this. */
    private int used;

    /** The entry for {@code socket}, or null. Lock-free and allocation-free. */
    public Entry find(Object socket) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = System.identityHashCode(socket) & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.refersTo(socket)) {
                return e;
            }
        }
    }

    /** Adds {@code socket} with a new id unless it is already there; returns the entry that is in the table. */
    synchronized Entry add(Object socket, long id, int api) {
        Entry existing = find(socket);
        if (existing != null) {
            return existing;
        }
        if ((used + 1) * 2 > table.length) {
            rehash(System.nanoTime());
        }
        int hash = System.identityHashCode(socket);
        Entry e = new Entry(socket, id, api, hash, queue);
        Entry[] t = table;
        int mask = t.length - 1;
        int i = hash & mask;
        while (t[i] != null && t[i] != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        if (t[i] == null) {
            used++;
        }
        t[i] = e;
        return e;
    }

    /** The flow id for datagrams between {@code e}'s socket and {@code peer}; 0 if this is a new peer. */
    static long flowOf(Entry e, Object peer) {
        for (Flow f : e.flows) {
            if (f.peer.equals(peer)) {
                return f.id;
            }
        }
        return 0;
    }

    synchronized long addFlow(Entry e, Object peer, long newId) {
        long id = flowOf(e, peer);
        if (id != 0) {
            return id;
        }
        Flow[] old = e.flows;
        Flow[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = new Flow(peer, newId);
        e.flows = grown;
        return newId;
    }

    /** Entries whose socket was garbage collected since the last call; removes them from the table. */
    public synchronized List<Entry> collected() {
        List<Entry> gone = null;
        for (Object r; (r = queue.poll()) != null; ) {
            Entry e = (Entry) r;
            Entry[] t = table;
            int mask = t.length - 1;
            for (int i = e.hash & mask; t[i] != null; i = (i + 1) & mask) {
                if (t[i] == e) {
                    t[i] = TOMBSTONE;
                    break;
                }
            }
            if (gone == null) {
                gone = new ArrayList<>();
            }
            gone.add(e);
        }
        return gone == null ? List.of() : gone;
    }

    /**
     * A new table without tombstones and without the sockets closed more than {@link #CLOSED_KEPT_NS} ago, sized for
     * the rest (it shrinks after a burst). The old array is left as it was for lookups still probing it.
     */
    private void rehash(long nowNs) {
        Entry[] old = table;
        int kept = 0;
        for (Entry e : old) {
            if (keeps(e, nowNs)) {
                kept++;
            }
        }
        int size = MIN_SIZE;
        while ((kept + 1) * 4 > size) {
            size *= 2;
        }
        Entry[] t = new Entry[size];
        int mask = size - 1;
        int placed = 0;
        for (Entry e : old) {
            if (!keeps(e, nowNs)) {
                continue;
            }
            int i = e.hash & mask;
            while (t[i] != null) {
                i = (i + 1) & mask;
            }
            t[i] = e;
            placed++;
        }
        used = placed;
        table = t;
    }

    private static boolean keeps(Entry e, long nowNs) {
        if (e == null || e == TOMBSTONE) {
            return false;
        }
        long closedNs = e.closedNs;
        return closedNs == OPEN || nowNs - closedNs <= CLOSED_KEPT_NS;
    }
}
