package dev.netprof.record;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ConnectionPendingException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seam between the socket layer's instrumentation and recording: TCP and UDP advice calls a static method here,
 * and nothing else. The recorders of the layers above (TLS, HTTP, DNS) record through it too.
 *
 * <p>This class is loaded by the bootstrap class loader, because Advice is inlined into JDK classes. The read/write
 * path ({@link #transfer}) allocates nothing: one clock read, a lock-free table probe, a thread-local lookup and
 * seven stores into the thread's buffer. Everything that allocates (addresses, stacks, strings) happens at connect,
 * accept, close, failure or the first sighting of a socket.
 */
public final class Recorder {
    /** The remote address a datagram socket's flow of the peers past {@link Connections#MAX_FLOWS} reads as. */
    private static final String OTHER_PEERS = "(other peers)";
    private static volatile Capture capture;

    /** Per carrier thread on JDK 21+ (a virtual thread writes into its carrier's buffer), per thread before. */
    private static final ThreadLocal<ThreadState> STATE = ThreadStates.newThreadLocal();

    static final class ThreadState {
        final Thread owner;
        final int osTid;
        Buffers buffers;
        EventBuffer buffer;
        /** The connection of this thread's last event: an SSLEngine's handshake runs on the read that fed it. */
        long lastConnection;
        /** The descriptor and local address of the JDK's last {@code Net.localAddress} call on this thread. */
        Object localFd;
        SocketAddress localAddress;
        /**
         * Where in its array the last socket adaptor read that got bytes on this carrier ended ({@link #readTo}), and
         * which thread read it: a virtual thread may have moved to another carrier since, and another may have read.
         * The reader is kept by id, not by reference: storing a reference into this long-lived state on every read
         * runs G1's post-write barrier, which put 2 JMH forks of 16 at 141-154 ns a read instead of ~31.
         */
        int readTo;
        long readBy;

        ThreadState(Thread owner, int osTid) {
            this.owner = owner;
            this.osTid = osTid;
        }
    }

    public static void start(Capture c) {
        capture = c;
    }

    /**
     * Stops recording: operations that end from now on are not recorded. Returns when, read right after the last
     * moment an operation could still see the recording: every recorded operation read its end before that.
     */
    public static long stop() {
        capture = null;
        return FastClock.nanoTime();
    }

    /** The recording in progress, or null: for the recorders of higher layers (TLS, HTTP, DNS). */
    static Capture current() {
        return capture;
    }

    // ---- TCP ----

    /** A read or write that returned normally. {@code bytes} is the return value (-1 at end of stream). */
    public static void transfer(int op, int api, Object socket, long start, long bytes) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(socket);
        long id = e != null ? e.id : firstSighting(c, api, socket);
        if (id == Connections.IGNORED) {
            return;
        }
        int outcome = bytes < 0 ? Outcome.EOF : Outcome.OK;
        // End of stream always gets a stack: it is where a half-closed connection was last read.
        boolean first = e == null || e.firstOf(op);
        int stack = bytes < 0 || c.sampling.wants(end, end - start, first, e) ? c.stacks.capture() : 0;
        emit(c, op, outcome, 0, start, end, id, bytes < 0 ? 0 : bytes, stack);
    }

    /** Any socket operation that threw. */
    public static void failed(int op, Object socket, long start, Throwable thrown) {
        failed(op, socket, start, FastClock.nanoTime(), thrown, 0);
    }

    /**
     * A channel's read or write that threw after moving {@code bytes}, as its buffers' positions say: a blocking one
     * that an interrupt cut short.
     */
    public static void failedAfter(int op, Object socket, long start, Throwable thrown, long bytes) {
        failed(op, socket, start, FastClock.nanoTime(), thrown, Math.max(0, bytes));
    }

    /**
     * How far {@code buffer}'s position moved from {@code position}, taken at the call's entry: the bytes a call that
     * threw had moved through it. Zero for a null buffer, which the call rejects before moving any.
     */
    public static int movedSince(ByteBuffer buffer, int position) {
        return buffer == null ? 0 : buffer.position() - position;
    }

    /**
     * The sum of the positions of {@code buffers[off]} to {@code buffers[off + len - 1]}: read before and after a
     * scattering read or gathering write, how many bytes it moved. Zero for arguments the channel rejects before
     * moving any, so that it never throws.
     */
    public static long positions(ByteBuffer[] buffers, int off, int len) {
        if (buffers == null || off < 0 || len < 0 || off > buffers.length - len) {
            return 0;
        }
        long sum = 0;
        for (int i = off; i < off + len; i++) {
            ByteBuffer b = buffers[i];
            if (b != null) {
                sum += b.position();
            }
        }
        return sum;
    }

    /** A socket operation that threw, having moved {@code bytes} first. */
    private static void failed(int op, Object socket, long start, long end, Throwable thrown, long bytes) {
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(socket);
        long id = e != null ? e.id : 0;
        if (id == Connections.IGNORED) {
            return;
        }
        emitFailure(c, op, id, start, end, thrown, c.stacks.capture(), bytes);
    }

    /**
     * Where this thread's read or write that moves its array's bytes in parts had got to when it may fail after them,
     * so that if it does ({@link #failedInParts}), what it moved, which did cross the wire, is recorded: a write whose
     * send threw or came back short, a write or a socket adaptor's read that an interrupt fails after its bytes moved.
     * Per thread, virtual ones included: a virtual thread parks between short sends. Identity hashes, not the socket,
     * so no application object is kept; the time tells a later call's failure from this one's.
     */
    private static final class Progress {
        int socket;
        int pos;
        /** The sends took all the write's bytes: it failed after them ({@link #interruptedAfterMoving}). */
        boolean all;
        long atNs;
        boolean set;
    }

    private static final ThreadLocal<Progress> PROGRESS = ThreadLocal.withInitial(Progress::new);

    /**
     * A send of a write that sends in parts threw, or came back short, leaving the write at {@code pos}. Not called
     * for a send that took everything, so a write that succeeds in one send pays nothing for this.
     */
    public static void sendEnded(Object socket, int pos) {
        keepProgress(socket, pos, false);
    }

    /**
     * A socket adaptor's read got bytes into its array, up to {@code end}. Nothing knows how many once an interrupt
     * has failed the read after them ({@link #interruptedAfterMoving}), so each read that gets bytes keeps it, in the
     * carrier's state the recording already has (a virtual thread's own thread-local would be allocated per thread):
     * two field writes, on the adaptor's reads alone.
     */
    public static void readTo(int end) {
        ThreadState ts;
        if (capture != null && (ts = STATE.get()) != null) {
            ts.readTo = end;
            ts.readBy = Thread.currentThread().getId();
        }
    }

    /**
     * A channel's read or write is failing although it moved bytes: an interrupt closed the channel under it, and its
     * end throws ClosedByInterruptException. A socket adaptor's read got what its last {@link #readTo} says (between a
     * channel's read of the bytes and its end, its thread reads nothing else); its write, which sends in parts, is
     * failing although its sends took all its bytes. Only on that throw, so it costs a read or write nothing.
     */
    public static void interruptedAfterMoving(int op, Object socket) {
        if (op != Op.READ) {
            keepProgress(socket, 0, true);
            return;
        }
        ThreadState ts = STATE.get();
        if (ts != null && ts.readBy == Thread.currentThread().getId()) {
            keepProgress(socket, ts.readTo, false);
        }
    }

    private static void keepProgress(Object socket, int pos, boolean all) {
        if (capture == null) {
            return;
        }
        Progress p = PROGRESS.get();
        p.socket = System.identityHashCode(socket);
        p.pos = pos;
        p.all = all;
        p.atNs = FastClock.nanoTime();
        p.set = true;
    }

    /**
     * A read or write of {@code len} bytes from {@code off} that moves them in parts threw: recorded with the bytes it
     * had moved.
     */
    public static void failedInParts(int op, Object socket, long start, Throwable thrown, int off, int len) {
        long end = FastClock.nanoTime();
        failed(op, socket, start, end, thrown, movedBeforeFailure(socket, start, off, len));
    }

    /** Takes what {@link #keepProgress} kept, if this call (begun at {@code start}) kept it. */
    static long movedBeforeFailure(Object socket, long start, int off, int len) {
        Progress p = PROGRESS.get();
        if (!p.set) {
            return 0;
        }
        p.set = false;
        boolean own = p.socket == System.identityHashCode(socket) && p.atNs - start >= 0
            && (p.all || p.pos >= off && p.pos - off <= len);
        return !own ? 0 : p.all ? len : p.pos - off;
    }

    /** connect, finishConnect or an adaptor's connect, returning {@code established} or still pending. */
    public static void connected(int op, int api, Object socket, long start, boolean established) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(socket);
        if (e == null) {
            SocketAddress peer = Endpoints.remote(api, socket);
            if (!Endpoints.isNetwork(peer)) {
                c.connections.add(socket, Connections.IGNORED, api);
                return;
            }
            e = c.connections.add(socket, c.newId(), api);
            e.pendingSince = start;
            e.pendingPeer = peer;
        } else if (e.id == Connections.IGNORED) {
            return;
        }
        int stack = c.stacks.capture();
        if (established && !e.established) {
            e.established = true;
            e.pendingPeer = null;
            stackFirstsOfFewPerSite(c, e, stack);
            define(c, e.id, api, Api.ROLE_CLIENT, false, true, e.pendingSince, socket, stack);
        }
        emit(c, op, established ? Outcome.OK : Outcome.PENDING, 0, start, end, e.id, 0, stack);
    }

    /**
     * A connect that threw: the attempt is defined (never established) so the error names its peer. A connect that
     * throws on a connection already established ({@code AlreadyConnectedException}, a stale {@code finishConnect}
     * after a close) or while its own earlier connect is pending ({@code ConnectionPendingException}) ends nothing:
     * only its error is recorded, on that connection.
     */
    public static void connectFailed(int op, int api, Object socket, long start, Object remote, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(socket);
        if (e == null) {
            e = c.connections.add(socket, c.newId(), api);
        } else if (e.id != Connections.IGNORED && (e.established || thrown instanceof ConnectionPendingException)) {
            emitFailure(c, op, e.id, start, end, thrown, c.stacks.capture(), 0);
            return;
        }
        if (e.id == Connections.IGNORED) {
            return;
        }
        int stack = c.stacks.capture();
        // A finishConnect names no peer, and its channel is closed by now: the connect's peer, kept, does.
        defineAttempt(c, e, api, socket, remote != null ? remote : e.pendingPeer,
            e.pendingSince != 0 ? e.pendingSince : start, stack);
        e.close(end);
        emitFailure(c, op, e.id, start, end, thrown, stack, 0);
    }

    /** A connect attempt that never established: defined so that its error names its peer. */
    private static void defineAttempt(Capture c, Connections.Entry e, int api, Object socket, Object remote,
                                      long opened, int stack) {
        SocketAddress peer = remote instanceof SocketAddress ? (SocketAddress) remote : Endpoints.remote(api, socket);
        c.catalog.add(new Catalog.ConnectionInfo(e.id, api, Api.ROLE_CLIENT, false, false, opened,
            Endpoints.format(Endpoints.local(api, socket)), Endpoints.format(peer), Endpoints.hostName(peer), stack));
    }

    /** An accept that returned {@code accepted} (null when a non-blocking accept found nobody). */
    public static void accepted(int api, Object accepted, long start) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null || accepted == null) {
            return;
        }
        if (!Endpoints.isNetwork(Endpoints.remote(api, accepted))) {
            c.connections.add(accepted, Connections.IGNORED, api);
            return;
        }
        Connections.Entry e = c.connections.add(accepted, c.newId(), api);
        e.established = true;
        int stack = c.stacks.capture();
        stackFirstsOfFewPerSite(c, e, stack);
        // Opened when the accept returned: a blocking accept may have waited long before a client came.
        define(c, e.id, api, Api.ROLE_SERVER, false, true, end, accepted, stack);
        emit(c, Op.ACCEPT, Outcome.OK, 0, start, end, e.id, 0, stack);
    }

    /** An accept that threw (timeout, closed listener): an error with no connection. */
    public static void acceptFailed(Throwable thrown, long start) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c != null) {
            fail(c, Op.ACCEPT, 0, start, end, thrown);
        }
    }

    /** shutdownInput/shutdownOutput; {@code thrown} null when it returned normally. */
    public static void shutdown(int op, Object socket, long start, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(socket);
        if (e == null || e.id == Connections.IGNORED) {
            return;
        }
        if (thrown != null) {
            fail(c, op, e.id, start, end, thrown);
        } else {
            emit(c, op, Outcome.OK, 0, start, end, e.id, 0, c.stacks.capture());
        }
    }

    /**
     * A finishConnect that fails closes its channel before it throws, and its failure is then the attempt's error.
     * Walks the stack, only for a channel closed while its connect was pending.
     */
    private static boolean closedByFinishConnect() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("finishConnect")
            && f.getClassName().equals("sun.nio.ch.SocketChannelImpl")));
    }

    /** What a non-blocking connect closed before it finished records as its error. */
    static final String ABANDONED = "closed while connecting, before a finishConnect completed the connect";

    /**
     * The application closed the socket. Only the first close of a known socket counts; a socket netprof never saw
     * connected (a failed or never-used one) has no connection to close.
     */
    public static void closed(int api, Object socket, long start, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(socket);
        if (e == null || e.isClosed()) {
            return;
        }
        e.close(end); // an ignored socket too, so that the table lets it go
        if (e.id == Connections.IGNORED) {
            return;
        }
        int stack = e.firstOf(Op.CLOSE) || c.sampling.wants(end, end - start, false, e) ? c.stacks.capture() : 0;
        Object pendingPeer = e.pendingPeer; // null once established: one read on an ordinary close
        if (pendingPeer != null && !closedByFinishConnect()) {
            // A non-blocking connect closed before finishConnect said it was done: the application gave up on it
            // (its own connect timeout), or never asked. An error on the attempt, timed as this close: the thread
            // closing it (an event loop, say) never waited in the connect.
            stack = stack != 0 ? stack : c.stacks.capture();
            defineAttempt(c, e, api, socket, pendingPeer, e.pendingSince, stack);
            emit(c, Op.CONNECT, Outcome.CLOSED, c.catalog.string(ABANDONED), start, end, e.id, 0, stack);
        }
        int outcome = thrown == null ? Outcome.OK : Outcome.of(thrown);
        int ref = thrown == null ? 0 : c.catalog.string(describe(thrown));
        if (api == Api.DATAGRAM) {
            for (long flow : e.flowIds()) {
                emit(c, Op.CLOSE, outcome, ref, start, end, flow, 0, stack);
            }
        } else {
            emit(c, Op.CLOSE, outcome, ref, start, end, e.id, 0, stack);
        }
    }

    /**
     * The JDK read {@code fd}'s local address, as a Socket's connect or accept does just before it returns: kept for
     * the connection that defines it ({@link #local}), which would otherwise ask the kernel again. Only on a thread
     * that has recorded before: the JDK holds the socket's lock here, and a thread's first state reads /proc.
     */
    public static void localAddressRead(Object fd, Object address) {
        ThreadState ts;
        if (capture != null && address instanceof SocketAddress && (ts = STATE.get()) != null) {
            ts.localFd = fd;
            ts.localAddress = (SocketAddress) address;
        }
    }

    /**
     * A socket's local address: for a Socket, the one its connect or accept read on this thread, when the JDK's last
     * read here was of the socket's own descriptor; otherwise asked of the socket.
     */
    private static SocketAddress local(int api, Object socket) {
        if (api == Api.SOCKET) {
            ThreadState ts = STATE.get();
            if (ts != null && ts.localFd != null) {
                boolean own = ts.localFd == Endpoints.descriptor(socket);
                SocketAddress a = ts.localAddress;
                ts.localFd = null;
                ts.localAddress = null;
                if (own) {
                    return a;
                }
            }
        }
        return Endpoints.local(api, socket);
    }

    // ---- selectors ----

    /**
     * A Selector.select* that returned {@code ready} keys with {@code registered} channels still registered. No
     * stack: event loops select all the time. The selector's identity hash, in the event's ref, tells a selector that
     * threads take turns on (Jetty's pool) from a loop's own. Both counts go in the bytes, registered + 1 above bit
     * 32, so that 0 there reads as not known (a log from before it was recorded).
     */
    public static void selected(long start, int ready, int registered, Object selector) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c != null) {
            emit(c, Op.SELECT, Outcome.OK, System.identityHashCode(selector), start, end, 0,
                Op.selectCounts(ready, registered), 0);
        }
    }

    public static void selectFailed(long start, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c != null) {
            fail(c, Op.SELECT, 0, start, end, thrown);
        }
    }

    // ---- UDP ----

    /**
     * A datagram sent or received (or a connected channel's read/write). {@code peer} is the remote address: the
     * target of a send, the source returned by a receive, the connected peer otherwise; null when none moved.
     */
    public static void datagram(int op, Object channel, long start, long bytes, Object peer) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null || peer == null) {
            return;
        }
        Connections.Entry e = c.connections.find(channel);
        if (e == null) {
            e = c.connections.add(channel, c.newId(), Api.DATAGRAM);
        }
        long flow = Connections.flowOf(e, peer);
        int stack;
        if (flow == 0) {
            stack = c.stacks.capture();
            flow = newFlow(c, e, channel, peer, op, start, stack);
        } else {
            stack = c.sampling.wants(end, end - start, false, e) ? c.stacks.capture() : 0;
        }
        emit(c, op, Outcome.OK, 0, start, end, flow, bytes, stack);
    }

    public static void datagramFailed(int op, Object channel, long start, Object peer, Throwable thrown) {
        datagramFailed(op, channel, start, peer, thrown, 0);
    }

    /**
     * A datagram call that threw after its datagram of {@code bytes} went out or came in, as its buffer's position
     * says: an interrupt that lands as the send or receive returns closes the channel, and the call throws
     * {@code ClosedByInterruptException} anyway. That datagram is on its flow, which it may have been the first of.
     */
    public static void datagramFailed(int op, Object channel, long start, Object peer, Throwable thrown, long bytes) {
        long end = FastClock.nanoTime();
        Capture c = capture;
        if (c == null) {
            return;
        }
        Connections.Entry e = c.connections.find(channel);
        long flow = e != null && peer != null ? Connections.flowOf(e, peer) : 0;
        int stack = c.stacks.capture();
        boolean newFlow = flow == 0 && bytes > 0 && peer != null;
        if (newFlow) {
            if (e == null) {
                e = c.connections.add(channel, c.newId(), Api.DATAGRAM);
            }
            flow = newFlow(c, e, channel, peer, op, start, stack);
        }
        emitFailure(c, op, flow, start, end, thrown, stack, Math.max(0, bytes));
        if (newFlow && channel instanceof Channel && !((Channel) channel).isOpen()) {
            // The interrupt's close ran before this, on the interrupting thread, and had no such flow to end.
            if (!e.isClosed()) {
                e.close(end);
            }
            emit(c, Op.CLOSE, Outcome.OK, 0, end, end, flow, 0, 0);
        }
    }

    // ---- internals ----

    private static long newFlow(Capture c, Connections.Entry e, Object channel, Object peer, int op, long start,
                                int stack) {
        long newId = c.newId();
        long id = c.connections.addFlow(e, peer, newId);
        if (id != newId) {
            return id; // another thread defined it first
        }
        boolean otherPeers = e.isOtherPeers(id);
        SocketAddress remote = (SocketAddress) peer;
        int role = op == Op.RECEIVE || op == Op.READ ? Api.ROLE_SERVER : Api.ROLE_CLIENT;
        c.catalog.add(new Catalog.ConnectionInfo(id, Api.DATAGRAM, role, false, true, start,
            Endpoints.format(Endpoints.local(Api.DATAGRAM, channel)),
            otherPeers ? OTHER_PEERS : Endpoints.format(remote), otherPeers ? null : Endpoints.hostName(remote),
            stack));
        return id;
    }

    /** Past the first connections opened from {@code openStack}, only sampled operations of {@code e} are stacked. */
    private static void stackFirstsOfFewPerSite(Capture c, Connections.Entry e, int openStack) {
        if (!c.stacks.amongFirstOpenedFrom(openStack)) {
            e.stackOnlyWhenSampled();
        }
    }

    /** A socket used before netprof saw it open: opened before an attach. Its open time and role are unknown. */
    private static long firstSighting(Capture c, int api, Object socket) {
        SocketAddress remote = Endpoints.remote(api, socket);
        // One seen first already closed is an operation that returned before its socket's close, late by longer than
        // the table keeps closed sockets: no connection to define (a closed channel tells no remote address).
        if (remote == null || !Endpoints.isNetwork(remote) || Endpoints.isClosedSocket(socket)) {
            return c.connections.add(socket, Connections.IGNORED, api).id;
        }
        long id = c.newId();
        Connections.Entry e = c.connections.add(socket, id, api);
        if (e.id == id) {
            e.established = true;
            define(c, id, api, Api.ROLE_UNKNOWN, true, true, FastClock.nanoTime(), socket, 0);
        }
        return e.id;
    }

    private static void define(Capture c, long id, int api, int role, boolean unknownOpen, boolean established,
                               long opened, Object socket, int stack) {
        SocketAddress remote = Endpoints.remote(api, socket);
        c.catalog.add(new Catalog.ConnectionInfo(id, api, role, unknownOpen, established, opened,
            Endpoints.format(local(api, socket)), Endpoints.format(remote), Endpoints.hostName(remote), stack));
    }

    private static void fail(Capture c, int op, long id, long start, long end, Throwable thrown) {
        emitFailure(c, op, id, start, end, thrown, c.stacks.capture(), 0);
    }

    private static void emitFailure(Capture c, int op, long id, long start, long end, Throwable thrown, int stack,
                                    long bytes) {
        emit(c, op, Outcome.of(thrown), c.catalog.string(describe(thrown)), start, end, id, bytes, stack);
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getName() : t.getClass().getName() + ": " + m;
    }

    static void emit(Capture c, int op, int outcome, int ref, long start, long end, long id, long bytes, int stack) {
        emitFor(c, Thread.currentThread().getId(), op, outcome, ref, start, end, id, bytes, stack);
    }

    /** An event of {@code thread}'s, written by the thread that learned of it (an asynchronous completion). */
    static void emitFor(Capture c, long thread, int op, int outcome, int ref, long start, long end, long id, long bytes,
                        int stack) {
        long header = op | (outcome << 8) | ((long) ref << 32);
        ThreadState ts = STATE.get();
        EventBuffer b;
        if (ts == null || ts.buffers != c.buffers || (b = ts.buffer) == null
            || !b.put(header, start, end - start, id, bytes, thread, stack)) {
            emitSlow(c, ts, header, start, end - start, id, bytes, thread, stack);
        } else if (id > 0) {
            ts.lastConnection = id;
        }
    }

    /** First event of a thread, a full buffer, or a new recording: get a buffer, then write. */
    private static void emitSlow(Capture c, ThreadState ts, long header, long start, long duration, long id,
                                 long bytes, long thread, int stack) {
        if (ts == null) {
            ts = ThreadStates.create();
            STATE.set(ts);
        }
        if (ts.buffers != c.buffers) {
            ts.buffers = c.buffers;
            ts.buffer = null;
            ts.lastConnection = 0;
            ThreadStates.define(c, ts);
            c.newThread();
        }
        EventBuffer b = ts.buffer;
        if (b != null && b.isFull()) {
            c.buffers.handOver(b);
            ts.buffer = b = null;
        }
        if (b == null) {
            ts.buffer = b = c.buffers.acquire(ts.owner, ts.osTid);
            if (b == null) {
                c.buffers.dropped.incrementAndGet();
                return;
            }
        }
        b.put(header, start, duration, id, bytes, thread, stack);
        if (id > 0) {
            ts.lastConnection = id;
        }
    }

    /**
     * The connection of the calling thread's last recorded event in this recording, or 0: ids start again at 1 in
     * each recording, so an earlier one's would name another connection.
     */
    static long lastConnection() {
        ThreadState ts = STATE.get();
        Capture c = capture;
        return ts == null || c == null || ts.buffers != c.buffers ? 0 : ts.lastConnection;
    }

    /** Reads the calling thread's Linux thread id from /proc/thread-self ({@code <pid>/task/<tid>}); 0 elsewhere. */
    static int osTid() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (Exception | LinkageError e) {
            return 0;
        }
    }

    private Recorder() {
    }
}
