package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.TlsPairingWorkload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS clients netprof cannot follow from an SSLSocket to its SocketImpl ({@link TlsPairingWorkload}): the JDK
 * HttpClient's concurrent connections, SSLEngines over channels opened before their handshakes, an SSLSocket layered
 * over a channel's socket adaptor, SSLEngine servers sharing a thread and handing their work to an executor. Each
 * client connection has its one handshake, and exactly the plaintext its server read from it and wrote to it; so has
 * each server connection.
 */
class TlsPairingTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void eachClientsHandshakeAndPlaintextAreOnItsOwnConnection(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(jdk.name()), TlsPairingWorkload.class, 90);
        Summary summary = run.summary();
        JsonNode handshakes = summary.root.get("tlsHandshakes");
        assertEquals(18, run.truth().size(), run.truth().toString());
        for (String line : run.truth()) {
            String[] f = line.split(" "); // client server-local server-remote plaintext-read plaintext-written
            long read = Long.parseLong(f[3]);
            long written = Long.parseLong(f[4]);
            JsonNode server = summary.connection("tcp", f[1], f[2]);
            JsonNode client = summary.connection("tcp", f[2], f[1]);
            assertEquals(read, server.get("tlsPlaintextRead").asLong(), line + ": " + server);
            assertEquals(written, server.get("tlsPlaintextWritten").asLong(), line + ": " + server);
            assertEquals(read, client.get("tlsPlaintextWritten").asLong(), line + ": " + client);
            assertEquals(written, client.get("tlsPlaintextRead").asLong(), line + ": " + client);
            assertEquals(List.of("client ok"), summary.handshakesOn(client), line + ": " + handshakes);
            assertEquals(List.of("server ok"), summary.handshakesOn(server), line + ": " + handshakes);
        }
    }
}
