package dev.netprof.render;

import dev.netprof.flush.LogFormat;
import dev.netprof.event.Api;
import dev.netprof.event.HandshakeEnds;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * Everything a recording's log says, aggregated: per connection totals, errors, threads, drops. Built in one pass
 * over events.nprof; its size grows with connections and errors, not with events.
 */
public final class Recording implements LogVisitor {
    public long pid;
    public long startedNs;
    public long startedEpochMs;
    public String netprofVersion;
    public String options;
    public String jvm;
    /** When the recording stopped; the last status time when the process died before it could say. */
    public long stoppedNs;
    public boolean cleanStop;
    /**
     * Rendered while the recording goes on ({@code netprof dump}): no stop yet, so the connections open now are
     * neither leaks nor left open at an exit.
     */
    public boolean live;
    /** Where the log's whole blocks ended when it was read: a later pass reads no further. */
    public long logBytes;
    public boolean torn;
    public long droppedEvents;
    public long droppedDefinitions;
    /** Operations recorded, logged one by one or, for TLS plaintext counts, as per-connection sums. */
    public long events;
    /** Operations below the threshold, known only as per-connection sums. */
    public long aggregatedEvents;
    /** Durations of the individually logged events, for choosing what the timeline can show. */
    public final Histogram durations = new Histogram(3_600_000_000_000L, 2);

    public final Map<Long, Connection> connections = new LinkedHashMap<>();
    public final Map<Integer, String[]> stacks = new HashMap<>();
    public final Map<Integer, String> strings = new HashMap<>();
    public final Map<Long, String> threadNames = new HashMap<>();
    public final Map<Long, Integer> threadTids = new HashMap<>();
    public final List<Failure> errors = new ArrayList<>();
    public final List<Tls> tlsHandshakes = new ArrayList<>();
    public final List<Http> httpExchanges = new ArrayList<>();
    public final List<Dns> dnsLookups = new ArrayList<>();
    /** The exceptions of failed exchanges and lookups by thread and end. */
    private final Map<LayerEnd, String> layerErrors = new HashMap<>();
    /** Ciphertext two TLS records (at most 16 KiB of plaintext and 325 bytes more each) can hold. */
    static final long TLS_EDGE_BYTES = 2 * (16_384 + 325);
    /** Connections an SSLEngine was wrongly tied to, their TLS counts and handshakes dropped ({@link #dropImpossibleTls}). */
    public final Set<Long> tlsMisattributed = new LinkedHashSet<>();
    /**
     * Per thread, the windows of its layer operations (HTTP exchanges, TLS handshakes, DNS lookups) as
     * {start, end, stack, op, connection, label}: what nests inside them is not their own time.
     */
    final Map<Long, LayerWindows> layerWindows = new HashMap<>();
    /** Threads that called Selector.select*: the event loops. */
    public final Set<Long> selectorThreads = new TreeSet<>();
    /** The kernel's view: every socket line seen, by transport and addresses, the last one winning. */
    final Map<String, KernelSocket> kernelSockets = new HashMap<>();
    /** The namespace's TCP counters at the first and the last kernel snapshot. */
    public Map<String, Long> firstCounters = Map.of();
    public Map<String, Long> lastCounters = Map.of();
    /** Notes by kind, in order: "instrumented", "unmatched", "error", "unrecorded", and the session's own. */
    public final Map<String, List<String>> notes = new LinkedHashMap<>();

    /** One TCP connection or UDP flow. */
    public static final class Connection {
        public final long id;
        public int api;
        public int role;
        public boolean defined;
        public boolean unknownOpen;
        public boolean established;
        public long openedNs;
        public Long closedNs;
        public String local;
        public String remote;
        public String remoteHost;
        public int openStack;
        public long bytesRead, bytesWritten, reads, writes, blockedNs;
        /** When a read first returned end of stream (the peer closed), and the stack of that read. */
        public Long eofAtNs;
        public int eofStack;
        /** When this side first shut its output down: the socket left CLOSE_WAIT then, or never entered it. */
        public Long outputShutNs;
        /** When netprof found the socket garbage collected without a close. */
        public Long collectedNs;
        /** Plaintext the application moved through TLS on this connection; null when it carried no TLS. */
        public Long tlsPlaintextRead, tlsPlaintextWritten;
        /** TLS 1.3 KeyUpdate messages sent and received; meaningful where the plaintext counts are. */
        public long tlsKeyUpdates;
        /** The kernel's last view of this connection's socket, if read before another on its addresses opened. */
        public KernelSocket kernel;
        /**
         * The latest error (not a local close under an operation) and when it ended, and when the latest read or write
         * that moved bytes ended: an error that traffic followed (a read timeout the application retried) is not
         * what the connection closed after. Events come per thread, not in time order, hence the times.
         */
        int lastError = -1;
        long lastErrorNs = Long.MIN_VALUE;
        long lastTransferNs = Long.MIN_VALUE;

