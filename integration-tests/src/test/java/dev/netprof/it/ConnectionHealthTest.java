package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.HealthWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Leaks, timeouts, refusals, resets, CLOSE_WAIT, accept-queue overflow and event-loop stalls, each reported. */
class ConnectionHealthTest {
    private static final Map<Jdk, Summary> RUNS = new EnumMap<>(Jdk.class);
    private static final Map<Jdk, Path> OUT = new EnumMap<>(Jdk.class);

    @TempDir
    static Path work;

    static synchronized Summary run(Jdk jdk) throws Exception {
        Summary s = RUNS.get(jdk);
        if (s == null) {
            Path dir = Files.createDirectories(work.resolve(jdk.name()));
            Path noHosts = Files.writeString(dir.resolve("hosts"), "");
            ChildJvm child = new ChildJvm(jdk, dir).agent("closewait=1s").jvmArg("-Djdk.net.hosts.file=" + noHosts)
                .main(HealthWorkload.class);
            ChildJvm.Result r = child.run(120).assertSucceeded();
            assertEquals("health workload done\n", r.stdout());
            s = Summary.read(child.out());
            RUNS.put(jdk, s);
            OUT.put(jdk, child.out());
        }
        return s;
    }

    private static boolean stackHas(JsonNode stack, String method) {
        return Summary.strings(stack).stream().anyMatch(f -> f.startsWith(HealthWorkload.class.getName() + "." + method + ":"));
    }

