package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.DrainingShutdownWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An application that drains its connections in a shutdown hook ({@link DrainingShutdownWorkload}): netprof stops
 * after the application's hooks have ended, so what the hook sent and closed is in the counts, and at most
 * {@code hookwait=} after the exit began, so a hook that takes longer does not keep the outputs from being written.
 */
class GracefulShutdownTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void whatAShutdownHookSendsAndClosesIsRecorded(Jdk jdk) throws Exception {
        Run run = run(jdk, "", 300);
        JsonNode client = run.summary.connection("tcp", run.truth[0], run.truth[1]);
        JsonNode server = run.summary.connection("tcp", run.truth[1], run.truth[0]);
        assertEquals(Long.parseLong(run.truth[2]), client.get("bytesWritten").asLong(), client.toString());
        assertEquals(Long.parseLong(run.truth[3]), server.get("bytesRead").asLong(), server.toString());
        assertEquals(Long.parseLong(run.truth[2]), Long.parseLong(run.truth[3]), "the server read all the client sent");
        assertFalse(client.get("closedNs").isNull(), "closed by the hook: " + client);
        assertFalse(server.get("closedNs").isNull(), "closed by the server after the end: " + server);
        assertEquals(List.of(), Summary.list(run.summary.root.get("leaks")), "nothing left open");

        JsonNode hooks = run.summary.root.get("shutdownHooks");
        assertEquals(Set.of("drain ended", "quick ended"), hookStates(hooks));
        long waitedNs = hooks.get("waitedNs").asLong();
        // The JVM may start the drain hook before netprof's, which then waits a little less than its 300 ms sleep.
        assertTrue(waitedNs >= 200 * MS, "waited for the drain hook's 300 ms: " + waitedNs);
        assertTrue(run.summary.root.get("window").get("toNs").asLong() > Long.parseLong(run.truth[4]),
            "stopped after the hook sent");
        assertTrue(run.report.contains("cleanly, at the JVM's exit after waiting "), "report.html says it waited");
        assertTrue(run.report.contains(" for the application's 2 shutdown hooks to end"), "and for how many");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aHookThatOutlastsHookwaitIsNotWaitedFor(Jdk jdk) throws Exception {
        Run run = run(jdk, "hookwait=200ms", 1500);
        long sendingNs = Long.parseLong(run.truth[4]);
        assertTrue(run.summary.root.get("window").get("toNs").asLong() < sendingNs,
            "stopped before the hook began to send");
        JsonNode hooks = run.summary.root.get("shutdownHooks");
        assertEquals(Set.of("drain running", "quick ended"), hookStates(hooks));
        long waitedNs = hooks.get("waitedNs").asLong();
        assertTrue(waitedNs >= 200 * MS && waitedNs < 1500 * MS, "waited hookwait=200ms: " + waitedNs);

        JsonNode client = run.summary.connection("tcp", run.truth[0], run.truth[1]);
        assertEquals(10_000, client.get("bytesWritten").asLong(), "what main sent, not the hook: " + client);
        assertTrue(client.get("closedNs").isNull(), client.toString());
        List<String> leaks = Summary.list(run.summary.root.get("leaks")).stream()
            .map(l -> l.get("kind").asText() + " " + l.get("connectionId").asLong()).collect(Collectors.toList());
        assertTrue(leaks.contains("open-at-exit " + client.get("id").asLong()), leaks.toString());
        String leakFinding = Summary.list(run.summary.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().equals("leak")).map(f -> f.get("explanation").asText())
            .collect(Collectors.joining("\n"));
        assertTrue(leakFinding.contains("1 of which still ran"), leakFinding);
        assertTrue(run.report.contains("<b class=\"bad\">1 still ran</b>"), "report.html says one still ran");
        assertTrue(run.stderr.contains("shutdown hook \"drain\" still runs after hookwait=200ms"), run.stderr);
    }

    private record Run(Summary summary, String[] truth, String stderr, String report) {
    }

    private Run run(Jdk jdk, String options, long hookDelayMs) throws Exception {
        Path dir = work.resolve(jdk.name());
        Path truth = dir.resolve("truth.txt");
        ChildJvm child = new ChildJvm(jdk, dir).agent(options).main(DrainingShutdownWorkload.class, truth,
            hookDelayMs);
        ChildJvm.Result result = child.run(60).assertSucceeded();
        List<String> lines = Files.readAllLines(truth);
        assertEquals(1, lines.size(), lines + "\n" + result.stderr());
        return new Run(Summary.read(child.out()), lines.get(0).split(" "), result.stderr(),
            Files.readString(child.out().resolve("report.html")));
    }

    private static Set<String> hookStates(JsonNode hooks) {
        return Summary.list(hooks.get("hooks")).stream()
            .map(h -> h.get("thread").asText() + (h.get("ended").asBoolean() ? " ended" : " running"))
            .collect(Collectors.toSet());
    }
}