        Connection(long id) {
            this.id = id;
        }

        /** What this connection is grouped under: the peer for clients, the local (serving) address for servers. */
        public String endpoint() {
            return role == Api.ROLE_SERVER ? local : remote;
        }

        /** {@code "client tcp 127.0.0.1:8080"}: one endpoint row in the summary and the report. */
        public String endpointKey() {
            return Api.role(role) + " " + Api.transport(api) + " " + endpoint();
        }

        public String closeReason() {
            if (closedNs == null) {
                return null;
            }
            if (collectedNs != null) {
                return "collected-unclosed";
            }
            if (lastError >= 0 && lastErrorNs > lastTransferNs && (eofAtNs == null || lastErrorNs > eofAtNs)) {
                return "closed-after-" + Outcome.name(lastError);
            }
            return eofAtNs != null ? "closed-after-eof" : "closed";
        }
    }

    /** One TLS handshake. */
    public record Tls(long connectionId, String local, String remote, int role, String protocol, String cipherSuite,
                      List<String> alpnOffered, String alpn, String sni, String peerSubject, long peerNotAfterMs,
                      boolean resumed, boolean renegotiation, long startNs, long durationNs, boolean ok, String error,
                      long thread) {
        Tls withConnection(long id) {
            return new Tls(id, local, remote, role, protocol, cipherSuite, alpnOffered, alpn, sni, peerSubject,
                peerNotAfterMs, resumed, renegotiation, startNs, durationNs, ok, error, thread);
        }

        Tls failedWith(String why) {
            return new Tls(connectionId, local, remote, role, protocol, cipherSuite, alpnOffered, alpn, sni,
                peerSubject, peerNotAfterMs, resumed, renegotiation, startNs, durationNs, false, why, thread);
        }
    }

    /** One HTTP exchange; {@code requestBytes}/{@code responseBytes} are -1 when not known. */
    public record Http(String client, String method, String uri, int status, String version, long startNs,
                       long durationNs, long requestBytes, long responseBytes, long connectionId, String local,
                       String remote, String error, long thread) {
        Http withConnection(long id) {
            return new Http(client, method, uri, status, version, startNs, durationNs, requestBytes, responseBytes, id,
                local, remote, error, thread);
        }
    }

    /** One host name lookup, or with {@code reverse} of a name for the address {@code host}. */
    public record Dns(String host, long startNs, long durationNs, int addresses, boolean cached, boolean reverse,
                      String error, long thread) {
    }

    /** An operation that failed. */
    public record Failure(long connectionId, int op, int outcome, int exceptionRef, int stack, long atNs,
                          long thread) {
    }

    public static Recording read(Path log) throws IOException {
        Recording r = new Recording();
        LogReader reader = new LogReader();
        reader.read(log, r);
        r.torn = reader.torn();
        r.logBytes = reader.bytesRead();
        r.complete();
        return r;
    }

    /** What needs the whole log read first. */
    void complete() {
        attachKernelView();
        linkByAddresses();
        dropImpossibleTls();
        tlsHandshakes.replaceAll(this::peerClosed); // on the connections the ties left
        layerWindows.values().forEach(LayerWindows::index);
    }

    @Override
    public void header(long pid, long startedNs, long startedEpochMs, String version, String options, String jvm) {
        this.pid = pid;
        this.startedNs = startedNs;
        this.stoppedNs = startedNs;
        this.startedEpochMs = startedEpochMs;
        this.netprofVersion = version;
        this.options = options;
        this.jvm = jvm;
    }

