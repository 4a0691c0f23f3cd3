package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.UndertowWorkload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Undertow ({@link UndertowWorkload}): every connection's bytes are what its client counted, at both ends. Its XNIO
 * workers wait for a request's body on a selector of their own, one channel at a time, then work and call a database:
 * they select, but they are no event loops, and nothing says they are busy or blocked.
 */
class UndertowTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void bytesAreExactAndWorkersWaitingOnASelectorAreNoEventLoops(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(jdk.name()), UndertowWorkload.class, 120);
        Summary summary = run.summary();
        List<String> workers = new ArrayList<>();
        int clients = 0;
        int asked = 0;
        for (String line : run.truth()) {
            String[] f = line.split(" ", 5);
            if (f[0].equals("worker")) {
                workers.add(line.substring("worker ".length()));
            } else if (f[0].equals("database")) {
                asked = Integer.parseInt(f[1]);
            } else {
                clients++;
                JsonNode client = summary.connection("tcp", f[1], f[2]);
                assertEquals(Long.parseLong(f[3]), client.get("bytesRead").asLong(), line + ": " + client);
                assertEquals(Long.parseLong(f[4]), client.get("bytesWritten").asLong(), line + ": " + client);
                JsonNode server = summary.connection("tcp", f[2], f[1]);
                assertEquals("server", server.get("role").asText(), line + ": " + server);
                assertEquals(Long.parseLong(f[4]), server.get("bytesRead").asLong(), line + ": " + server);
                assertEquals(Long.parseLong(f[3]), server.get("bytesWritten").asLong(), line + ": " + server);
            }
        }
        assertEquals(3, clients, run.truth().toString());
        assertEquals(9, asked, run.truth().toString());
        List<JsonNode> database = summary.connections(c -> c.get("role").asText().equals("client")
            && c.get("api").asText().equals("socket") && c.get("bytesWritten").asLong() == 8
            && c.get("bytesRead").asLong() == 8);
        assertEquals(asked, database.size(), "the handlers' database calls, 8 bytes each way");

        List<JsonNode> selectors = Summary.list(summary.root.get("selectors"));
        List<JsonNode> workerLoops = selectors.stream()
            .filter(l -> workers.contains(l.get("threadName").asText())).toList();
        // A body's second half comes PAUSE_MS after its first: the worker waits for it (a select, then the selectNow
        // that drops the key), unless, warming up, it started later than that.
        assertTrue(workerLoops.stream().mapToLong(w -> w.get("selects").asLong()).sum() >= 2 * 3,
            "workers waited on selectors for most bodies: " + workers + " " + selectors);
        for (JsonNode w : workerLoops) {
            assertEquals(1, w.get("maxChannels").asInt(), w.toString());
            assertEquals(0, w.get("busyGaps").asLong(), w.toString());
            assertEquals(0, w.get("blockingOps").asLong(), w.toString());
        }
        assertTrue(selectors.stream().anyMatch(l -> !workers.contains(l.get("threadName").asText())
            && l.get("maxChannels").asInt() >= 1), "Undertow's I/O threads hold the connections: " + selectors);
        Set<Long> workerThreads = workerLoops.stream().map(l -> l.get("thread").asLong()).collect(Collectors.toSet());
        assertEquals(List.of(), Summary.list(summary.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().startsWith("event-loop")
                && workerThreads.contains(f.get("thread").asLong()))
            .toList());
        assertEquals(0, summary.root.get("dropped").asLong());
    }
}
