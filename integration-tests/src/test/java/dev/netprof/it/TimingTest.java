package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import dev.netprof.it.workload.TimingWorkload;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * netprof's times are the application's own: each recorded read starts after the workload's clock read before it,
 * ends before the one after it, and not before the server began the write it waited for, all on System.nanoTime()'s
 * timeline, to within a few microseconds. Where JFR counts the CPU's ticks, the recording reads them too; where it
 * does not and the CPU's counter is invariant, netprof reads the counter itself.
 */
class TimingTest {
    /** What the recording's clock may stray from System.nanoTime(): it is steered to within about a microsecond. */
    private static final long SLACK_NS = 10_000;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void everyRecordedReadLiesWithinTheTimesTheWorkloadTookAroundIt(Jdk jdk) throws Exception {
        ChildJvm child = new ChildJvm(jdk, work.resolve(jdk.name())).agent("").main(TimingWorkload.class);
        ChildJvm.Result result = child.run(120).assertSucceeded();
        List<String> lines = result.stdout().lines().toList();
        long clientThread = Long.parseLong(lines.get(0).substring("client-thread ".length()));
        long jfrTicksPerSecond = Long.parseLong(lines.get(lines.size() - 1).substring("jfr-ticks-per-second ".length()));
        List<long[]> rounds = new ArrayList<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            String[] f = line.split(" ");
            rounds.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        assertEquals(TimingWorkload.ROUNDS, rounds.size());

        String clock = Summary.read(child.out()).root.get("clock").asText();
        String expected = jfrTicksPerSecond > 1_000_000_000L ? "the JVM's time-stamp counter at "
            : invariantTimeStampCounter() ? "the CPU's time-stamp counter at " : "System.nanoTime";
        assertTrue(clock.startsWith(expected), clock + "; expected " + expected + "; JFR's ticks per second: "
            + jfrTicksPerSecond);
        // netprof's own library loads from a module with native access: JDK 24+ warns of nothing.
        assertFalse(result.stderr().contains("WARNING"), result.stderr());

        List<long[]> reads = new ArrayList<>();
        new LogReader().read(child.out().resolve("events.nprof"), new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                if (thread == clientThread && op == Op.READ && outcome == Outcome.OK) {
                    reads.add(new long[] {start, start + duration, bytes});
                }
            }
        });
        assertEquals(TimingWorkload.ROUNDS, reads.size(), "the client's reads");
        long worst = Long.MIN_VALUE;
        for (int i = 0; i < rounds.size(); i++) {
            long[] truth = rounds.get(i);
            long[] read = reads.get(i);
            assertEquals(4, read[2], "round " + i);
            long startEarly = truth[0] - read[0];
            long endLate = read[1] - truth[1];
            long endBeforeTheWrite = truth[2] - read[1];
            String where = "round " + i + ": read " + read[0] + ".." + read[1] + ", workload " + truth[0] + ".."
                + truth[1] + ", server's write at " + truth[2] + " (" + clock + ")";
            assertTrue(startEarly <= SLACK_NS, where);
            assertTrue(endLate <= SLACK_NS, where);
            assertTrue(endBeforeTheWrite <= SLACK_NS, where);
            worst = Math.max(worst, Math.max(startEarly, Math.max(endLate, endBeforeTheWrite)));
        }
        System.out.println(jdk + ": " + clock + "; the recorded reads' times strayed at most " + worst
            + " ns outside the workload's (negative: inside)");
    }

    /** What the CPU says of its counter, where netprof could read it: x86-64 Linux, a constant and nonstop rate. */
    private static boolean invariantTimeStampCounter() throws IOException {
        if (!System.getProperty("os.arch").equals("amd64")) {
            return false;
        }
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
            .findFirst().orElse("");
        List<String> words = List.of(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
        return words.contains("constant_tsc") && words.contains("nonstop_tsc");
    }
}
