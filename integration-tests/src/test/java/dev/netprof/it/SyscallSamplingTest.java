package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.HotPeersWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * async-profiler runs beside netprof in the recorded JVM; its samples are paired with netprof's operations by OS
 * thread and time. Each of three threads talks to one known peer, so every sample in socket native code has a
 * right answer.
 */
class SyscallSamplingTest {
    /** One recording per JDK and mode, shared by the tests that read it. */
    private static final Map<String, Run> RUNS = new HashMap<>();

    @TempDir
    static Path work;

    record Run(Summary summary, Map<String, Long> flame, Map<String, String> peers, String stderr, Path out) {
    }

    private static synchronized Run record(Jdk jdk, String mode) throws Exception {
        String name = jdk + "-" + mode.replace(':', '_');
        Run run = RUNS.get(name);
        if (run == null) {
            run = recordOnce(jdk, mode, work.resolve(name));
            RUNS.put(name, run);
        }
        return run;
    }

    private static Run recordOnce(Jdk jdk, String mode, Path dir) throws Exception {
        ChildJvm child = new ChildJvm(jdk, dir).agent("syscalls=" + mode).main(HotPeersWorkload.class, 3);
        ChildJvm.Result r = child.run(120).assertSucceeded();
        Map<String, String> peers = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 2) {
                peers.put(f[0], f[1]);
            }
        }
        for (String line : r.stderr().split("\n")) {
            assertTrue(line.startsWith("netprof: "), "only netprof's own lines on stderr: " + line);
        }
        return new Run(Summary.read(child.out()), OutputsTest.collapsed(child.out().resolve("flame-syscalls.collapsed")),
            peers, r.stderr(), child.out());
    }

    /** Weight of samples in socket native code below {@code method}: {right peer, unattributed, wrong peer}. */
    private static long[] attribution(Run run, String method, String peer) {
        return attribution(run, method, peer, "");
    }

    /** The same, for the samples that also pass through {@code via} (a frame prefix). */
    private static long[] attribution(Run run, String method, String peer, String via) {
        long[] w = new long[3];
        String frame = "dev/netprof/it/workload/HotPeersWorkload." + method + "_[j]";
        run.flame().forEach((stack, weight) -> {
            String[] frames = stack.split(";");
            String leaf = frames[frames.length - 1];
            if (!stack.contains(frame) || !stack.contains(via) || leaf.endsWith("_[j]")) {
                return;
            }
            if (stack.startsWith("[peer " + peer + "];")) {
                w[0] += weight;
            } else if (stack.startsWith("[unattributed]")) {
                w[1] += weight;
            } else {
                w[2] += weight;
            }
        });
        return w;
    }

    @ParameterizedTest(name = "{0} syscalls={1}")
    @CsvSource({"JDK17,on", "JDK25,on", "JDK17,kernel", "JDK25,kernel"})
    void samplesInSocketCodeAreAttributedToTheRightPeer(Jdk jdk, String mode) throws Exception {
        Run run = record(jdk, mode);
        JsonNode sys = run.summary().root.get("syscalls");
        assertEquals(List.of(mode), Summary.strings(sys.get("modes")));
        assertTrue(sys.get("pairable").asBoolean());
        for (String[] thread : new String[][] {{"sendToA", "A"}, {"pingB", "B"}, {"slowRead", "C"}}) {
            long[] w = attribution(run, thread[0], run.peers().get(thread[1]));
            long all = w[0] + w[1] + w[2];
            assertTrue(all > 0, "samples in socket code from " + thread[0]);
            assertEquals(0, w[2], thread[0] + ": no sample given to another peer");
            assertTrue(w[0] >= 0.8 * all, thread[0] + ": " + w[0] + " of " + all + " attributed to its peer");
        }
        assertEquals(mode.equals("kernel"), sys.get("kernelFrames").asBoolean(), "kernel frames only in kernel mode");
        if (mode.equals("kernel")) {
            assertTrue(run.flame().keySet().stream().anyMatch(s -> s.endsWith("_[k]") && s.contains("sendToA")),
                "kernel frames under the bulk writes");
        }
    }

    /**
     * The clock check: a thread blocked 300 ms in read is sampled by wall-clock samples all through the read. Every
     * such sample must land inside the recorded read's [start, end] on that thread, so under [peer C];[read].
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"JDK17", "JDK25"})
    void wallSamplesOfABlockedReadLieInsideThatReadsWindow(Jdk jdk) throws Exception {
        Run run = record(jdk, "on");
        // Only the read path: creating the socket and setting its options is socket native code (Net.socket0)
        // outside any network operation, and a wall sample does land there now and then.
        String peer = run.peers().get("C");
        long[] w = attribution(run, "slowRead", peer, ";sun/nio/ch/NioSocketImpl.read_[j]");
        assertEquals(0, w[1] + w[2], "every slowRead sample in socket code is inside its read");
        // Each wall sample weighs the interval its file was recorded at: together they come to the time netprof
        // measured the connection blocked (its ~300 ms reads), within a sampling interval or so per read.
        JsonNode toC = run.summary().connections(c -> c.get("remote").asText().equals(peer)).get(0);
        long blocked = toC.get("blockedNs").asLong();
        assertTrue(blocked >= 1_000_000_000L, "slowRead blocked for seconds: " + toC);
        assertTrue(Math.abs(w[0] - blocked) <= blocked / 4,
            "wall samples in slowRead's reads, " + w[0] + " ns, against " + blocked + " ns blocked");
        assertTrue(run.flame().keySet().stream().anyMatch(s -> s.startsWith("[peer " + peer + "];[read];")
            && s.contains("slowRead")));
        String html = Files.readString(run.out().resolve("report.html"));
        assertTrue(html.contains("flame-syscalls.html") && html.contains(peer));
    }

    /**
     * A wall-clock sample interrupts the thread it samples and pairs only with an operation on that thread: only
     * threads that record network operations get them. netprof's flusher, which wakes every 10 ms, never does.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"JDK17", "JDK25"})
    void onlyThreadsThatRecordOperationsAreWallClockSampled(Jdk jdk) throws Exception {
        Run run = record(jdk, "on");
        Map<String, Integer> byThread = new HashMap<>();
        try (RecordingFile f = new RecordingFile(run.out().resolve("samples-1-on.jfr"))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals("profiler.WallClockSample")) {
                    RecordedThread t = e.getThread("sampledThread");
                    byThread.merge(t == null ? "(none)" : String.valueOf(t.getJavaName()), 1, Integer::sum);
                }
            }
        }
        for (String thread : List.of("to-A", "to-B", "to-C")) {
            assertTrue(byThread.containsKey(thread), thread + " is wall-clock sampled: " + byThread);
        }
        assertFalse(byThread.containsKey("netprof-flusher"), "the flusher is not: " + byThread);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"JDK17"})
    void aTracepointThatFiresOncePerThreadFallsBackToCpuTimers(Jdk jdk) throws Exception {
        Run run = record(jdk, "tracepoint:syscalls:sys_enter_write");
        assertTrue(run.stderr().contains("sampling with syscalls=on instead"), run.stderr());
        assertEquals(1, run.stderr().lines().filter(l -> l.contains("syscalls=on instead")).count(), run.stderr());
        List<String> modes = Summary.strings(run.summary().root.get("syscalls").get("modes"));
        assertEquals("on", modes.get(modes.size() - 1), "went on with cpu timers: " + modes);
        assertFalse(attribution(run, "sendToA", run.peers().get("A"))[0] == 0, "and samples were paired");
    }
}
