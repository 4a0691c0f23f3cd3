package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.MisusedConnectWorkload;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connect call that throws on a connection that is fine ({@link MisusedConnectWorkload}) is one error on that
 * connection and ends nothing: each client's connection is there, with every byte its server read, closed by its
 * own close, and the error names what the application caught.
 */
class MisusedConnectTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aConnectThatThrowsOnAGoodConnectionIsOnlyAnError(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(jdk.name()), MisusedConnectWorkload.class,
            60);
        Summary summary = run.summary();
        List<String> lines = run.truth();
        assertEquals(4, lines.size(), lines.toString());
        for (String line : lines) {
            String[] f = line.split(" "); // scenario local remote bytes-read exception
            JsonNode c = summary.connection("tcp", f[1], f[2]);
            assertEquals("client", c.get("role").asText(), line);
            assertEquals(Long.parseLong(f[3]), c.get("bytesWritten").asLong(), line + ": " + c);
            assertFalse(c.get("closedNs").isNull(), "closed by its close: " + c);
            assertNotEquals("none", f[4], "the application caught the connect's exception: " + line);
            long id = c.get("id").asLong();
            List<String> errors = Summary.list(summary.root.get("errors")).stream()
                .filter(e -> e.get("connectionId").asLong() == id).map(e -> e.get("exception").asText())
                .collect(Collectors.toList());
            // Through the adaptor, JDK 25's channel throws AlreadyConnectedException, which the adaptor turns into
            // the SocketException the application catches; the error is what the instrumented method threw.
            List<String> expected = f[0].startsWith("adaptor") && jdk == Jdk.JDK25
                ? List.of("java.nio.channels.AlreadyConnectedException") : List.of(f[4]);
            assertEquals(expected, errors, line);
        }
        assertEquals(List.of(), Summary.list(summary.root.get("leaks")), "nothing left open");
    }
}