    @Override
    public void thread(long javaId, int osTid, String name) {
        threadNames.put(javaId, name);
        threadTids.put(javaId, osTid);
    }

    @Override
    public void connection(long id, int api, int role, int flags, long openedNs, String local, String remote,
                           String remoteHost, int stackId) {
        Connection c = connections.computeIfAbsent(id, Connection::new);
        c.defined = true;
        c.api = api;
        c.role = role;
        c.unknownOpen = (flags & LogFormat.FLAG_UNKNOWN_OPEN) != 0;
        c.established = (flags & LogFormat.FLAG_ESTABLISHED) != 0;
        c.openedNs = openedNs;
        c.local = local;
        c.remote = remote;
        c.remoteHost = remoteHost;
        c.openStack = stackId;
    }

    @Override
    public void stack(int id, String[] frames) {
        stacks.put(id, frames);
    }

    @Override
    public void string(int id, String value) {
        strings.put(id, value);
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        if (start < startedNs) {
            return; // written by a thread that raced the end of an earlier recording
        }
        events++;
        durations.recordValue(Math.min(Math.max(duration, 0), durations.getHighestTrackableValue()));
        stoppedNs = Math.max(stoppedNs, start + duration);
        if (Outcome.isError(outcome)) {
            errors.add(new Failure(connection, op, outcome, ref, stack, start + duration, thread));
        }
        if (op == Op.SELECT) {
            selectorThreads.add(thread);
        }
        if (Op.isLayer(op)) {
            layerWindows.computeIfAbsent(thread, t -> new LayerWindows())
                .add(start, start + duration, stack, op, connection, ref);
        }
        if (connection == 0) {
            return;
        }
        Connection c = connections.computeIfAbsent(connection, Connection::new);
        if (Op.isCounter(op)) {
            tlsCount(c, op, bytes);
            return;
        }
        if (Op.isLayer(op)) {
            return; // its socket operations are counted on their own
        }
        if (op != Op.ACCEPT) {
            c.blockedNs += duration; // an accept's wait was its listener's, for whichever client came next
        }
        if (Op.isInbound(op)) {
            c.reads++;
            c.bytesRead += bytes;
        } else if (op == Op.WRITE || op == Op.SEND) {
            c.writes++;
            c.bytesWritten += bytes;
        } else if (op == Op.CLOSE) {
            c.closedNs = start + duration;
        } else if (op == Op.SHUTDOWN_OUTPUT && outcome == Outcome.OK
            && (c.outputShutNs == null || start + duration < c.outputShutNs)) {
            c.outputShutNs = start + duration;
        }
        if (outcome == Outcome.EOF) {
            if (c.eofAtNs == null || start + duration < c.eofAtNs) {
                c.eofAtNs = start + duration;
                c.eofStack = stack;
            }
        } else if (Outcome.isError(outcome) && outcome != Outcome.CLOSED) {
            if (start + duration >= c.lastErrorNs) {
                c.lastError = outcome;
                c.lastErrorNs = start + duration;
            }
        } else if (outcome == Outcome.OK && bytes > 0) {
            c.lastTransferNs = Math.max(c.lastTransferNs, start + duration);
        }
    }

    /**
     * What a failed operation threw ({@code type: message}), or null. An HTTP exchange's or DNS lookup's event names
     * what it was about rather than its exception: theirs is on the exchange's or lookup's own record, found by its
     * thread and end. So is a TLS handshake's that {@link #peerClosed} renamed.
     */
    public String exception(int op, int ref, long thread, long endNs) {
        return op == Op.HTTP_EXCHANGE || op == Op.DNS_LOOKUP ? layerErrors.get(new LayerEnd(thread, endNs))
            : op == Op.TLS_HANDSHAKE ? layerErrors.getOrDefault(new LayerEnd(thread, endNs), string(ref)) : string(ref);
    }

    public String exception(Failure f) {
        return exception(f.op(), f.exceptionRef(), f.thread(), f.atNs());
    }

    private record LayerEnd(long thread, long endNs) {
    }

