package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netprof.it.workload.EchoWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real child JVM runs {@link EchoWorkload} (blocking sockets, blocking and non-blocking channels, socket adaptors,
 * scatter/gather, half-close, files sent with transferTo, urgent data, UDP through both APIs) under netprof,
 * counting every byte itself. Every number in summary.json must equal the workload's own count.
 */
class SocketAccountingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Jdk, Run> RUNS = new EnumMap<>(Jdk.class);

    @TempDir
    static Path work;

    record Run(Summary summary, List<JsonNode> truth, ChildJvm.Result result) {
    }

    static synchronized Run run(Jdk jdk) throws Exception {
        Run run = RUNS.get(jdk);
        if (run == null) {
            Path dir = work.resolve(jdk.name());
            Path truthFile = dir.resolve("truth.jsonl");
            ChildJvm child = new ChildJvm(jdk, dir).agent("").main(EchoWorkload.class, truthFile, 42);
            ChildJvm.Result result = child.run(120).assertSucceeded();
            List<JsonNode> truth = new ArrayList<>();
            for (String line : Files.readAllLines(truthFile)) {
                truth.add(JSON.readTree(line));
            }
            run = new Run(Summary.read(child.out()), truth, result);
            RUNS.put(jdk, run);
        }
        return run;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void everyConnectionSideReportsTheBytesTheApplicationMoved(Jdk jdk) throws Exception {
        Run run = run(jdk);
        assertEquals(28, run.truth().size(), "the workload's own connection sides: 22 TCP, 6 UDP");
        for (JsonNode t : run.truth()) {
            JsonNode c = run.summary().connection(t.get("transport").asText(), t.get("local").asText(),
                t.get("remote").asText());
            String what = t.toString();
            assertEquals(t.get("read").asLong(), c.get("bytesRead").asLong(), "bytesRead of " + what);
            assertEquals(t.get("written").asLong(), c.get("bytesWritten").asLong(), "bytesWritten of " + what);
            assertEquals(t.get("role").asText(), c.get("role").asText(), "role of " + what);
            assertEquals(t.get("api").asText(), c.get("api").asText(), "api of " + what);
            if (t.get("transport").asText().equals("udp")) {
                assertEquals(t.get("datagramsIn").asLong(), c.get("reads").asLong(), "datagrams in of " + what);
                assertEquals(t.get("datagramsOut").asLong(), c.get("writes").asLong(), "datagrams out of " + what);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void noConnectionIsMissingOrInventedAndEachWasClosed(Jdk jdk) throws Exception {
        Run run = run(jdk);
        Set<String> expected = new HashSet<>();
        for (JsonNode t : run.truth()) {
            expected.add(t.get("transport").asText() + " " + t.get("local").asText() + " " + t.get("remote").asText());
        }
        Set<String> reported = new HashSet<>();
        for (JsonNode c : run.summary().connections()) {
            reported.add(c.get("transport").asText() + " " + c.get("local").asText() + " " + c.get("remote").asText());
            assertFalse(c.get("closedNs").isNull(), "closedNs of " + c);
            assertTrue(c.get("openTimeKnown").asBoolean(), "open time of " + c);
            assertTrue(c.get("closedNs").asLong() >= c.get("openedNs").asLong(), "closed after opened: " + c);
        }
        assertEquals(expected, reported);
        assertEquals(0, run.summary().root.get("dropped").asLong());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void closeReasonsTellWhoClosedFirst(Jdk jdk) throws Exception {
        for (JsonNode c : run(jdk).summary().connections(c -> c.get("transport").asText().equals("tcp"))) {
            // Clients half-close, so servers see EOF before closing; clients read the echo to EOF too.
            assertEquals("closed-after-eof", c.get("closeReason").asText(), c.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void clientConnectionsCarryTheStackThatOpenedThem(Jdk jdk) throws Exception {
        for (JsonNode c : run(jdk).summary().connections(c -> c.get("role").asText().equals("client"))) {
            List<String> stack = Summary.strings(c.get("openStack"));
            assertTrue(stack.stream().anyMatch(f -> f.startsWith(EchoWorkload.class.getName() + ".")),
                "open stack of " + c + " names the workload");
            assertFalse(stack.stream().anyMatch(f -> f.startsWith("dev.netprof.record")), "no netprof frames");
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void everySocketTypeWasInstrumentedWithoutErrorAndNothingWasPrintedButNetprofsLines(Jdk jdk) throws Exception {
        Run run = run(jdk);
        JsonNode inst = run.summary().root.get("instrumentation");
        assertTrue(Summary.strings(inst.get("instrumented")).containsAll(Set.of("sun.nio.ch.NioSocketImpl",
            "sun.nio.ch.Net", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl",
            "sun.nio.ch.DatagramChannelImpl", "sun.nio.ch.FileChannelImpl")), inst.toString());
        assertEquals(List.of(), Summary.strings(inst.get("error")));
        assertEquals(List.of(), Summary.strings(inst.get("unrecorded")), "every API the workload used is recorded");
        assertTrue(Summary.strings(inst.get("unmatched")).stream()
            .noneMatch(h -> h.startsWith("sun.nio.ch.FileChannelImpl")), "transferTo's hook found its method: " + inst);
        for (String line : run.result().stderr().split("\n")) {
            assertTrue(line.startsWith("netprof: "), "unexpected line on the application's stderr: " + line);
        }
        assertEquals("echo workload done\n", run.result().stdout());
    }
}
