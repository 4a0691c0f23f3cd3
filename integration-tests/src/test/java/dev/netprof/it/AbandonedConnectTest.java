package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.AbandonedConnectWorkload;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connects that never establish for the application ({@link AbandonedConnectWorkload}): a non-blocking connect closed
 * before a finishConnect completed it is an error on its attempt, at the close, and a connect refused is one too
 * (a finishConnect's, only once, though it closes its channel before it throws); each counts among its endpoint's errors, beside the endpoint's connections, and an endpoint
 * only failed connects reached has its row with none.
 */
class AbandonedConnectTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aConnectClosedBeforeItFinishedIsAnErrorOfItsEndpoint(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(jdk.name()),
            AbandonedConnectWorkload.class, 60);
        Summary summary = run.summary();
        List<String> lines = run.truth();
        assertEquals(4, lines.size(), lines.toString());
        String server = lines.get(0).split(" ")[1];
        String[] connected = lines.get(1).split(" ");
        String nobody = lines.get(2).split(" ")[1];
        String nobodyEither = lines.get(3).split(" ")[1];

        List<JsonNode> errors = summary.errors();
        List<String> described = errors.stream().map(e -> e.get("op").asText() + " " + e.get("kind").asText() + " "
            + e.get("remote").asText() + " " + e.get("exception").asText() + " " + e.get("message").asText())
            .collect(Collectors.toList());
        assertTrue(described.contains("connect closed " + server + " null closed while connecting, before a "
            + "finishConnect completed the connect"), described.toString());
        assertTrue(described.stream().anyMatch(d -> d.startsWith("connect refused " + nobody
            + " java.net.ConnectException ")), described.toString());
        assertTrue(described.stream().anyMatch(d -> d.startsWith("finish-connect refused " + nobodyEither
            + " java.net.ConnectException ")), described.toString());
        assertEquals(3, errors.size(), "one error each, the finishConnect's own close none: " + described);

        JsonNode ordinary = summary.connection("tcp", connected[1], connected[2]);
        assertEquals(100, ordinary.get("bytesWritten").asLong(), ordinary.toString());
        assertEquals(List.of("client tcp " + server + " connections=1 errors=1",
            "client tcp " + nobody + " connections=0 errors=1", "client tcp " + nobodyEither + " connections=0 errors=1"),
            endpoints(summary, server, nobody, nobodyEither));
    }

    private static List<String> endpoints(Summary summary, String... addresses) {
        List<String> wanted = List.of(addresses);
        return Summary.list(summary.root.get("endpoints")).stream()
            .filter(e -> e.get("role").asText().equals("client") && wanted.contains(e.get("endpoint").asText()))
            .map(e -> "client tcp " + e.get("endpoint").asText() + " connections=" + e.get("connections").asLong()
                + " errors=" + e.get("errors").asLong())
            .sorted((a, b) -> Integer.compare(wanted.indexOf(a.split(" ")[2]), wanted.indexOf(b.split(" ")[2])))
            .collect(Collectors.toList());
    }
}