    /** What a layer operation (TLS, HTTP, DNS) was about, from its string ref; null for socket operations. */
    String layerLabel(int op, int ref) {
        return Op.isLayer(op) ? string(ref) : null;
    }

    /** A counter op on {@code c}; any of them makes c a TLS connection, whose plaintext counts then start at 0. */
    private static void tlsCount(Connection c, int op, long n) {
        if (op == Op.TLS_READ) {
            c.tlsPlaintextRead = (c.tlsPlaintextRead == null ? 0 : c.tlsPlaintextRead) + n;
        } else if (op == Op.TLS_WRITE) {
            c.tlsPlaintextWritten = (c.tlsPlaintextWritten == null ? 0 : c.tlsPlaintextWritten) + n;
        } else {
            c.tlsKeyUpdates += n;
        }
        if (c.tlsPlaintextRead == null) {
            c.tlsPlaintextRead = 0L;
        }
        if (c.tlsPlaintextWritten == null) {
            c.tlsPlaintextWritten = 0L;
        }
    }

    @Override
    public void tls(Tls t) {
        tlsHandshakes.add(t); // its connection is marked TLS by linkByAddresses, once every id is known
    }

    @Override
    public void http(Http h) {
        httpExchanges.add(h);
        if (h.error() != null) {
            layerErrors.put(new LayerEnd(h.thread(), h.startNs() + h.durationNs()), h.error());
        }
    }

    @Override
    public void dns(Dns d) {
        dnsLookups.add(d);
        if (d.error() != null) {
            layerErrors.put(new LayerEnd(d.thread(), d.startNs() + d.durationNs()), d.error());
        }
    }

    @Override
    public void aggregate(long connection, int op, long count, long bytes, long durationNs) {
        Connection c = connections.computeIfAbsent(connection, Connection::new);
        if (Op.isCounter(op)) {
            // Counts are summed at any threshold: they are recorded events, not ones threshold= folded.
            events += count;
            tlsCount(c, op, bytes);
            return;
        }
        aggregatedEvents += count;
        c.blockedNs += durationNs;
        if (Op.isInbound(op)) {
            c.reads += count;
            c.bytesRead += bytes;
        } else {
            c.writes += count;
            c.bytesWritten += bytes;
        }
    }

    @Override
    public void note(String kind, String text) {
        notes.computeIfAbsent(kind, k -> new ArrayList<>()).add(text);
    }

    @Override
    public void leak(long connection, long atNs) {
        Connection c = connections.computeIfAbsent(connection, Connection::new);
        if (c.closedNs == null) {
            c.collectedNs = atNs;
            c.closedNs = atNs;
        }
    }

    @Override
    public void kernel(long atNs, List<KernelSocket> sockets, Map<String, Long> counters) {
        for (KernelSocket k : sockets) {
            kernelSockets.put(k.key(), k);
            if (k.udp()) {
                kernelSockets.put("udp-local " + k.local(), k); // an unconnected socket serves every peer's flow
            }
        }
        if (!counters.isEmpty()) {
            if (firstCounters.isEmpty()) {
                firstCounters = counters;
            }
            lastCounters = counters;
        }
    }

    /**
     * Attaches the kernel's last view of each pair of addresses to the connection on them that had opened last when
     * it was taken (the kernel keeps a closed socket a while, in TIME_WAIT say): not to an earlier connection on
     * the same addresses (an ephemeral port used again), nor a later one. Called once the whole log is read.
     */
    void attachKernelView() {
        Map<String, Connection> owners = new HashMap<>();
        for (Connection c : connections.values()) {
            String key = (c.api == Api.DATAGRAM ? "udp " : "tcp ") + c.local + " " + c.remote;
            KernelSocket k = kernelSockets.get(key);
            if (k != null && openedAt(c) <= k.atNs()) {
                owners.merge(key, c, (x, y) -> openedAt(x) >= openedAt(y) ? x : y);
            }
            c.kernel = c.api == Api.DATAGRAM ? kernelSockets.get("udp-local " + c.local) : null;
        }
        owners.forEach((key, c) -> c.kernel = kernelSockets.get(key));
    }

    /** A connection found open by an attach opened before anything the recording saw. */
    private static long openedAt(Connection c) {
        return c.unknownOpen ? Long.MIN_VALUE : c.openedNs;
    }

