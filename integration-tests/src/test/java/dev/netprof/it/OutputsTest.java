package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netprof.event.Op;
import dev.netprof.it.workload.EchoWorkload;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import dev.netprof.render.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered outputs of a real recording ({@link EchoWorkload} with threshold=50us, so some operations are only
 * aggregates and fast reads/writes are sampled): flame graphs that add up to what the log recorded, stacks that
 * name the application, a trace that parses with every span inside the recording, a report that links them.
 */
class OutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Jdk, Path> OUT = new EnumMap<>(Jdk.class);
    private static final String STALE_SAMPLES = "samples-1-on.jfr";

    @TempDir
    static Path work;

    static synchronized Path out(Jdk jdk) throws Exception {
        Path out = OUT.get(jdk);
        if (out == null) {
            Path dir = work.resolve(jdk.name());
            ChildJvm child = new ChildJvm(jdk, dir).agent("threshold=50us")
                .main(EchoWorkload.class, dir.resolve("truth.jsonl"), 7);
            // An earlier recording's samples in a reused output directory: not this recording's to read.
            Files.writeString(Files.createDirectories(child.out()).resolve(STALE_SAMPLES), "not a JFR file");
            child.run(120).assertSucceeded();
            out = child.out();
            OUT.put(jdk, out);
        }
        return out;
    }

    /**
     * Totals straight from events.nprof: time of every socket operation and bytes of every transfer, individual or
     * aggregated (this workload has no TLS, HTTP or DNS layers above its sockets).
     */
    static long[] logTotals(Path out) throws Exception {
        long[] totals = new long[3];
        long[] started = new long[1];
        new LogReader().read(out.resolve("events.nprof"), new LogVisitor() {
            @Override
            public void header(long pid, long startedNs, long epochMs, String v, String o, String jvm) {
                started[0] = startedNs;
            }

            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                if (start >= started[0]) {
                    totals[0] += duration;
                    totals[1] += Op.isTransfer(op) ? bytes : 0;
                }
            }

            @Override
            public void aggregate(long connection, int op, long count, long bytes, long durationNs) {
                totals[0] += durationNs;
                totals[1] += bytes;
                totals[2] += count;
            }
        });
        return totals;
    }

    static Map<String, Long> collapsed(Path file) throws Exception {
        Map<String, Long> stacks = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int space = line.lastIndexOf(' ');
            stacks.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1)), Long::sum);
        }
        return stacks;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void flameGraphWeightsAddUpToTheRecordedTotals(Jdk jdk) throws Exception {
        Path out = out(jdk);
        long[] totals = logTotals(out);
        assertTrue(totals[2] > 0, "threshold=50us folded some operations into aggregates");
        assertEquals(totals[0], collapsed(out.resolve("flame-time.collapsed")).values().stream()
            .mapToLong(Long::longValue).sum(), "flame-time total = ns recorded");
        assertEquals(totals[1], collapsed(out.resolve("flame-bytes.collapsed")).values().stream()
            .mapToLong(Long::longValue).sum(), "flame-bytes total = bytes recorded");
        // Per peer too: the bytes under each [peer X] leaf equal the bytes of the connections to X.
        Summary s = Summary.read(out);
        Map<String, Long> byPeer = new HashMap<>();
        collapsed(out.resolve("flame-bytes.collapsed")).forEach((stack, w) ->
            byPeer.merge(stack.substring(stack.lastIndexOf(";[peer ") + 7, stack.length() - 1), w, Long::sum));
        Map<String, Long> expected = new HashMap<>();
        for (JsonNode c : s.connections()) {
            long b = c.get("bytesRead").asLong() + c.get("bytesWritten").asLong();
            if (b > 0) {
                expected.merge(c.get("remote").asText(), b, Long::sum);
            }
        }
        assertEquals(expected, byPeer);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void flameStacksEndInOpAndPeerAndNameTheApplicationsOwnMethods(Jdk jdk) throws Exception {
        Map<String, Long> stacks = collapsed(out(jdk).resolve("flame-time.collapsed"));
        for (String stack : stacks.keySet()) {
            String[] frames = stack.split(";");
            assertTrue(frames[frames.length - 2].matches("\\[[a-z-]+\\]"), "op frame in " + stack);
            assertTrue(frames[frames.length - 1].startsWith("[peer "), "peer frame in " + stack);
        }
        for (String method : List.of("blockingSockets", "blockingChannels", "nonBlockingChannels", "socketAdaptors",
            "datagrams", "echoUntilEof", "sendChunks")) {
            String frame = "dev/netprof/it/workload/EchoWorkload." + method + "_[j]";
            assertTrue(stacks.keySet().stream().anyMatch(s -> s.contains(frame)), "a stack through " + method);
        }
        String html = Files.readString(out(jdk).resolve("flame-time.html"));
        assertTrue(html.contains("netprof: nanoseconds blocked in network calls"), "titled flame graph");
        assertTrue(html.contains("scaled from"), "the page says weights were scaled from samples");
    }

    /**
     * This JDK's backtraces read as {@code Backtraces} expects (checked against getStackTrace as the agent starts),
     * so a stack seen before is known by its fill and not resolved again; on a layout it does not know, every capture
     * would resolve: right, but slower. That a known stack is found by its fill is BacktracesTest's and StacksTest's.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void thisJdksBacktracesAreRead(Jdk jdk) throws Exception {
        String stacksNote = Recording.read(out(jdk).resolve("events.nprof")).note("stacks");
        assertTrue(stacksNote.endsWith(" backtraces=read"), stacksNote);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void traceParsesAndEverySpanLiesInsideTheRecording(Jdk jdk) throws Exception {
        Path out = out(jdk);
        JsonNode trace = JSON.readTree(out.resolve("trace.json").toFile());
        Summary s = Summary.read(out);
        double recordedMicros = (s.root.get("stoppedNs").asLong() - s.root.get("startedNs").asLong()) / 1000.0;
        int opSpans = 0;
        int connectionSpans = 0;
        boolean namedThread = false;
        for (JsonNode e : trace.get("traceEvents")) {
            String ph = e.get("ph").asText();
            if (ph.equals("X")) {
                double ts = e.get("ts").asDouble();
                double end = ts + e.get("dur").asDouble();
                assertTrue(ts >= 0 && end <= recordedMicros + 0.001, "span inside the recording: " + e);
                if (e.get("pid").asInt() == 1) {
                    opSpans++;
                    JsonNode args = e.get("args");
                    assertTrue(args.has("connection"), e.toString());
                    if (e.get("name").asText().equals("select")) { // its counts, not bytes
                        assertTrue(args.get("readyKeys").asInt() >= 0 && args.get("channels").asInt() >= 0,
                            e.toString());
                    } else {
                        assertTrue(args.has("bytes"), e.toString());
                    }
                } else {
                    connectionSpans++;
                }
            } else if (ph.equals("M") && e.get("name").asText().equals("thread_name")
                && e.get("args").get("name").asText().equals("main")) {
                namedThread = true;
            }
        }
        assertEquals(s.connections().size(), connectionSpans, "a track per connection");
        assertEquals(s.root.get("events").asLong(), opSpans, "a span per individually logged operation");
        assertTrue(namedThread, "threads are named");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void reportLinksEveryOutputAndListsEveryConnection(Jdk jdk) throws Exception {
        Path out = out(jdk);
        String html = Files.readString(out.resolve("report.html"));
        for (String link : List.of("flame-time.html", "flame-bytes.html", "trace.json", "summary.json")) {
            assertTrue(html.contains("href=\"" + link + "\""), link);
            assertTrue(Files.isRegularFile(out.resolve(link)), link);
        }
        for (JsonNode c : Summary.read(out).connections()) {
            assertTrue(html.contains("<td>" + c.get("local").asText() + "</td>"), "connection " + c.get("local"));
        }
        assertTrue(html.contains("Latency by endpoint and operation") && html.contains("p99.9"));
        assertTrue(!html.contains("<script src") && !html.contains("<link "), "self-contained");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anEarlierRecordingsSampleFilesAreGone(Jdk jdk) throws Exception {
        Path out = out(jdk);
        assertFalse(Files.exists(out.resolve(STALE_SAMPLES)));
        assertTrue(Summary.read(out).root.get("syscalls").isNull(), "no samples paired: this recording took none");
    }
}
