package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.NettyWorkload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Netty ({@link NettyWorkload}): over its NIO transport, every connection's bytes, TLS plaintext and handshake are
 * exactly what its own pipeline counted, though one event loop thread serves them all at each end; its native epoll
 * transport, which bypasses the JDK, records nothing false and is named as not recorded. A client that hangs up
 * after its ClientHello ends its server's handshake, not the server. Netty's event loops, making only non-blocking
 * calls, are not said to block.
 */
class NettyTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void nioConnectionsMatchTheirPipelinesAndEpollIsNamedAsNotRecorded(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(jdk.name()), NettyWorkload.class, 120);
        Summary summary = run.summary();
        JsonNode handshakes = summary.root.get("tlsHandshakes");
        int nio = 0;
        int epoll = 0;
        for (String line : run.truth()) {
            // transport role local remote read written plaintext-read plaintext-written handshake
            String[] f = line.split(" ", 9);
            boolean hungUp = !f[8].equals("ok");
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
            if (hungUp) { // its client sent a ClientHello, then its FIN; Netty closed the engine's outbound first
                assertEquals("server", f[1], line);
                assertEquals(List.of("server failed the peer closed the connection before the handshake finished, "
                    + "without an alert"), summary.handshakesOn(c), line + ": " + handshakes);
            } else {
                assertEquals(List.of(f[1] + " ok"), summary.handshakesOn(c), line + ": " + handshakes);
            }
            // An SSLEngine knows no local address; the client's names its peer as the application gave it
            for (JsonNode h : Summary.list(handshakes)) {
                if (h.get("connectionId").asLong() == c.get("id").asLong()) {
                    assertEquals(f[2] + " " + f[3], h.get("local").asText() + " " + h.get("remote").asText(), line);
                    assertEquals(f[1].equals("client") ? "localhost:" + f[3].substring(f[3].lastIndexOf(':') + 1)
                        : null, h.get("peer").textValue(), line);
                }
            }
        }
        assertEquals(14, nio, run.truth().toString());
        assertEquals(4, epoll, run.truth().toString());
        assertEquals(List.of("Netty's epoll transport"),
            Summary.strings(summary.root.get("instrumentation").get("unrecorded")));
        assertEquals(0, summary.root.get("dropped").asLong());
        // Netty's event loops make only non-blocking channel calls: however long one took on a busy machine, it
        // waited for no network.
        assertEquals(List.of(), Summary.list(summary.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().equals("event-loop-blocking-io")).toList());
    }
}