    /**
     * Exchanges and handshakes that name their TCP connection only by its addresses get its id: the connection
     * with those local and remote addresses that was open while they ran (a first exchange opens it).
     */
    void linkByAddresses() {
        Map<String, List<Connection>> byAddresses = new HashMap<>();
        for (Connection c : connections.values()) {
            if (c.defined && c.established && c.api != Api.DATAGRAM) {
                byAddresses.computeIfAbsent(c.local + " " + c.remote, k -> new ArrayList<>()).add(c);
            }
        }
        httpExchanges.replaceAll(h -> h.connectionId() != 0 || h.local() == null ? h : h.withConnection(
            openDuring(byAddresses, h.local(), h.remote(), h.startNs(), h.startNs() + h.durationNs())));
        tlsHandshakes.replaceAll(t -> t.connectionId() != 0 || t.local() == null ? t : t.withConnection(
            openDuring(byAddresses, t.local(), t.remote(), t.startNs(), t.startNs() + t.durationNs())));
        for (Tls t : tlsHandshakes) {
            if (t.connectionId() != 0) {
                tlsCount(connections.computeIfAbsent(t.connectionId(), Connection::new), Op.TLS_READ, 0);
            }
        }
    }

    /**
     * An SSLEngine is tied to a connection by the thread that used it (see {@code TlsRecorder.unwrapped}); over a
     * transport netprof does not record (an AsynchronousSocketChannel) the thread's last connection is another one,
     * a plain backend call's, say. Such a tie shows when it cannot be true: an engine's handshake whose role is not
     * the connection's (an SSLSocket's tie is its own socket, whatever its role: an FTPS client in active mode
     * accepts its data connection, then handshakes as the client), or, on a connection with no handshake of its own, more plaintext than ciphertext (beyond what two
     * records buffered at a recording's edges explain). All TLS counts and handshakes on such a connection are dropped (the true ones among them cannot
     * be told from the rest), and {@link #tlsMisattributed} names the connections.
     */
    void dropImpossibleTls() {
        Set<Long> ownHandshake = new HashSet<>();
        for (Tls t : tlsHandshakes) {
            Connection c = connections.get(t.connectionId());
            boolean engine = t.local() == null; // an SSLSocket's handshake knows its socket's addresses
            if (c != null && engine && c.role != Api.ROLE_UNKNOWN && c.role != t.role()) {
                tlsMisattributed.add(c.id);
            } else if (c != null) {
                ownHandshake.add(c.id);
            }
        }
        // A connection with a handshake of its own may hold more plaintext than ciphertext where a recording stopped
        // between an engine's wrap of a large write and its socket writes: only one without is judged by the bytes.
        for (Connection c : connections.values()) {
            if (c.tlsPlaintextRead != null && (tlsMisattributed.contains(c.id) || !ownHandshake.contains(c.id)
                && (c.tlsPlaintextRead > c.bytesRead + TLS_EDGE_BYTES
                || c.tlsPlaintextWritten > c.bytesWritten + TLS_EDGE_BYTES))) {
                tlsMisattributed.add(c.id);
                c.tlsPlaintextRead = null;
                c.tlsPlaintextWritten = null;
                c.tlsKeyUpdates = 0;
            }
        }
        tlsHandshakes.replaceAll(t -> tlsMisattributed.contains(t.connectionId()) ? t.withConnection(0) : t);
    }

    /** A handshake a close cut short on a connection whose peer had hung up by then: the peer ended it. */
    private Tls peerClosed(Tls t) {
        Connection c = connections.get(t.connectionId());
        long end = t.startNs() + t.durationNs();
        String error = t.ok() || c == null || c.eofAtNs == null || c.eofAtNs > end ? t.error()
            : HandshakeEnds.afterEndOfStream(t.error());
        if (error == null || error.equals(t.error())) {
            return t;
        }
        layerErrors.put(new LayerEnd(t.thread(), end), error); // its event's error reads the same
        return t.failedWith(error);
    }

