package dev.netprof.render;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import dev.netprof.nativeprof.Samples;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * trace.json: Chrome trace-event JSON that Perfetto UI and chrome://tracing open. Process 1 has one track per Java
 * thread with a span per operation; process 2 has one track per connection spanning its life.
 *
 * <p>It streams: spans are written as the log is read. So that a large recording stays usable, at most
 * {@link #MAX_SPANS} operations become spans: when there are more, only those at least {@link #minSpanNs} long (and
 * every failure) are, and the others are summed per thread per window into counters ("folded").
 */
final class TraceWriter implements LogVisitor, AutoCloseable {
    static final long MAX_SPANS = 1_000_000;

    private final Recording r;
    private final Writer out;
    final long minSpanNs;
    final long windowNs;
    long spans;
    long folded;
    private final Set<Long> threads = new TreeSet<>();
    /** (thread, window) to {operations, bytes} of folded operations. */
    private final Map<Long, Map<Long, long[]>> foldedByThread = new HashMap<>();

    private final SamplePairing samples;

    TraceWriter(Recording r, Path file, SamplePairing samples) throws IOException {
        this.r = r;
        this.samples = samples;
        this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
        this.minSpanNs = minSpanNs(r.durations);
        this.windowNs = Math.max(100_000_000L, (r.stoppedNs - r.startedNs) / 2000);
        out.write("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"netprof ");
        out.write(Json.escape(r.netprofVersion == null ? "" : r.netprofVersion));
        out.write("\",\"pid\":" + r.pid + "},\"traceEvents\":[\n");
        meta(1, 0, "process_name", "JVM " + r.pid + " network operations (netprof)");
        meta(2, 0, "process_name", "connections");
    }

    /** The shortest span duration that keeps the trace within about {@link #MAX_SPANS}, from pass one's durations. */
    static long minSpanNs(Histogram durations) {
        long total = durations.getTotalCount();
        if (total <= MAX_SPANS) {
            return 0;
        }
        return durations.getValueAtPercentile(100.0 * (total - MAX_SPANS) / total) + 1;
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        if (start < r.startedNs || Op.isCounter(op)) {
            return;
        }
        threads.add(thread);
        if (duration < minSpanNs && !Outcome.isError(outcome)) {
            long window = (start - r.startedNs) / windowNs;
            long[] sum = foldedByThread.computeIfAbsent(thread, t -> new HashMap<>()).computeIfAbsent(window,
                w -> new long[2]);
            sum[0]++;
            sum[1] += Op.isTransfer(op) ? bytes : 0;
            folded++;
            return;
        }
        Recording.Connection c = r.connections.get(connection);
        String label = r.layerLabel(op, ref);
        String peer = label != null ? " " + label : c == null || c.remote == null ? "" : " " + c.remote;
        String error = Outcome.isError(outcome) ? r.exception(op, ref, thread, start + duration) : null;
        try {
            out.write("{\"ph\":\"X\",\"cat\":\"net\",\"pid\":1,\"tid\":" + thread + ",\"ts\":" + micros(start - r.startedNs)
                + ",\"dur\":" + micros(duration) + ",\"name\":\"" + Op.name(op) + Json.escape(peer) + "\",\"args\":{"
                + (op == Op.SELECT ? "\"readyKeys\":" + Op.readyKeys(bytes) + ",\"channels\":"
                    + Op.registeredChannels(bytes) : "\"bytes\":" + bytes) + ",\"connection\":" + connection
                + ",\"outcome\":\"" + Outcome.name(outcome)
                + "\"" + (error != null ? ",\"error\":\"" + Json.escape(error) + "\"" : "")
                + "}},\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spans++;
    }

    @Override
    public void close() throws IOException {
        try {
            for (long t : threads) {
                meta(1, t, "thread_name", r.threadName(t));
            }
            for (Map.Entry<Long, Map<Long, long[]>> e : foldedByThread.entrySet()) {
                for (Map.Entry<Long, long[]> w : new TreeMap<>(e.getValue()).entrySet()) {
                    out.write("{\"ph\":\"C\",\"pid\":1,\"tid\":" + e.getKey() + ",\"name\":\"folded ops, thread "
                        + e.getKey() + "\",\"ts\":" + micros(w.getKey() * windowNs) + ",\"args\":{\"ops\":"
                        + w.getValue()[0] + ",\"bytes\":" + w.getValue()[1] + "}},\n");
                }
            }
            sampleInstants();
            for (Recording.Connection c : r.establishedConnections()) {
                long from = Math.max(c.openedNs, r.startedNs);
                long to = c.closedNs != null ? c.closedNs : r.stoppedNs;
                meta(2, c.id, "thread_name", "#" + c.id + " " + Api.transport(c.api) + " " + Api.role(c.role) + " "
                    + c.local + " > " + c.remote);
                out.write("{\"ph\":\"X\",\"cat\":\"connection\",\"pid\":2,\"tid\":" + c.id + ",\"ts\":"
                    + micros(from - r.startedNs) + ",\"dur\":" + micros(Math.max(0, to - from)) + ",\"name\":\""
                    + Json.escape(Api.transport(c.api) + " " + c.remote) + "\",\"args\":{\"bytesRead\":" + c.bytesRead
                    + ",\"bytesWritten\":" + c.bytesWritten + ",\"closeReason\":\""
                    + (c.closeReason() == null ? "open at stop" : c.closeReason()) + "\"}},\n");
            }
            out.write("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_sort_index\",\"args\":{\"sort_index\":1}}\n]}\n");
        } finally {
            out.close();
        }
    }

    /** async-profiler's samples in network operations or socket code, as instants on their Java threads. */
    private void sampleInstants() throws IOException {
        if (samples == null) {
            return;
        }
        for (int i = 0; i < samples.samples.size(); i++) {
            Samples.Sample s = samples.samples.get(i);
            boolean paired = samples.op[i] != 0;
            if (s.javaThread() == 0 || s.timeNs() < r.startedNs || !(paired || SamplePairing.inSocketCode(s))) {
                continue;
            }
            String leaf = s.frames().length == 0 ? "?" : s.frames()[0];
            out.write("{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"sample\",\"pid\":1,\"tid\":" + s.javaThread()
                + ",\"ts\":" + micros(s.timeNs() - r.startedNs) + ",\"name\":\"sample " + Json.escape(leaf)
                + "\",\"args\":{\"kind\":\"" + (s.kind() == Samples.CPU ? "cpu" : s.kind() == Samples.WALL_SLEEPING
                ? "blocked" : "running") + "\",\"op\":\"" + (paired ? Op.name(samples.op[i]) : "none")
                + "\",\"connection\":" + samples.connection[i] + "}},\n");
        }
    }

    private void meta(long pid, long tid, String name, String value) throws IOException {
        out.write("{\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"name\":\"" + name + "\",\"args\":{\"name\":\""
            + Json.escape(value) + "\"}},\n");
    }

    /** Nanoseconds as microseconds with three decimals, without String.format's cost per event. */
    static String micros(long ns) {
        long frac = Math.abs(ns % 1000);
        return (ns < 0 && ns > -1000 ? "-" : "") + ns / 1000 + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }
}