    private static List<JsonNode> leaks(Summary s, String kind, String method) {
        return Summary.list(s.root.get("leaks")).stream()
            .filter(l -> l.get("kind").asText().equals(kind) && stackHas(l.get("openStack"), method)).toList();
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void socketsDroppedWithoutCloseAreCollectedUnclosedLeaksWithTheirOpeningStack(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        assertEquals(3, leaks(s, "collected-unclosed", "dropSocketsWithoutClosing").size(), "dropped Sockets");
        assertEquals(2, leaks(s, "collected-unclosed", "dropChannelsWithoutClosing").size(), "dropped SocketChannels");
        for (JsonNode l : leaks(s, "collected-unclosed", "dropSocketsWithoutClosing")) {
            JsonNode c = s.connection(l.get("connectionId").asLong());
            assertEquals("collected-unclosed", c.get("closeReason").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void socketsHeldUntilExitAreOpenAtExitLeaks(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        List<JsonNode> held = leaks(s, "open-at-exit", "holdSocketsOpen");
        assertEquals(2, held.size());
        for (JsonNode l : held) {
            assertTrue(l.get("ageNs").asLong() > 0);
        }
        // The finding tells a connection whose answer was never read from idle ones.
        assertEquals(List.of("2 connections still open when the JVM exited, opened at "
            + HealthWorkload.class.getName() + ".holdSocketsOpen:"), leakFindings(s, "holdSocketsOpen"));
        assertEquals(List.of("1 connection still open when the JVM exited, opened at " + HealthWorkload.class.getName()
            + ".leaveAnAnswerUnread:; 1 of them held bytes the application never read (a response or request not "
            + "consumed?)"),
            leakFindings(s, "leaveAnAnswerUnread"));
    }

    /** The leak findings opened in {@code method}, their line numbers dropped. */
    private static List<String> leakFindings(Summary s, String method) {
        return Summary.list(s.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().equals("leak") && stackHas(f.get("stack"), method))
            .map(f -> f.get("explanation").asText().replaceAll(":\\d+", ":")).toList();
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void timeoutsRefusalsAndResetsAreErrorsOfTheirKindWithTheCallingStack(Jdk jdk) throws Exception {
        List<JsonNode> errors = run(jdk).errors();
        assertError(errors, "read", "timeout", "java.net.SocketTimeoutException", "readWithTimeout");
        assertError(errors, "connect", "timeout", "java.net.SocketTimeoutException", "connectToFullBacklog");
        assertError(errors, "connect", "refused", "java.net.ConnectException", "connectToClosedPort");
        assertError(errors, "read", "reset", "java.net.SocketException", "readFromResettingPeer");
    }

    /**
     * An exchange's or lookup's error names the exception it failed with, as a socket operation's does; its event
     * names what it was about ("GET host", the host), which is no exception.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void failedExchangesAndLookupsAreErrorsWithTheirException(Jdk jdk) throws Exception {
        List<JsonNode> errors = run(jdk).errors();
        // The workload's other failed exchange (postStreamedIntoARedirect) may be recorded before or after this one.
        List<JsonNode> http = errors.stream().filter(e -> e.get("op").asText().equals("http")
            && stackHas(e.get("stack"), "requestFromAClosedPort")).toList();
        assertEquals(1, http.size(), errors.toString());
        assertEquals("java.net.ConnectException", http.get(0).get("exception").asText(), http.toString());
        JsonNode dns = errors.stream().filter(e -> e.get("op").asText().equals("dns")).findFirst().orElseThrow();
        assertEquals("java.net.UnknownHostException", dns.get("exception").asText(), dns.toString());
        assertTrue(dns.get("message").asText().contains("no-such-host.invalid"), dns.toString());
        assertTrue(stackHas(dns.get("stack"), "lookUpAnUnknownHost"), dns.toString());
        String trace = Files.readString(OUT.get(jdk).resolve("trace.json"));
        assertTrue(trace.contains("\"outcome\":\"other\",\"error\":\"java.net.ConnectException\""), "the http span");
    }

    /** HttpURLConnection resets its response code before it throws: the status is the exception's. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aStreamedPostAnsweredByARedirectHasTheRedirectsStatus(Jdk jdk) throws Exception {
        List<JsonNode> posts = Summary.list(run(jdk).root.get("httpExchanges")).stream()
            .filter(x -> x.get("method").asText().equals("POST")).toList();
        assertEquals(1, posts.size(), posts.toString());
        JsonNode post = posts.get(0);
        assertEquals("httpurlconnection", post.get("client").asText());
        assertEquals(302, post.get("status").asInt(), post.toString());
        assertTrue(post.get("error").asText().equals("java.net.HttpRetryException: cannot retry due to redirection, "
            + "in streaming mode"), post.toString());
    }

    private static void assertError(List<JsonNode> errors, String op, String kind, String exception, String method) {
        assertTrue(errors.stream().anyMatch(e -> e.get("op").asText().equals(op) && e.get("kind").asText().equals(kind)
                && e.get("exception").asText().equals(exception) && stackHas(e.get("stack"), method)
                && !e.get("remote").isNull()),
            op + " " + kind + " " + exception + " from " + method + " in " + errors);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aPeerClosedConnectionLeftOpenIsACloseWaitFindingAndTheKernelSaysCloseWait(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        JsonNode finding = Summary.list(s.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().equals("close-wait") && stackHas(f.get("stack"), "readUntilPeerCloses"))
            .findFirst().orElseThrow(() -> new AssertionError(s.root.get("findings").toString()));
        assertTrue(finding.get("explanation").asText().contains("read the end of stream"), finding.toString());
        JsonNode c = s.connection(finding.get("connectionId").asLong());
        assertEquals("CLOSE_WAIT", c.get("kernel").get("state").asText(), c.toString());
    }

    /** The time a server waited in accept before its client came is its listener's, not the connection's. */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anAcceptedConnectionOpensWhenItsClientCame(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        JsonNode server = s.connections(c -> c.get("role").asText().equals("server")
            && c.get("bytesRead").asLong() == 4321).get(0);
        JsonNode client = s.connections(c -> c.get("role").asText().equals("client")
            && c.get("bytesWritten").asLong() == 4321).get(0);
        assertTrue(server.get("openedNs").asLong() >= client.get("openedNs").asLong(), server + " " + client);
        assertTrue(server.get("blockedNs").asLong() < 300_000_000L, "not the 600 ms wait in accept: " + server);
    }

    /**
     * A pooled connection its server closed, never read again, is found by the kernel's view; a server answering a
     * half-closed request after the end of stream is using its connection, not keeping it in CLOSE_WAIT.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anIdleConnectionThePeerClosedIsCloseWaitButAHalfCloseInUseIsNot(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        List<JsonNode> closeWaits = Summary.list(s.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().equals("close-wait")).toList();
        JsonNode idle = closeWaits.stream().filter(f -> stackHas(f.get("stack"), "idleWhilePeerCloses")).findFirst()
            .orElseThrow(() -> new AssertionError(closeWaits.toString()));
        assertTrue(idle.get("explanation").asText().contains("never read to the end of the stream"), idle.toString());
        JsonNode c = s.connection(idle.get("connectionId").asLong());
        assertEquals("CLOSE_WAIT", c.get("kernel").get("state").asText(), c.toString());
        JsonNode answering = s.connections(x -> x.get("role").asText().equals("server")
            && x.get("bytesRead").asLong() == 5 && x.get("bytesWritten").asLong() == 300).get(0);
        assertEquals(List.of(), closeWaits.stream()
            .filter(f -> f.get("connectionId").asLong() == answering.get("id").asLong()
                || stackHas(f.get("stack"), "answerAHalfClosedRequest")).toList());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aFullAcceptQueueShowsAsListenOverflows(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        assertTrue(s.root.get("kernel").get("counters").get("ListenOverflows").get("delta").asLong() >= 1,
            s.root.get("kernel").toString());
        assertTrue(Summary.list(s.root.get("findings")).stream().anyMatch(f -> f.get("kind").asText()
            .equals("listen-overflow")));
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anEventLoopThatBlocksAndStallsIsFlagged(Jdk jdk) throws Exception {
        Summary s = run(jdk);
        JsonNode loop = Summary.list(s.root.get("selectors")).stream()
            .filter(l -> l.get("threadName").asText().equals("test-event-loop")).findFirst().orElseThrow();
        assertEquals(3, loop.get("selects").asLong());
        assertEquals(1, loop.get("blockingOps").asLong(), loop.toString());
        assertEquals(1, loop.get("busyGaps").asLong(), loop.toString());
        assertTrue(loop.get("maxGapNs").asLong() >= 300_000_000L, loop.toString());
        List<String> kinds = Summary.list(s.root.get("findings")).stream()
            .filter(f -> f.get("thread").asLong() == loop.get("thread").asLong()).map(f -> f.get("kind").asText()).toList();
        assertEquals(List.of("event-loop-blocking-io", "event-loop-busy"), kinds);
        JsonNode blocking = Summary.list(s.root.get("findings")).stream()
            .filter(f -> f.get("kind").asText().equals("event-loop-blocking-io")).findFirst().orElseThrow();
        JsonNode socket = s.connection(blocking.get("connectionId").asLong());
        assertEquals("socket", socket.get("api").asText(), "the blocking Socket's connection: " + blocking);
        assertTrue(Summary.strings(blocking.get("stack")).stream().anyMatch(f -> f.contains("eventLoopThatBlocks")),
            "where it was opened: " + blocking);
        String html = Files.readString(OUT.get(jdk).resolve("report.html"));
        assertTrue(html.contains("event loop &quot;test-event-loop&quot; made 1 blocking network call "), "in the report");
    }
}