    /** The connection with these addresses that was open at some time in [from, to] (it may open inside). */
    private static long openDuring(Map<String, List<Connection>> byAddresses, String local, String remote, long from,
                                   long to) {
        for (Connection c : byAddresses.getOrDefault(local + " " + remote, List.of())) {
            if ((c.unknownOpen || c.openedNs <= to) && (c.closedNs == null || c.closedNs >= from)) {
                return c.id;
            }
        }
        return 0;
    }

    /** How the recording ended: "exit" (the JVM exited), "detach", or null when it did not say (it crashed). */
    public String stopReason() {
        return note("stop");
    }

    /** How long the stop at the JVM's exit waited for the application's shutdown hooks; null if it did not. */
    public Long hookWaitNs() {
        String n = note("hookwait");
        return n == null ? null : Long.parseLong(n);
    }

    /** One of the application's shutdown hooks, and whether it had ended when netprof stopped at the JVM's exit. */
    public record ShutdownHook(String thread, boolean ended) {
    }

    public List<ShutdownHook> shutdownHooks() {
        List<ShutdownHook> hooks = new ArrayList<>();
        for (String n : notes.getOrDefault("hook", List.of())) {
            int space = n.indexOf(' ');
            hooks.add(new ShutdownHook(n.substring(space + 1), n.startsWith("ended ")));
        }
        return hooks;
    }

    /** How many of the application's shutdown hooks still ran when netprof stopped at the JVM's exit. */
    public long shutdownHooksRunning() {
        return shutdownHooks().stream().filter(h -> !h.ended()).count();
    }

    @Override
    public void status(long atNs, long droppedEvents, long droppedDefinitions) {
        this.droppedEvents = droppedEvents;
        this.droppedDefinitions = droppedDefinitions;
        this.stoppedNs = Math.max(stoppedNs, atNs);
    }

    @Override
    public void end(long stoppedNs) {
        this.cleanStop = true;
        this.stoppedNs = stoppedNs;
    }

    public String string(int id) {
        return strings.get(id);
    }

    /** A stack's frames, innermost first; a view, not a copy: summary.json asks once per connection. */
    public List<String> frames(int stackId) {
        String[] f = stacks.get(stackId);
        return f == null ? List.of() : Collections.unmodifiableList(Arrays.asList(f));
    }

    /**
     * Connections that were established (failed connect attempts are errors, not connections). One never defined is
     * kept when it moved data (its definition was dropped); one that did not is a non-blocking connect that never
     * finished, closed by the application's own timeout or left pending, and is no connection either.
     */
    public List<Connection> establishedConnections() {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections.values()) {
            if (c.defined ? c.established : c.reads + c.writes > 0) {
                out.add(c);
            }
        }
        return out;
    }

    /** The thread's name; a thread netprof knows only by its events (a virtual thread) is {@code thread-<id>}. */
    public String threadName(long javaId) {
        String name = threadNames.get(javaId);
        return name != null ? name : "thread-" + javaId;
    }

    /**
     * When the instrumentation was fully installed ("from") and when the recording began to stop ("to"): every
     * operation that started and ended inside that window was recorded. Null when the log does not say.
     */
    public Long windowNs(String edge) {
        for (String n : notes.getOrDefault("window", List.of())) {
            if (n.startsWith(edge + " ")) {
                return Long.parseLong(n.substring(edge.length() + 1));
            }
        }
        return null;
    }

    /**
     * How long the recording could see operations: from its start to where recording stopped (the window's end; in
     * a log without one, a live dump's or a killed JVM's, its last moment). Not to {@link #stoppedNs}: removing the
     * instrumentation and closing the log come after, and nothing is recorded while they run.
     */
    public long recordedNs() {
        return windowEndNs() - startedNs;
    }

    /**
     * How long of that the instrumentation was complete, from its install to where recording stopped: before it, the
     * JDK's classes were still being instrumented one after another. Null when the log does not say.
     */
    public Long completeNs() {
        Long from = windowNs("from");
        return from == null ? null : windowEndNs() - from;
    }

    private long windowEndNs() {
        Long to = windowNs("to");
        return to != null ? to : stoppedNs;
    }

    public String note(String kind) {
        List<String> n = notes.get(kind);
        return n == null || n.isEmpty() ? null : n.get(n.size() - 1);
    }
}
