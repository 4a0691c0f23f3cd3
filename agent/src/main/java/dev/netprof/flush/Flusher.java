package dev.netprof.flush;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import dev.netprof.record.Buffers;
import dev.netprof.record.Capture;
import dev.netprof.record.Catalog;
import dev.netprof.record.Connections;
import dev.netprof.record.FastClock;
import dev.netprof.record.EventBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one background thread that moves events from application threads' buffers into {@code events.nprof}.
 *
 * <p>It wakes every {@link #WRITE_NS} (or earlier, when a flush is asked for or full buffers pile up, see
 * {@link Buffers}), takes the full buffers handed over and reads the published part of every other buffer, and
 * writes what it encoded to the file once {@code WRITE_NS} have passed since the last write, so a process killed
 * with -9 loses at most {@code WRITE_NS}. With nothing new it writes only the status, every {@link #HEARTBEAT_NS}.
 * It does no socket I/O, so the instrumentation never sees it. Only this thread touches the {@link LogWriter};
 * {@link #finish} asks it to drain everything and exits with it. The kernel's view of the sockets is read by
 * {@link KernelWatch} on a thread of its own and only written here.
 */
public final class Flusher {
    /** Its thread's name, which profiles and thread dumps show it by. */
    public static final String THREAD_NAME = "netprof-flusher";
    /** An encoded event at its largest: two bytes and seven varints of at most ten bytes. */
    static final int MAX_EVENT_BYTES = 2 + 7 * 10;
    /**
     * The flusher wakes this often, drains everything recorded since and writes it. A wake-up costs ~90 µs of CPU in
     * this VM (the park, the timer, and the loop's interpreted code: it runs too rarely to be compiled), taken from
     * the application when they share a core, and each write some more (the status block and the {@code write}): a
     * wake-up every 10 ms cost 1.0% of a CPU with the application idle. Waking only to write also makes the loss
     * bound the write interval: it had been {@code WRITE_NS} plus a 100 ms scan interval. The buffers filled in
     * between (up to ~4 MB in a pinned ping-pong) do not stay in L2. What that costs the application's stores into
     * them is below what the loopback benchmark resolves: a build waking every 20 ms, ~330 KB apart and within L2,
     * read the same as this one to 2 points, its extra wake-ups included.
     */
    static final long WRITE_NS = 250_000_000L;
    /**
     * With nothing recorded, a write carries only the status: its time is where a recording killed with -9 is taken
     * to have ended, and it says how much was dropped. Writing it at every wake-up cost an idle application 0.22% of
     * a CPU with the wake-ups of the time (the park, the write, publishing the status, and the loop run interpreted).
     */
    static final long HEARTBEAT_NS = 1_000_000_000L;
    /** How often sockets collected without close are looked for. */
    static final long LEAK_NS = 1_000_000_000L;

    private final Capture capture;
    private final LogWriter log;
    private final long thresholdNs;
    /** TLS counts and operations faster than {@code threshold=}, summed per connection since the last write. */
    private final Sums aggregates = new Sums();
    private final Thread thread;
    private final KernelWatch kernel;
    private volatile boolean stopping;
    private volatile IOException failure;
    /** Flush requests ({@link #flushNow}) asked for and served; the flusher thread serves them in its loop. */
    private final AtomicLong flushesAsked = new AtomicLong();
    private volatile long flushesDone;
    /** Runs on the flusher thread after each write to the file, e.g. to publish the recording's status. */
    private volatile Runnable afterWrite = () -> { };
    private volatile long events;
    /** Connections written: a render holds an object and its flame graph weights (per op and stack) for each. */
    private volatile long connections;
    /** Handshakes, exchanges and lookups written: a render holds an object for each. */
    private volatile long listed;

    private Flusher(Capture capture, LogWriter log, long thresholdNs, KernelView kernel) {
        this.capture = capture;
        this.log = log;
        this.thresholdNs = thresholdNs;
        this.kernel = new KernelWatch(kernel);
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /** Creates {@code file}, writes its header and starts the flusher thread. */
    public static Flusher start(Capture capture, Path file, RecordingHeader header, long thresholdNs)
        throws IOException {
        return start(capture, file, header, thresholdNs, KernelView.ofThisProcess());
    }

    static Flusher start(Capture capture, Path file, RecordingHeader header, long thresholdNs, KernelView kernel)
        throws IOException {
        LogWriter log = new LogWriter(file);
        log.begin(LogFormat.HEADER);
        log.varint(header.pid());
        log.varint(capture.startedNs);
        log.varint(header.startedEpochMs());
        log.string(header.netprofVersion());
        log.string(header.options());
        log.string(header.jvm());
        log.end();
        log.flush();
        Flusher f = new Flusher(capture, log, thresholdNs, kernel);
        capture.buffers.drainedBy(f.thread);
        f.thread.start();
        f.kernel.start();
        return f;
    }

    /** Stops the thread after it has written every event published so far and the end marker. */
    public void finish(long stoppedNs) throws IOException {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KernelView.Snapshot last = kernel.stop(stoppedNs);
        if (failure != null) {
            log.dropOpenBlock(); // a failure mid-block left it without its length: what follows would be misread
        }
        try (LogWriter l = log) {
            drainAll();
            leaks(stoppedNs);
            kernel(kernel.poll());
            kernel(last);
            aggregates();
            status(stoppedNs);
            l.begin(LogFormat.END);
            l.varint(stoppedNs);
            l.end();
        }
        if (failure != null) {
            throw failure;
        }
    }

    public void afterWrite(Runnable r) {
        afterWrite = r;
    }

    /**
     * Writes everything published so far to the file, now, and returns when it is there (or after
     * {@code timeoutMs}): what {@code netprof dump} renders from.
     */
    public boolean flushNow(long timeoutMs) throws InterruptedException {
        long ticket = flushesAsked.incrementAndGet();
        LockSupport.unpark(thread);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (flushesDone < ticket) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** Events written to the log so far. */
    public long events() {
        return events;
    }

    /** Connections written so far. */
    public long connections() {
        return connections;
    }

    /** TLS handshakes, HTTP exchanges and DNS lookups written so far. */
    public long listed() {
        return listed;
    }

    private void run() {
        // The recording's clock, as the times written with the status and leaks are compared with the events'.
        long lastWrite = FastClock.nanoTime();
        long lastLeaks = lastWrite;
        try {
            while (!stopping) {
                capture.buffers.draining();
                FastClock.steer();
                long asked = flushesAsked.get();
                drainAll();
                long now = FastClock.nanoTime();
                if (now - lastLeaks >= LEAK_NS) {
                    leaks(now);
                    lastLeaks = now;
                }
                kernel(kernel.poll());
                boolean encoded = log.pending() > 0 || !aggregates.isEmpty();
                boolean forced = asked != flushesDone;
                if (forced || log.pending() > (1 << 19)
                    || now - lastWrite >= (encoded ? WRITE_NS : HEARTBEAT_NS)) {
                    aggregates();
                    status(now);
                    log.flush();
                    lastWrite = now;
                    flushesDone = asked;
                    afterWrite.run();
                }
                // Woken early (a flush asked for, full buffers piling up), the next write is still due WRITE_NS after
                // the last; past it, with nothing to write, what is recorded from now on is written a WRITE_NS away.
                long untilWrite = lastWrite + WRITE_NS - now;
                LockSupport.parkNanos(untilWrite > 0 ? untilWrite : WRITE_NS);
            }
        } catch (IOException e) {
            failure = e;
            stopping = true;
        } catch (Throwable t) {
            // Kept from the application: uncaught, it would reach the JVM's default handler, which some applications
            // set to exit. The recording goes on dropping (and counting) what no flusher drains; the stop says why.
            failure = new IOException("the flusher failed: " + t, t);
            stopping = true;
        }
    }

    private void drainAll() {
        definitions();
        fullBuffers();
        partialBuffers();
        definitions();
    }

    private void definitions() {
        for (Object d; (d = capture.catalog.poll()) != null; ) {
            if (d instanceof Catalog.ConnectionInfo) {
                Catalog.ConnectionInfo c = (Catalog.ConnectionInfo) d;
                connections++;
                log.begin(LogFormat.CONNECTION);
                log.varint(c.id());
                log.u8(c.api());
                log.u8(c.role());
                log.u8((c.unknownOpen() ? LogFormat.FLAG_UNKNOWN_OPEN : 0)
                    | (c.established() ? LogFormat.FLAG_ESTABLISHED : 0));
                log.varint(c.openedNs());
                log.string(c.local());
                log.string(c.remote());
                log.string(c.remoteHost());
                log.varint(c.stackId());
                log.end();
            } else if (d instanceof Catalog.ThreadInfo) {
                Catalog.ThreadInfo t = (Catalog.ThreadInfo) d;
                log.begin(LogFormat.THREAD);
                log.varint(t.javaId());
                log.varint(t.osTid());
                log.string(t.name());
                log.end();
            } else if (d instanceof Catalog.StackInfo) {
                Catalog.StackInfo s = (Catalog.StackInfo) d;
                log.begin(LogFormat.STACK);
                log.varint(s.id());
                log.varint(s.frames().length);
                for (String f : s.frames()) {
                    log.string(f);
                }
                log.end();
            } else if (d instanceof Catalog.TlsInfo) {
                Catalog.TlsInfo t = (Catalog.TlsInfo) d;
                listed++;
                log.begin(LogFormat.TLS);
                log.varint(t.connectionId());
                log.string(t.local());
                log.string(t.remote());
                log.u8(t.role());
                log.string(t.protocol());
                log.string(t.cipherSuite());
                log.varint(t.alpnOffered().length);
                for (String p : t.alpnOffered()) {
                    log.string(p);
                }
                log.string(t.alpn());
                log.string(t.sni());
                log.string(t.peerSubject());
                log.varint(t.peerNotAfterMs());
                log.u8((t.resumed() ? 1 : 0) | (t.renegotiation() ? 2 : 0) | (t.ok() ? 4 : 0));
                log.varint(t.startNs());
                log.varint(duration(t.durationNs()));
                log.string(t.error());
                log.varint(t.thread());
                log.end();
            } else if (d instanceof Catalog.HttpInfo) {
                Catalog.HttpInfo h = (Catalog.HttpInfo) d;
                listed++;
                log.begin(LogFormat.HTTP);
                log.string(h.client());
                log.string(h.method());
                log.string(h.uri());
                log.varint(h.status());
                log.string(h.version());
                log.varint(h.startNs());
                log.varint(duration(h.durationNs()));
                log.varint(h.requestBytes() + 1);
                log.varint(h.responseBytes() + 1);
                log.varint(h.connectionId());
                log.string(h.local());
                log.string(h.remote());
                log.string(h.error());
                log.varint(h.thread());
                log.end();
            } else if (d instanceof Catalog.DnsInfo) {
                Catalog.DnsInfo n = (Catalog.DnsInfo) d;
                listed++;
                log.begin(LogFormat.DNS);
                log.string(n.host());
                log.varint(n.startNs());
                log.varint(duration(n.durationNs()));
                log.varint(n.addresses());
                log.u8((n.cached() ? LogFormat.DNS_CACHED : 0) | (n.reverse() ? LogFormat.DNS_REVERSE : 0));
                log.string(n.error());
                log.varint(n.thread());
                log.end();
            } else if (d instanceof Catalog.Note) {
                Catalog.Note n = (Catalog.Note) d;
                log.begin(LogFormat.NOTE);
                log.string(n.kind());
                log.string(n.text());
                log.end();
            } else if (d instanceof Catalog.StringInfo) {
                Catalog.StringInfo s = (Catalog.StringInfo) d;
                log.begin(LogFormat.STRING);
                log.varint(s.id());
                log.string(s.value());
                log.end();
            }
        }
    }

    private void fullBuffers() {
        Buffers buffers = capture.buffers;
        for (EventBuffer b; (b = buffers.pollFull()) != null; ) {
            events(b, b.published());
            buffers.recycle(b);
        }
    }

    private void partialBuffers() {
        Buffers buffers = capture.buffers;
        for (int i = 0, n = buffers.created(); i < n; i++) {
            EventBuffer b = buffers.at(i);
            if (b == null) {
                continue;
            }
            // Read liveness before the records: a thread seen dead has published its last record already.
            boolean gone = buffers.ownerGone(b);
            events(b, b.published());
            if (gone) {
                buffers.recycle(b);
            }
        }
    }

    /**
     * A recorded duration as written: never below zero. An operation may straddle a jump of FastClock back onto
     * System.nanoTime()'s line (at a recording's start, or after the counter jumped), or read its two times from two
     * segments.
     */
    private static long duration(long ns) {
        return Math.max(0, ns);
    }

    private void events(EventBuffer b, int upTo) {
        int from = b.consumed();
        if (upTo <= from) {
            return;
        }
        long[] d = b.data;
        long blockThread = d[from * EventBuffer.RECORD + EventBuffer.THREAD];
        log.begin(LogFormat.EVENTS);
        log.varint(b.ownerTid());
        log.varint(blockThread);
        int countAt = log.reserveCount();
        byte[] out = log.room((upTo - from) * MAX_EVENT_BYTES);
        int p = log.position();
        int written = 0;
        long prevStart = 0;
        for (int r = from; r < upTo; r++) {
            int i = r * EventBuffer.RECORD;
            long h = d[i + EventBuffer.H];
            int op = (int) (h & 0xFF);
            int outcome = (int) ((h >>> 8) & 0xFF);
            long duration = duration(d[i + EventBuffer.DURATION]);
            long stack = d[i + EventBuffer.STACK];
            // Counts (TLS plaintext bytes) have no time of their own, read no clock and feed only per-connection
            // totals, so they are summed at any threshold. Sampled stacks stay individual: they are what the flame
            // graphs scale the aggregates by.
            if (outcome == Outcome.OK && stack == 0
                && (Op.isCounter(op) || duration < thresholdNs && Op.isTransfer(op))) {
                aggregates.add(d[i + EventBuffer.CONNECTION], op, d[i + EventBuffer.BYTES], duration);
                continue;
            }
            long start = d[i + EventBuffer.START];
            long thread = d[i + EventBuffer.THREAD];
            long ref = h >>> 32;
            int flags = outcome | (thread != blockThread ? LogFormat.EVENT_THREAD : 0)
                | (ref != 0 ? LogFormat.EVENT_REF : 0) | (stack != 0 ? LogFormat.EVENT_STACK : 0);
            out[p++] = (byte) op;
            out[p++] = (byte) flags;
            p = LogWriter.varint(out, p, LogWriter.zigzag(start - prevStart));
            prevStart = start;
            p = LogWriter.varint(out, p, duration);
            p = LogWriter.varint(out, p, d[i + EventBuffer.CONNECTION]);
            p = LogWriter.varint(out, p, d[i + EventBuffer.BYTES]);
            if (flags > LogFormat.EVENT_OUTCOME_MASK) {
                if (thread != blockThread) {
                    p = LogWriter.varint(out, p, thread);
                }
                if (ref != 0) {
                    p = LogWriter.varint(out, p, ref);
                }
                if (stack != 0) {
                    p = LogWriter.varint(out, p, stack);
                }
            }
            written++;
        }
        log.position(p);
        log.fillCount(countAt, written);
        log.end();
        b.consumedUpTo(upTo);
        events += upTo - from;
    }

    private void aggregates() {
        if (aggregates.isEmpty()) {
            return;
        }
        log.begin(LogFormat.AGGREGATE);
        log.varint(aggregates.size());
        aggregates.drain((connection, op, operations, bytes, durationNs) -> {
            log.varint(connection);
            log.u8(op);
            log.varint(operations);
            log.varint(bytes);
            log.varint(durationNs);
        });
        log.end();
    }

    /** Sockets the GC collected that the application never closed: each connection (or UDP flow) leaked. */
    private void leaks(long atNs) {
        for (Connections.Entry e : capture.connections.collected()) {
            if (e.isClosed() || e.id == Connections.IGNORED || e.api == Api.TLS_ALIAS) {
                continue;
            }
            if (e.api == Api.DATAGRAM) {
                for (long flow : e.flowIds()) {
                    leak(flow, atNs);
                }
            } else {
                leak(e.id, atNs);
            }
        }
    }

    private void leak(long connection, long atNs) {
        log.begin(LogFormat.LEAK);
        log.varint(connection);
        log.varint(atNs);
        log.end();
    }

    private void kernel(KernelView.Snapshot snapshot) {
        if (snapshot == null || snapshot.isEmpty()) {
            return;
        }
        log.begin(LogFormat.KERNEL);
        log.varint(snapshot.atNs());
        log.varint(snapshot.sockets().size());
        for (KernelView.Socket k : snapshot.sockets()) {
            log.u8(k.udp() ? 1 : 0);
            log.string(k.local());
            log.string(k.remote());
            log.u8(k.state());
            log.varint(k.sendQueue());
            log.varint(k.receiveQueue());
            log.u8(k.timer());
            log.varint(k.retransmits());
            log.varint(k.drops());
        }
        log.varint(snapshot.counters().size());
        for (Map.Entry<String, Long> c : snapshot.counters().entrySet()) {
            log.string(c.getKey());
            log.varint(c.getValue());
        }
        log.end();
    }

    private void status(long atNs) {
        log.begin(LogFormat.STATUS);
        log.varint(atNs);
        log.varint(capture.buffers.dropped());
        log.varint(capture.catalog.dropped());
        log.end();
    }
}
