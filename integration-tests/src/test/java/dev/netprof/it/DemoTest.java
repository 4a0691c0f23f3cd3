package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code netprof demo}, the README's first command: it writes every output netprof has, and each part of the
 * built-in workload shows up in them.
 */
class DemoTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void demoWritesEveryOutputWithEachPartOfItsWorkload(Jdk jdk) throws Exception {
        Path out = work.resolve("demo");
        ChildJvm.Result r = Cli.run(jdk, work, "demo", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("flame-syscalls.html, trace.json"), "the summary names every output: "
            + r.stderr());
        for (String file : List.of("events.nprof", "summary.json", "report.html", "trace.json", "flame-time.html",
            "flame-time.collapsed", "flame-bytes.html", "flame-bytes.collapsed", "flame-syscalls.html",
            "flame-syscalls.collapsed")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        Summary s = Summary.read(out);
        assertEquals(0, s.root.get("dropped").asLong());
        assertFalse(s.connections(c -> c.get("api").asText().equals("nio")).isEmpty(), "NIO TCP");
        assertFalse(s.connections(c -> c.get("api").asText().equals("socket")).isEmpty(), "blocking TCP");
        assertFalse(s.connections(c -> c.get("transport").asText().equals("udp")).isEmpty(), "UDP");
        assertEquals(10, Summary.list(s.root.get("httpExchanges")).stream()
            .filter(x -> x.get("client").asText().equals("jdk-httpclient")).count(), "the demo's 10 GETs");
        assertTrue(Summary.list(s.root.get("dnsLookups")).stream()
            .anyMatch(d -> d.get("host").asText().equals("localhost")), "the HTTP client's lookup of localhost");
        assertTrue(Summary.list(s.root.get("tlsHandshakes")).stream()
            .anyMatch(h -> h.get("outcome").asText().equals("ok")), "the TLS echo's handshake");
        List<String> errors = s.errors().stream().map(e -> e.get("kind").asText()).collect(Collectors.toList());
        assertTrue(errors.containsAll(List.of("refused", "timeout")), errors.toString());
        assertTrue(Summary.list(s.root.get("leaks")).stream()
            .anyMatch(l -> l.get("kind").asText().equals("open-at-exit")), "the socket left open");
        JsonNode syscalls = s.root.get("syscalls");
        assertTrue(syscalls.get("samples").asLong() > 0, syscalls.toString());
    }
}
