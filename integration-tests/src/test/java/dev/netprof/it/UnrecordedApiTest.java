package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.AsyncTlsWorkload;
import dev.netprof.it.workload.UnrecordedApiWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A socket API netprof does not instrument is not left out in silence: a JVM that used one is told so in
 * summary.json, report.html and on the console. (SocketAccountingTest checks that a JVM using only instrumented APIs
 * is told of none.)
 */
class UnrecordedApiTest {
    private static final String ASYNC = "AsynchronousSocketChannel";
    private static final String ASYNC_SERVER = "AsynchronousServerSocketChannel";
    private static final String MINIMAL = "Apache HttpClient 5's minimal async client (its exchanges)";

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void asynchronousChannelsAndAnUninstrumentedClientAreNamedAsNotRecorded(Jdk jdk) throws Exception {
        assertToldOf(new ChildJvm(jdk, work.resolve(jdk.name())), Set.of(ASYNC, ASYNC_SERVER, MINIMAL), 1, 1);
    }

    @Test
    void jdk17sLegacySocketImplementationsAreNamedAsNotRecorded() throws Exception {
        ChildJvm child = new ChildJvm(Jdk.JDK17, work.resolve("legacy")).jvmArg("-Djdk.net.usePlainSocketImpl=true")
            .jvmArg("-Djdk.net.usePlainDatagramSocketImpl=true");
        assertToldOf(child, Set.of(ASYNC, ASYNC_SERVER, MINIMAL, "Socket and ServerSocket with -Djdk.net.usePlainSocketImpl",
            "DatagramSocket with -Djdk.net.usePlainDatagramSocketImpl"), 0, 0);
    }

    /** An attach finds the classes already loaded, and names their APIs as the -javaagent run does. */
    @Test
    void anAttachNamesWhatTheJvmUsedBeforeIt() throws Exception {
        Path dir = work.resolve("attach");
        ChildJvm child = new ChildJvm(Jdk.JDK17, dir).main(UnrecordedApiWorkload.class, 60);
        Process target = child.start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(child.stdoutFile()) || !Files.readString(child.stdoutFile()).contains("used")) {
                assertTrue(System.nanoTime() < deadline && target.isAlive(), "the workload's traffic is done");
                Thread.sleep(100);
            }
            Path out = dir.resolve("rec");
            ChildJvm.Result attach = Cli.run(Jdk.JDK17, dir, "attach", Long.toString(target.pid()), "--duration", "1s",
                "--out", out.toString());
            assertEquals(0, attach.exitCode(), attach.stderr());
            List<String> noted = Summary.strings(Summary.read(out).root.get("instrumentation").get("unrecorded"));
            assertEquals(Set.of(ASYNC, ASYNC_SERVER, MINIMAL), new HashSet<>(noted));
            assertEquals(3, noted.size(), "each once: " + noted);
        } finally {
            target.destroyForcibly();
        }
    }

    /**
     * An SSLEngine over an AsynchronousSocketChannel on a thread that last used a plain backend connection (a Tomcat
     * NIO2 servlet's database call): the backend keeps exactly its own bytes, takes no TLS, and netprof says it
     * dropped the ties it could not have made.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void tlsOverAnUnrecordedChannelIsNotCountedOnTheThreadsOtherConnection(Jdk jdk) throws Exception {
        ChildJvm child = new ChildJvm(jdk, work.resolve(jdk.name())).agent("")
            .main(AsyncTlsWorkload.class, work.resolve(jdk.name() + "-truth.txt"));
        ChildJvm.Result result = child.run(90).assertSucceeded();
        assertTrue(result.stderr().contains("netprof: TLS counts netprof had tied to 2 connections that could not have "
            + "carried them were dropped"), result.stderr());
        ChildJvm.Recorded run = new ChildJvm.Recorded(Summary.read(child.out()),
            Files.readAllLines(work.resolve(jdk.name() + "-truth.txt")));
        Summary summary = run.summary();
        assertEquals(2, run.truth().size(), run.truth().toString());
        for (String line : run.truth()) {
            String[] f = line.split(" "); // backend local remote read written
            JsonNode c = summary.connection("tcp", f[1], f[2]);
            assertEquals(Long.parseLong(f[3]), c.get("bytesRead").asLong(), line + ": " + c);
            assertEquals(Long.parseLong(f[4]), c.get("bytesWritten").asLong(), line + ": " + c);
            assertTrue(c.get("tlsPlaintextRead") == null || c.get("tlsPlaintextRead").isNull(), line + ": " + c);
            assertEquals(List.of(), summary.handshakesOn(c), line + ": " + summary.root.get("tlsHandshakes"));
        }
        assertTrue(Summary.list(summary.root.get("findings")).stream()
            .anyMatch(f -> f.get("kind").asText().equals("tls-misattributed")
                && f.get("explanation").asText().contains("AsynchronousSocketChannel")), summary.root.get("findings")
            .toString());
    }

    /** Told of exactly {@code unrecorded}, with the recorded Socket connection and UDP flow as given. */
    private static void assertToldOf(ChildJvm child, Set<String> unrecorded, int tcp, int udp) throws Exception {
        ChildJvm.Result result = child.agent("").main(UnrecordedApiWorkload.class).run(120).assertSucceeded();
        Summary summary = Summary.read(child.out());
        List<String> noted = Summary.strings(summary.root.get("instrumentation").get("unrecorded"));
        assertEquals(unrecorded, new HashSet<>(noted));
        assertEquals(unrecorded.size(), noted.size(), "each once: " + noted);
        assertEquals(tcp * 2, summary.connections(c -> c.get("transport").asText().equals("tcp")).size(),
            "the Socket connection's two ends");
        assertEquals(udp, summary.connections(c -> c.get("transport").asText().equals("udp")).size());
        assertTrue(result.stderr().lines().anyMatch(l -> l.startsWith("netprof: not recorded, though this JVM used it: ")
            && unrecorded.stream().allMatch(l::contains)), result.stderr());
        String report = Files.readString(child.out().resolve("report.html"));
        assertTrue(report.contains("not recorded") && report.contains(ASYNC_SERVER), "report.html names them");
    }
}
