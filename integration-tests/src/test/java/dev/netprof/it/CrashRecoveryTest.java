package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.HelloWorkload;
import dev.netprof.it.workload.PingPongWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A recorded JVM killed with -9 still leaves a log that renders everything up to at most a second before; one whose
 * exit does not wait for the rendering leaves a complete one.
 */
class CrashRecoveryTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void killMinus9LosesAtMostTheLastSecond(Jdk jdk) throws Exception {
        ChildJvm child = new ChildJvm(jdk, work).agent("").main(PingPongWorkload.class, 60);
        Process p = child.start();
        List<String> lines = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines.size() < 30 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            lines = Files.readAllLines(child.stdoutFile());
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertEquals(137, p.waitFor(), "killed by SIGKILL");
        assertTrue(lines.size() >= 30, "the workload made progress: " + lines);
        assertFalse(Files.exists(child.out().resolve("summary.json")), "nothing rendered at the kill");
        // Progress lines are at least 100 ms apart: the one ten lines before the last read was printed at least
        // a second before the kill, so every round trip it counts must be in the log.
        long pingsOneSecondBefore = Long.parseLong(lines.get(lines.size() - 11).substring("pings ".length()));

        ChildJvm.Result report = Cli.run(jdk, work, "report", child.out().toString());
        assertEquals(0, report.exitCode(), report.stderr());
        assertTrue(report.stderr().contains("did not stop cleanly"), report.stderr());
        Summary s = Summary.read(child.out());
        assertFalse(s.root.get("cleanStop").asBoolean());
        JsonNode client = s.connections(c -> c.get("role").asText().equals("client")).get(0);
        assertTrue(client.get("writes").asLong() >= pingsOneSecondBefore,
            client.get("writes") + " writes recorded, " + pingsOneSecondBefore + " completed a second before the kill");
        assertEquals(64 * client.get("writes").asLong(), client.get("bytesWritten").asLong());
        assertTrue(client.get("closedNs").isNull(), "still open when killed");
        String html = Files.readString(child.out().resolve("report.html"));
        assertTrue(html.contains("<td>" + client.get("local").asText() + "</td>"), "the report lists the connection");
        assertTrue(html.contains("not cleanly"), "the report says the JVM died");
        assertTrue(Files.size(child.out().resolve("trace.json")) > 0);
        assertTrue(Files.size(child.out().resolve("flame-time.html")) > 0);
    }

    /**
     * exitwait=0 does not render at exit; exitwait=1ms starts to and exits long before a render could finish (loading
     * the renderer alone takes longer); a 32 MB heap cannot spare what even a small render is allowed (32 MB and
     * more), so the application's heap is left alone. Each time the exit says so, and the log renders later to the
     * bytes that moved.
     */
    @ParameterizedTest
    @CsvSource({"JDK17,0,,exitwait=0: outputs not rendered",
        "JDK25,1ms,,outputs still rendering after exitwait=1ms",
        "JDK17,20s,-Xmx32m,outputs not rendered in this JVM: rendering needs about 32 MB of heap"})
    void anExitThatDoesNotWaitForTheOutputsLeavesACompleteLog(Jdk jdk, String exitWait, String heap, String said)
            throws Exception {
        ChildJvm child = new ChildJvm(jdk, work).agent("exitwait=" + exitWait).main(HelloWorkload.class);
        if (heap != null) {
            child.jvmArg(heap);
        }
        ChildJvm.Result exit = child.run(60);
        assertEquals(0, exit.exitCode(), exit.stderr());
        assertEquals("hello, unharmed\n", exit.stdout());
        assertTrue(exit.stderr().contains(said), exit.stderr());
        assertTrue(exit.stderr().contains("events.nprof is complete: netprof report " + child.out() + " renders them"),
            exit.stderr());
        assertFalse(exit.stderr().contains("outputs in"), "no summary printed: " + exit.stderr());

        ChildJvm.Result report = Cli.run(jdk, work, "report", child.out().toString());
        assertEquals(0, report.exitCode(), report.stderr());
        Summary s = Summary.read(child.out());
        assertTrue(s.root.get("cleanStop").asBoolean(), "the exit finished the log");
        assertEquals(10, s.connections(c -> c.get("role").asText().equals("client")).get(0).get("bytesWritten")
            .asLong());
        assertEquals(10, s.connections(c -> c.get("role").asText().equals("server")).get(0).get("bytesRead")
            .asLong());
    }
}
