package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.WindowWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A recording that {@code duration=} stops while the application goes on ({@link WindowWorkload}) has its outputs
 * rendered though the application exits during the render, and counts exactly the operations inside its window: every write that began after the window opened and ended before it closed, none
 * that began after it closed. Writes within {@value #EDGE_NS} ns of an edge may go either way: the workload's clock
 * reads are outside netprof's, and netprof's clock follows {@code System.nanoTime()} within microseconds.
 */
class RecordingWindowTest {
    private static final long EDGE_NS = 200_000;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aRecordingStoppedMidwayCountsTheWritesInsideItsWindow(Jdk jdk) throws Exception {
        Path dir = work.resolve(jdk.name());
        Path truthFile = dir.resolve("truth.txt");
        // The application exits half a second after the stop, while the outputs render: the exit waits for them.
        Path classes = dir.resolve("classes.log");
        ChildJvm child = new ChildJvm(jdk, dir).agent("duration=1s")
            .jvmArg("-Xlog:class+load=info:file=" + classes).main(WindowWorkload.class, truthFile, 1500);
        child.run(60).assertSucceeded();
        assertTrue(Files.isRegularFile(child.out().resolve("report.html")), "rendered before the exit");
        Summary summary = Summary.read(child.out());
        List<String> truth = Files.readAllLines(truthFile);
        String[] where = truth.get(0).split(" ");
        long from = summary.root.get("window").get("fromNs").asLong();
        long to = summary.root.get("window").get("toNs").asLong();
        assertTrue(to - from >= 1_000_000_000L - 1_000_000L, "duration= is the time with the instrumentation complete: "
            + (to - from) + " ns");
        // The stop asks TlsRecorder for handshakes it holds; in a JVM that never used TLS, that loaded the JDK's TLS
        // classes into it (0.6-0.7 s of an attach's stop) until their fields had a class of their own.
        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.netprof.record.TlsRecorder ")), "the stop used it");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" sun.security.ssl.")).toList(),
            "no TLS class loaded into an application without TLS");
        long inside = 0, edge = 0, after = 0;
        for (String line : truth.subList(1, truth.size())) {
            String[] f = line.split(" ");
            long start = Long.parseLong(f[0]);
            long end = Long.parseLong(f[1]);
            if (start >= from + EDGE_NS && end <= to - EDGE_NS) {
                inside++;
            } else if (start > to + EDGE_NS) {
                after++;
            } else if (end >= from - EDGE_NS) {
                edge++;
            }
        }
        assertTrue(after > 100, "the application went on writing after the stop: " + after + " writes");
        JsonNode client = summary.connection("tcp", where[0], where[1]);
        long writes = client.get("writes").asLong();
        assertTrue(writes >= inside && writes <= inside + edge, writes + " writes counted; " + inside
            + " inside the window, " + edge + " at its edges, " + after + " after it");
        assertEquals(writes * WindowWorkload.MESSAGE, client.get("bytesWritten").asLong(), client.toString());
    }
}
