package dev.netprof.record;

import dev.netprof.event.Api;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

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
    /** A socket known to this recording. For UDP, {@link #id} names the socket and each peer gets a flow. */
    public static final class Entry extends WeakReference<Object> {
        public final long id;
        public final int api;
        final int hash;
        /**
         * When the application closed it ({@link FastClock}), or {@link #OPEN}: a later close or a collection is not
         * counted again, and the table lets it go a while after.
         */
        private volatile long closedNs = OPEN;
        /** True once netprof has defined the connection as established, so a repeated finishConnect is no news. */
        volatile boolean established;
        /** Start of a connect still in progress (non-blocking), so the connection opens when connect began. */
        volatile long pendingSince;
        /**
         * The peer of that connect until it is established: a channel closed before it finished no longer says. Left
         * for the table to drop with the entry, a second after a close.
         */
        volatile Object pendingPeer;
        /**
         * UDP only: the flow id of each peer this socket exchanged datagrams with, by the peer's address (up to {@link
         * #MAX_FLOWS}); null until the first. Read lock-free by every datagram, added to under the table's lock.
         */
        private volatile ConcurrentHashMap<Object, Long> flows;
        /** UDP only: the flow id of the peers past {@link #MAX_FLOWS}, 0 until there are any. */
        private volatile long otherPeers;
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

        /** UDP: the ids of this socket's flows, one per peer and the other peers' one. */
        public long[] flowIds() {
            ConcurrentHashMap<Object, Long> f = flows;
            List<Long> ids = f == null ? new ArrayList<>() : new ArrayList<>(f.values());
            if (otherPeers != 0) {
                ids.add(otherPeers);
            }
            return ids.stream().mapToLong(Long::longValue).toArray();
        }

        /** Whether {@code flowId} is the flow of the peers past {@link #MAX_FLOWS}. */
        boolean isOtherPeers(long flowId) {
            return flowId != 0 && flowId == otherPeers;
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
    /**
     * Peers a datagram socket keeps a flow each for; the datagrams of any more are counted together on one flow (a
     * DNS or StatsD server hears from a peer per client: its memory and lookups stay bounded, its bytes exact).
     */
    static final int MAX_FLOWS = 1024;
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
            rehash(FastClock.nanoTime());
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

    /**
     * The flow id for datagrams between {@code e}'s socket and {@code peer}: its own, or past {@link #MAX_FLOWS} peers
     * the other peers' one; 0 if this is a new peer. Lock-free and allocation-free.
     */
    static long flowOf(Entry e, Object peer) {
        ConcurrentHashMap<Object, Long> flows = e.flows;
        Long id = flows == null ? null : flows.get(peer);
        return id != null ? id : e.otherPeers;
    }

    /**
     * The flow id for {@code peer}, {@code newId} when the caller is to define it: the peer's own flow, or the other
     * peers' one if it is the first past {@link #MAX_FLOWS}.
     */
    synchronized long addFlow(Entry e, Object peer, long newId) {
        long id = flowOf(e, peer);
        if (id != 0) {
            return id;
        }
        if (e.flows == null) {
            e.flows = new ConcurrentHashMap<>();
        }
        if (e.flows.size() < MAX_FLOWS) {
            e.flows.put(peer, newId);
        } else {
            e.otherPeers = newId;
        }
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
     * A new table without tombstones, without the sockets closed more than {@link #CLOSED_KEPT_NS} ago and without
     * their TLS aliases (an SSLSocket or SSLEngine is not closed where netprof sees it: it goes with its connection),
     * sized for the rest (it shrinks after a burst). The old array is left as it was for lookups still probing it.
     */
    private void rehash(long nowNs) {
        Entry[] old = table;
        long[] leaving = leavingWithAliases(old, nowNs);
        int kept = 0;
        for (Entry e : old) {
            if (keeps(e, nowNs, leaving)) {
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
            if (!keeps(e, nowNs, leaving)) {
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

    /**
     * The ids of the connections a resize drops, sorted: their TLS aliases go with them. Empty when the table holds no
     * alias, so that a connection-per-request churn without TLS collects nothing.
     */
    private static long[] leavingWithAliases(Entry[] table, long nowNs) {
        long[] ids = new long[16];
        int n = 0;
        boolean aliases = false;
        for (Entry e : table) {
            if (e == null || e == TOMBSTONE) {
                continue;
            }
            if (e.api == Api.TLS_ALIAS) {
                aliases = true;
            } else if (!keeps(e, nowNs)) {
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, 2 * n);
                }
                ids[n++] = e.id;
            }
        }
        long[] leaving = aliases ? Arrays.copyOf(ids, n) : new long[0];
        Arrays.sort(leaving);
        return leaving;
    }

    /** {@code leaving}: see {@link #leavingWithAliases}. */
    private static boolean keeps(Entry e, long nowNs, long[] leaving) {
        if (e == null || e == TOMBSTONE) {
            return false;
        }
        return e.api == Api.TLS_ALIAS ? Arrays.binarySearch(leaving, e.id) < 0 : keeps(e, nowNs);
    }

    private static boolean keeps(Entry e, long nowNs) {
        long closedNs = e.closedNs;
        return closedNs == OPEN || nowNs - closedNs <= CLOSED_KEPT_NS;
    }
}
