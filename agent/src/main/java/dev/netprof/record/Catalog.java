package dev.netprof.record;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * What the numbers in event records refer to: connections, threads, stacks and strings. Application threads add
 * definitions (off the read/write path: at connect, accept, first sighting, failure); the flusher writes them to the
 * log. A full queue drops the definition and counts it, like an event.
 */
public final class Catalog {
    /** A connection (TCP) or flow (UDP) as it was when netprof first saw it established. */
    public record ConnectionInfo(long id, int api, int role, boolean unknownOpen, boolean established,
                                 long openedNs, String local, String remote, String remoteHost, int stackId) {
    }

    public record ThreadInfo(long javaId, int osTid, String name) {
    }

    public record StackInfo(int id, String[] frames) {
    }

    public record StringInfo(int id, String value) {
    }

    /**
     * A TLS handshake, finished or failed. {@code connectionId} is 0 when the TCP connection is not known;
     * {@code thread} is the thread that finished it (for an SSLEngine, the one whose socket read completed it).
     */
    public record TlsInfo(long connectionId, String local, String remote, int role, String protocol, String cipherSuite,
                          String[] alpnOffered, String alpn, String sni, String peerSubject, long peerNotAfterMs,
                          boolean resumed, boolean renegotiation, long startNs, long durationNs, boolean ok,
                          String error, long thread) {
        /** This handshake, finished here, as the peer's fatal alert after it ({@code error}) turned it into. */
        public TlsInfo rejected(String error) {
            return new TlsInfo(connectionId, local, remote, role, protocol, cipherSuite, alpnOffered, alpn, sni,
                peerSubject, peerNotAfterMs, resumed, renegotiation, startNs, durationNs, false, error, thread);
        }
    }

    /** One HTTP exchange as a client library saw it. */
    public record HttpInfo(String client, String method, String uri, int status, String version, long startNs,
                           long durationNs, long requestBytes, long responseBytes, long connectionId, String local,
                           String remote, String error, long thread) {
    }

    /**
     * One host name lookup; {@code cached} when the JVM answered from its cache without asking a resolver;
     * {@code reverse} when it looked up a name for the address {@code host}.
     */
    public record DnsInfo(String host, long startNs, long durationNs, int addresses, boolean cached, boolean reverse,
                          String error, long thread) {
    }

    /** Something about the recording itself, e.g. which JDK types were instrumented and which failed. */
    public record Note(String kind, String text) {
    }

    /** Strings past this many distinct values share one id, so a stream of unique messages cannot grow memory. */
    static final int MAX_STRINGS = 1 << 16;
    public static final int OVERFLOW_STRING = 1;

    /** Definitions waiting for the flusher; past this many, dropped (the console's drop message names the size). */
    private final MpscAtomicArrayQueue<Object> queue = new MpscAtomicArrayQueue<>(1 << 16);
    private final ConcurrentHashMap<String, Integer> strings = new ConcurrentHashMap<>();
    private final AtomicInteger nextString = new AtomicInteger(OVERFLOW_STRING + 1);
    final AtomicLong dropped = new AtomicLong();

    Catalog() {
        add(new StringInfo(OVERFLOW_STRING, "(too many distinct strings)"));
    }

    void add(Object definition) {
        if (!queue.offer(definition)) {
            dropped.incrementAndGet();
        }
    }

    public void note(String kind, String text) {
        add(new Note(kind, text));
    }

    /** An id for {@code s}, defined in the log the first time it is seen. */
    int string(String s) {
        if (s == null) {
            return 0;
        }
        Integer id = strings.get(s);
        if (id != null) {
            return id;
        }
        if (strings.size() >= MAX_STRINGS) {
            return OVERFLOW_STRING;
        }
        int[] created = new int[1];
        id = strings.computeIfAbsent(s, k -> created[0] = nextString.getAndIncrement());
        if (created[0] != 0) {
            add(new StringInfo(id, s));
        }
        return id;
    }

    /** Flusher: the next definition, or null. */
    public Object poll() {
        return queue.poll();
    }

    public long dropped() {
        return dropped.get();
    }
}
