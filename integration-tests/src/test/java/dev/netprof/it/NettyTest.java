package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.NettyWorkload;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Netty ({@link NettyWorkload}): over its NIO transport, every connection's bytes, TLS plaintext and handshake are
 * exactly what its own pipeline counted, though one event loop thread serves them all at each end; its native epoll
 * transport, which bypasses the JDK, records nothing false and is named as not recorded.
 */
class NettyTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void nioConnectionsMatchTheirPipelinesAndEpollIsNamedAsNotRecorded(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(jdk.name()), NettyWorkload.class, 120);
        Summary summary = run.summary();
        List<JsonNode> handshakes = Summary.list(summary.root.get("tlsHandshakes"));
        int nio = 0;
        int epoll = 0;
        for (String line : run.truth()) {
            // transport role local remote read written plaintext-read plaintext-written handshake
            String[] f = line.split(" ", 9);
            assertEquals("ok", f[8], line);
            if (f[0].equals("epoll")) {
                epoll++;
                assertTrue(summary.connections(c -> c.get("local").asText().equals(f[2])
                    && c.get("remote").asText().equals(f[3])).isEmpty(), "nothing recorded for " + line);
                continue;
            }
            nio++;
            JsonNode c = summary.connection("tcp", f[2], f[3]);
            assertEquals(f[1], c.get("role").asText(), line + ": " + c);
            assertEquals(Long.parseLong(f[4]), c.get("bytesRead").asLong(), line + ": " + c);
            assertEquals(Long.parseLong(f[5]), c.get("bytesWritten").asLong(), line + ": " + c);
            assertEquals(Long.parseLong(f[6]), c.get("tlsPlaintextRead").asLong(), line + ": " + c);
            assertEquals(Long.parseLong(f[7]), c.get("tlsPlaintextWritten").asLong(), line + ": " + c);
            assertEquals(List.of(f[1] + " ok"), onConnection(handshakes, c), line + ": " + handshakes);
        }
        assertEquals(12, nio, run.truth().toString());
        assertEquals(4, epoll, run.truth().toString());
        assertEquals(List.of("Netty's epoll transport"),
            Summary.strings(summary.root.get("instrumentation").get("unrecorded")));
        assertEquals(0, summary.root.get("dropped").asLong());
    }

    private static List<String> onConnection(List<JsonNode> handshakes, JsonNode connection) {
        return handshakes.stream().filter(h -> h.get("connectionId").asLong() == connection.get("id").asLong())
            .map(h -> h.get("role").asText() + " " + h.get("outcome").asText()).collect(Collectors.toList());
    }
}
