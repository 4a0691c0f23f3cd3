package dev.netprof.render;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders every output of a recording directory from its events.nprof alone: the same code at the end of a
 * recording and in {@code netprof report}, so a crashed recording renders exactly like a finished one.
 *
 * <p>Two passes over the log: the first builds the {@link Recording} (definitions and totals); the second, which
 * can then name every connection, feeds the flame graphs, the latency histograms and the streaming trace.
 */
public final class Renderer {
    public static final String LOG = "events.nprof";
    public static final String SUMMARY = "summary.json";
    /** stacks=sampled's default: reads and writes blocked this long always carry their own stack. */
    static final long DEFAULT_SLOW_NS = 1_000_000L;

    /** What a render produced: the recording and the lines to print. */
    public record Result(Recording recording, List<String> summary) {
    }

    public static Result render(Path dir) throws IOException {
        return render(dir, false);
    }

    /** {@code live}: the recording goes on ({@code netprof dump}), its log still being written. */
    public static Result render(Path dir, boolean live) throws IOException {
        Path log = dir.resolve(LOG);
        Recording r = Recording.read(log);
        r.live = live;
        FlameAggregator flameSums = new FlameAggregator(r, slowNs(r));
        Latencies latencies = new Latencies(r);
        EventLoops eventLoops = new EventLoops(r);
        SamplePairing pairing = SamplePairing.of(dir, r.startedNs);
        TraceWriter trace = new TraceWriter(r, dir.resolve("trace.json"), pairing);
        try (trace) {
            new LogReader().read(log, pairing == null ? new Fanout(flameSums, latencies, eventLoops, trace)
                : new Fanout(flameSums, latencies, eventLoops, pairing, trace), r.logBytes);
        }
        SyscallProfile syscalls = pairing == null ? null : new SyscallProfile(r, pairing);
        if (syscalls != null) {
            syscalls.write(dir);
        }
        List<EventLoops.Loop> loops = eventLoops.loops();
        List<Findings.Finding> findings = Findings.of(r, loops);
        new SummaryWriter(r, loops, findings, syscalls).write(dir.resolve(SUMMARY));
        FlameGraphs flames = new FlameGraphs(r, flameSums);
        flames.write(dir);
        new ReportWriter(r, latencies, trace, flames, loops, findings, syscalls).write(dir.resolve("report.html"));
        return new Result(r, ConsoleSummary.lines(r, findings, syscalls != null, dir));
    }

    /**
     * Roughly the most heap a render of a recording of {@code events} events, {@code connections} connections,
     * {@code listed} handshakes, exchanges and lookups and {@code sampleFileBytes} of async-profiler samples needs:
     * the event-loop analysis keeps up to {@link EventLoops#MAX_OPS} operations (24 bytes each, half as much again
     * while its array grows), the recording an object per listed item (~190 bytes measured, with its layer window),
     * per connection its object and the flame graphs' weights for each of its ops and stacks, and every sample for
     * the pairing (93 bytes a sample measured where the file holds 33, and the per-thread index while it is built).
     * A one-minute recording of a busy HTTP client (15 M events, 838 k exchanges on a few connections) rendered in
     * 320 MB of heap and not in 304 MB; this says 390 MB. 15 s of a connection per request (1.76 M events, 441 k
     * connections) renders in 384 MB and not in 352 MB (~650 bytes per connection); this says 412 MB.
     */
    public static long heapNeeded(long events, long connections, long listed, long sampleFileBytes) {
        return (32L << 20) + 36 * Math.min(events, EventLoops.MAX_OPS) + 760 * connections + 256 * listed
            + 4 * sampleFileBytes;
    }

    /** The slow-operation cut-off the recording used for stacks, from its "stacks" note. */
    static long slowNs(Recording r) {
        String note = r.note("stacks");
        if (note != null) {
            for (String part : note.split(" ")) {
                if (part.startsWith("slowNs=")) {
                    return Long.parseLong(part.substring("slowNs=".length()));
                }
            }
        }
        return DEFAULT_SLOW_NS;
    }

    private Renderer() {
    }
}
