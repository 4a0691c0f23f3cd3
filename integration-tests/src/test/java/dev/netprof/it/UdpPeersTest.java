package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.InterruptedDatagramsWorkload;
import dev.netprof.it.workload.UdpPeersWorkload;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A UDP server hearing from more peers than netprof keeps a flow each for (1,024 a socket, as docs/outputs.md says):
 * the first peers keep their own flows and the rest share one whose remote reads "(other peers)", with every byte
 * and datagram the server received counted exactly once, and every client's own flow exact too.
 */
class UdpPeersTest {
    private static final int FLOWS_PER_SOCKET = 1024;
    private static final int PEERS = 1100;

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void peersPastTheLimitAreCountedTogetherAndExactly(Jdk jdk) throws Exception {
        ChildJvm child = new ChildJvm(jdk, work.resolve(jdk.name())).agent("").main(UdpPeersWorkload.class, PEERS);
        List<String> lines = child.run(120).assertSucceeded().stdout().lines().toList();
        String server = lines.get(0).split(" ")[1];
        Map<String, long[]> own = new LinkedHashMap<>(); // peer -> {bytes, datagrams}, in the order first heard
        long otherBytes = 0;
        long otherDatagrams = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            long bytes = Long.parseLong(f[2]);
            if (own.containsKey(f[1]) || own.size() < FLOWS_PER_SOCKET) {
                long[] sums = own.computeIfAbsent(f[1], k -> new long[2]);
                sums[0] += bytes;
                sums[1]++;
            } else {
                otherBytes += bytes;
                otherDatagrams++;
            }
        }
        assertEquals(PEERS, lines.size() - 1, "datagrams the server received");

        Summary summary = Summary.read(child.out());
        for (Map.Entry<String, long[]> peer : own.entrySet()) {
            JsonNode flow = summary.connection("udp", server, peer.getKey());
            assertEquals(peer.getValue()[0], flow.get("bytesRead").asLong(), "bytes from " + peer.getKey());
            assertEquals(peer.getValue()[1], flow.get("reads").asLong(), "datagrams from " + peer.getKey());
            JsonNode client = summary.connection("udp", peer.getKey(), server);
            assertEquals(peer.getValue()[0], client.get("bytesWritten").asLong(), "bytes sent by " + peer.getKey());
        }
        JsonNode others = summary.connection("udp", server, "(other peers)");
        assertEquals(otherBytes, others.get("bytesRead").asLong(), "bytes from the other peers");
        assertEquals(otherDatagrams, others.get("reads").asLong(), "datagrams from the other peers");
        assertEquals(FLOWS_PER_SOCKET + 1,
            summary.connections(c -> c.get("transport").asText().equals("udp")
                && c.get("local").asText().equals(server)).size(), "the server's flows");
        for (String line : lines.subList(FLOWS_PER_SOCKET + 1, lines.size())) {
            String peer = line.split(" ")[1];
            assertEquals(Long.parseLong(line.split(" ")[2]),
                summary.connection("udp", peer, server).get("bytesWritten").asLong(), "bytes sent by " + peer);
        }
    }

    /**
     * Sends that an interrupt ends ({@link InterruptedDatagramsWorkload}): every call is on its flow, and its bytes are
     * exactly those the sender sent, with the datagram of a send that threw although it went.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aDatagramSentAsAnInterruptClosedItsChannelIsCounted(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve("interrupted-" + jdk.name()),
            InterruptedDatagramsWorkload.class, 60);
        Summary summary = run.summary();
        List<String> lines = run.truth();
        int pairs = InterruptedDatagramsWorkload.TRIALS;
        assertTrue(lines.size() >= 2 * pairs && lines.size() % 2 == 0,
            "a send and a write trial each time, at least " + pairs + " of each: " + lines);
        for (String line : lines) {
            String[] f = line.split(" "); // how local remote calls bytes last-went
            JsonNode flow = summary.connection("udp", f[1], f[2]);
            assertEquals(Long.parseLong(f[3]), flow.get("writes").asLong(), "every call: " + line);
            assertEquals(Long.parseLong(f[4]), flow.get("bytesWritten").asLong(), "every byte sent: " + line);
        }
        // The workload cannot make an interrupt land as a send returns, only likely, and goes on until one has (or
        // MAX_TRIALS pairs): one is enough for this to test it.
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" true")), "no trial's last send went: " + lines);
    }
}
