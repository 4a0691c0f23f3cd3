package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.CutShortHandshakesWorkload;
import dev.netprof.it.workload.KeyUpdateWorkload;
import dev.netprof.it.workload.RejectedClientCertificateWorkload;
import dev.netprof.it.workload.SlowHandshakeWorkload;
import dev.netprof.it.workload.WebWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS handshakes, HTTP exchanges and DNS lookups with real parts ({@link WebWorkload}: Jetty 12 with HTTP/2 over
 * TLS and HTTP/1.1; the JDK HttpClient, OkHttp 5, Apache HttpClient 5 (classic and async) and HttpURLConnection;
 * keys generated for the run), asserted field by field against what the workload and its server saw.
 */
class TlsHttpDnsTest {
    private static final Map<Jdk, Run> RUNS = new EnumMap<>(Jdk.class);

    @TempDir
    static Path work;

    record Run(Summary summary, Map<String, int[]> phases, int https, int http, long echo, Path out) {
    }

    static synchronized Run run(Jdk jdk) throws Exception {
        Run run = RUNS.get(jdk);
        if (run == null) {
            Path dir = work.resolve(jdk.name());
            Path truth = dir.resolve("truth.txt");
            ChildJvm child = new ChildJvm(jdk, dir).agent("").main(WebWorkload.class, truth);
            ChildJvm.Result r = child.run(180).assertSucceeded();
            assertTrue(r.stdout().contains("web workload done"), r.stdout());
            Map<String, int[]> phases = new HashMap<>();
            int https = 0, http = 0;
            long echo = 0;
            for (String line : Files.readAllLines(truth)) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "phase": phases.put(f[1], new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])}); break;
                    case "https": https = Integer.parseInt(f[1]); break;
                    case "http": http = Integer.parseInt(f[1]); break;
                    case "echo": echo = Long.parseLong(f[1]); break;
                    default: throw new AssertionError(line);
                }
            }
            run = new Run(Summary.read(child.out()), phases, https, http, echo, child.out());
            RUNS.put(jdk, run);
        }
        return run;
    }

    private static List<JsonNode> exchanges(Run run, String client, String uriPrefix) {
        return Summary.list(run.summary().root.get("httpExchanges")).stream()
            .filter(x -> x.get("client").asText().equals(client) && x.get("uri").asText().startsWith(uriPrefix))
            .collect(Collectors.toList());
    }

    /** Each client's exchanges: method, URI without its query, status, version, sizes, and reuse as the server saw. */
    private static void assertExchanges(Run run, String phase, String client, String uri, String version,
                                        boolean knowsResponseSize) {
        List<JsonNode> xs = exchanges(run, client, uri);
        int[] truth = run.phases().get(phase);
        assertEquals(truth[1], xs.size(), client + " exchanges to " + uri);
        Set<Long> connections = new HashSet<>();
        for (JsonNode x : xs) {
            assertEquals("GET", x.get("method").asText());
            assertEquals(uri, x.get("uri").asText(), "scheme://host:port/path, query removed");
            assertEquals(200, x.get("status").asInt());
            assertEquals(version, x.get("version").asText(), x.toString());
            if (knowsResponseSize) {
                assertEquals(WebWorkload.BODY, x.get("responseBytes").asLong(), x.toString());
            }
            assertTrue(x.get("durationNs").asLong() > 0);
            assertTrue(x.get("error").isNull());
            assertFalse(x.get("connectionId").isNull(), "the connection that carried it: " + x);
            connections.add(x.get("connectionId").asLong());
        }
        assertEquals(truth[0], connections.size(), client + ": exchanges per connection match the server's count");
        for (long id : connections) {
            JsonNode c = run.summary().connection(id);
            assertEquals("client", c.get("role").asText());
            assertTrue(c.get("remote").asText().endsWith(":" + uri.split(":")[2].split("/")[0]), c.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void jdkHttpClientOverHttp2AndHttp11ReusesOneConnectionEach(Jdk jdk) throws Exception {
        Run run = run(jdk);
        assertExchanges(run, "jdk-h2", "jdk-httpclient", "https://localhost:" + run.https() + "/data", "HTTP/2", true);
        assertExchanges(run, "jdk-http11", "jdk-httpclient", "http://127.0.0.1:" + run.http() + "/data", "HTTP/1.1",
            true);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void okHttpApacheAndHttpUrlConnectionExchangesAreRecordedWithTheirConnections(Jdk jdk) throws Exception {
        Run run = run(jdk);
        assertExchanges(run, "okhttp", "okhttp", "https://localhost:" + run.https() + "/data", "HTTP/2", true);
        assertExchanges(run, "apache", "apache-httpclient5", "http://127.0.0.1:" + run.http() + "/data", "HTTP/1.1",
            true);
        assertExchanges(run, "apache-async", "apache-httpclient5", "http://127.0.0.1:" + run.http() + "/async",
            "HTTP/1.1", true);
        assertExchanges(run, "urlconnection", "httpurlconnection", "http://127.0.0.1:" + run.http() + "/data",
            "HTTP/1.1", false);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void anHttp2HandshakeNegotiatesH2WithSniAndThePeerCertificateOnBothSides(Jdk jdk) throws Exception {
        Run run = run(jdk);
        long h2 = exchanges(run, "jdk-httpclient", "https://").get(0).get("connectionId").asLong();
        JsonNode client = handshakes(run, h -> h.get("connectionId").asLong() == h2).get(0);
        assertEquals("client", client.get("role").asText());
        assertEquals("TLSv1.3", client.get("protocol").asText());
        assertTrue(client.get("cipherSuite").asText().startsWith("TLS_"), client.toString());
        assertEquals(List.of("h2", "http/1.1"), Summary.strings(client.get("alpnOffered")));
        assertEquals("h2", client.get("alpn").asText());
        assertEquals("localhost", client.get("sni").asText());
        assertEquals("CN=localhost", client.get("peerCertificate").get("subject").asText());
        assertTrue(client.get("peerCertificate").get("notAfter").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        assertFalse(client.get("resumed").asBoolean());
        assertEquals("ok", client.get("outcome").asText());
        assertTrue(client.get("error").isNull());
        // The server's side of the same handshake: its connection is the accepted end of the client's.
        JsonNode conn = run.summary().connection(h2);
        JsonNode server = handshakes(run, h -> h.get("role").asText().equals("server") && !h.get("connectionId").isNull()
            && run.summary().connection(h.get("connectionId").asLong())
                .get("remote").asText().equals(conn.get("local").asText())).get(0);
        assertEquals("h2", server.get("alpn").asText());
        assertEquals("localhost", server.get("sni").asText());
        assertEquals("TLSv1.3", server.get("protocol").asText());
        assertTrue(conn.get("tlsPlaintextRead").asLong() > 0 && conn.get("tlsPlaintextRead").asLong()
            < conn.get("bytesRead").asLong(), "plaintext is less than the ciphertext carrying it: " + conn);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void plaintextThroughSslSocketsIsCountedExactly(Jdk jdk) throws Exception {
        Run run = run(jdk);
        List<JsonNode> echo = run.summary().connections(c -> c.has("tlsPlaintextRead")
            && c.get("tlsPlaintextRead").asLong() == run.echo() && c.get("tlsPlaintextWritten").asLong() == run.echo());
        assertEquals(2, echo.size(), "both ends of the SSLSocket echo, " + run.echo() + " plaintext bytes each way");
        for (JsonNode c : echo) {
            assertTrue(c.get("bytesRead").asLong() > run.echo(), "ciphertext is larger: " + c);
            assertEquals(0, c.get("tlsKeyUpdates").asLong(), "AES-GCM renews no keys in a short echo: " + c);
        }
    }

    /**
     * TLS 1.3 KeyUpdates, counted per connection end, equal the KeyUpdate messages the JDK itself logs as produced or
     * consumed by that end's thread.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void tls13KeyUpdatesEqualWhatTheJdkLogsForEachEnd(Jdk jdk) throws Exception {
        ChildJvm child = new ChildJvm(jdk, work.resolve("keyupdate-" + jdk)).agent("")
            .jvmArg("-Djavax.net.debug=ssl:handshake").main(KeyUpdateWorkload.class);
        ChildJvm.Result r = child.run(60).assertSucceeded();
        Map<String, Long> logged = new HashMap<>(); // thread name -> KeyUpdate messages produced or consumed
        for (String line : (r.stdout() + r.stderr()).split("\n")) {
            if (line.contains("|Produced KeyUpdate post-handshake message")
                || line.contains("|Consuming KeyUpdate post-handshake message")) {
                logged.merge(line.split("\\|")[3], 1L, Long::sum);
            }
        }
        Summary s = Summary.read(child.out());
        long payload = (long) KeyUpdateWorkload.ROUNDS * KeyUpdateWorkload.CHUNK;
        for (String role : List.of("client", "server")) {
            JsonNode c = s.connections(x -> x.get("role").asText().equals(role) && x.has("tlsPlaintextRead")).get(0);
            assertEquals(payload, c.get("tlsPlaintextRead").asLong(), c.toString());
            assertEquals(payload, c.get("tlsPlaintextWritten").asLong(), c.toString());
            String thread = role.equals("client") ? KeyUpdateWorkload.CLIENT : KeyUpdateWorkload.SERVER;
            long truth = logged.getOrDefault(thread, 0L);
            assertTrue(truth >= 2, role + " renews its keys mid-stream: " + logged);
            assertEquals(truth, c.get("tlsKeyUpdates").asLong(), role + ": " + c);
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void failedHandshakesAreRecordedEvenWhenTheApplicationSwallowsThem(Jdk jdk) throws Exception {
        Run run = run(jdk);
        JsonNode alpnClient = failed(run, "client", "no_application_protocol");
        assertEquals(List.of("http/1.1"), Summary.strings(alpnClient.get("alpnOffered")));
        assertTrue(alpnClient.get("error").asText().startsWith("received fatal alert: no_application_protocol"));
        JsonNode alpnServer = failed(run, "server", "no_application_protocol");
        assertTrue(alpnServer.get("error").asText().startsWith("fatal alert sent: no_application_protocol"));
        JsonNode pkix = failed(run, "client", "PKIX path building failed");
        assertTrue(pkix.get("error").asText().startsWith("fatal alert sent: certificate_unknown"), pkix.toString());
        failed(run, "server", "received fatal alert: certificate_unknown");
        for (JsonNode h : List.of(alpnClient, alpnServer, pkix)) {
            assertFalse(h.get("connectionId").isNull(), "a failed handshake names its connection: " + h);
            assertTrue(h.get("alpn").isNull());
        }
        // In errors[], a TLS failure is told by its alert in message: no exception type names it.
        List<JsonNode> tlsErrors = run.summary().errors().stream()
            .filter(e -> e.get("op").asText().equals("tls-handshake")).collect(Collectors.toList());
        for (JsonNode e : tlsErrors) {
            assertTrue(e.get("exception").isNull(), e.toString());
        }
        List<String> messages = tlsErrors.stream().map(e -> e.get("message").asText()).collect(Collectors.toList());
        for (JsonNode h : List.of(alpnClient, alpnServer, pkix)) {
            assertTrue(messages.contains(h.get("error").asText()), h.get("error") + " in " + messages);
        }
    }

    /**
     * Handshakes that end neither in finishHandshake nor in a fatal alert of their own ({@link
     * CutShortHandshakesWorkload}): each side that began one has exactly one handshake, failed, on its connection,
     * naming the exception its application caught or how the handshake was cut short.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void handshakesCutShortAreEachRecordedOnceAsFailed(Jdk jdk) throws Exception {
        List<SideHandshake> sides = failedHandshakePerSide(jdk, CutShortHandshakesWorkload.class, 5);
        assertEquals(6, sides.size(), "every side that began a handshake: " + lines(sides));
        for (SideHandshake sh : sides) {
            String[] f = sh.fields(); // scenario role local remote what-the-application-saw
            String side = sh.line();
            String error = sh.handshake().get("error").asText();
            switch (f[4]) {
                case "canceled" -> assertEquals("closed by this side before the handshake finished", error, side);
                // Its startHandshake returned without an exception, and without a session either.
                case "cipher suite SSL_NULL_WITH_NULL_NULL" ->
                    assertEquals("canceled by the peer before the handshake finished", error, side);
                // It closed its inbound at the end of the stream: the server had hung up.
                case "closing inbound before receiving peer's close_notify" -> assertEquals(
                    "the peer closed the connection before the handshake finished, without an alert", error, side);
                // The exception it caught. No alert went out: the client gave up before its first message, and the
                // server found it gone (its application saw the end of the stream, not an alert).
                default -> assertTrue(error.startsWith("failed: ") && error.contains(f[4]), side + ": " + error);
            }
        }
    }

    /**
     * Mutual TLS whose server rejects the client's certificate ({@link RejectedClientCertificateWorkload}). On TLS 1.3
     * the client's startHandshake returned and only its next read got the server's alert: its handshake is still one,
     * failed with that alert, not one ok (nor one ok and one failed). On TLS 1.2 the client's handshake threw: the
     * alert, or a broken pipe when the server had closed before the client's last handshake write.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aClientCertificateTheServerRejectsFailsTheHandshakeOnBothSides(Jdk jdk) throws Exception {
        String alert = "certificate_unknown"; // what JDK 17 and 25 send for a client certificate they do not trust
        List<SideHandshake> sides = failedHandshakePerSide(jdk, RejectedClientCertificateWorkload.class, 6);
        assertEquals(4, sides.size(), "both sides on both protocols: " + lines(sides));
        for (SideHandshake sh : sides) {
            String[] f = sh.fields(); // protocol role local remote call what-the-application-caught
            String side = sh.line();
            boolean client = f[1].equals("client");
            assertEquals(client && f[0].equals("TLSv1.3") ? "read" : "handshake", f[4], side);
            String error = sh.handshake().get("error").asText();
            if (!client) {
                assertTrue(error.startsWith("fatal alert sent: " + alert), side + ": " + error);
            } else if (f[5].contains("Received fatal alert: ")) {
                assertTrue(f[5].endsWith("Received fatal alert: " + alert), side);
                assertTrue(error.startsWith("received fatal alert: " + alert), side + ": " + error);
            } else {
                assertEquals("TLSv1.2", f[0], "a TLS 1.3 client always gets to read the alert: " + side);
                assertTrue(error.startsWith("failed: ") && error.endsWith(f[5]), side + ": " + error);
            }
        }
    }

    /** A line of a TLS workload's truth (one per side that began a handshake), split, and that side's handshake. */
    record SideHandshake(String line, String[] fields, JsonNode handshake) {
    }

    private static List<String> lines(List<SideHandshake> sides) {
        return sides.stream().map(SideHandshake::line).collect(Collectors.toList());
    }

    /**
     * Runs a workload that writes one line per side that began a handshake ({@code role local remote} as its second
     * to fourth of {@code fields} fields), and checks that each side has exactly one handshake, failed, on its
     * connection, and no other handshake was recorded.
     */
    private static List<SideHandshake> failedHandshakePerSide(Jdk jdk, Class<?> workload, int fields)
            throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve(workload.getSimpleName() + "-" + jdk),
            workload, 60);
        Summary s = run.summary();
        List<JsonNode> all = Summary.list(s.root.get("tlsHandshakes"));
        List<SideHandshake> sides = new ArrayList<>();
        for (String line : run.truth()) {
            String[] f = line.split(" ", fields);
            List<JsonNode> on = handshakesOn(s, all, f[2], f[3], f[1]);
            assertEquals(1, on.size(), line + ": " + all);
            assertEquals("failed", on.get(0).get("outcome").asText(), line);
            sides.add(new SideHandshake(line, f, on.get(0)));
        }
        assertEquals(sides.size(), all.size(), "one handshake per side: " + all);
        return sides;
    }

    /** The handshakes of {@code all} on the TCP connection from {@code local} to {@code remote}, in {@code role}. */
    private static List<JsonNode> handshakesOn(Summary s, List<JsonNode> all, String local, String remote,
                                               String role) {
        long id = s.connection("tcp", local, remote).get("id").asLong();
        return all.stream().filter(h -> h.get("connectionId").asLong() == id && h.get("role").asText().equals(role))
            .collect(Collectors.toList());
    }

    /**
     * SSLSocket clients whose startHandshake() timed out ({@link SlowHandshakeWorkload}), which the JDK leaves open.
     * Called again until it finished, it is one handshake, ok, on each side, timed from its start through the
     * timeouts; given up and closed, the client's is one, failed by the close, naming the timeout.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aHandshakeThatTimedOutEndsInWhatTheApplicationDidNext(Jdk jdk) throws Exception {
        ChildJvm.Recorded run = ChildJvm.recordWithTruth(jdk, work.resolve("SlowHandshakeWorkload-" + jdk),
            SlowHandshakeWorkload.class, 60);
        Summary s = run.summary();
        List<JsonNode> all = Summary.list(s.root.get("tlsHandshakes"));
        List<String> lines = run.truth();
        assertEquals(List.of("retried", "abandoned"), lines.stream().map(l -> l.split(" ")[0])
            .collect(Collectors.toList()));
        for (String line : lines) {
            String[] f = line.split(" ", 6); // scenario client local remote timeouts-caught how-it-ended
            List<JsonNode> client = handshakesOn(s, all, f[2], f[3], "client");
            List<JsonNode> server = handshakesOn(s, all, f[3], f[2], "server");
            assertEquals(1, client.size(), line + ": " + all);
            assertEquals(1, server.size(), line + ": " + all);
            long timeouts = Long.parseLong(f[4]);
            assertTrue(timeouts >= 1, "the application caught a timeout: " + line);
            JsonNode h = client.get(0);
            if (f[0].equals("retried")) {
                assertEquals("ok", h.get("outcome").asText(), line + ": " + h);
                assertEquals(f[5], "finished " + h.get("protocol").asText(), line + ": " + h);
                assertTrue(h.get("durationNs").asLong() >= timeouts * SlowHandshakeWorkload.READ_TIMEOUT_MS
                    * 1_000_000L, "from its start, through the timeouts: " + h);
                assertEquals("ok", server.get(0).get("outcome").asText(), line + ": " + server);
            } else {
                assertEquals("failed", h.get("outcome").asText(), line + ": " + h);
                assertEquals("closed by this side before the handshake finished, after startHandshake threw"
                    + " java.net.SocketTimeoutException: Read timed out", h.get("error").asText(), line);
                assertEquals("failed", server.get(0).get("outcome").asText(), "its peer gone: " + server);
            }
        }
        assertEquals(4, all.size(), "one handshake per side: " + all);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aClientLimitedToTls12NegotiatesTls12(Jdk jdk) throws Exception {
        Run run = run(jdk);
        List<JsonNode> tls12 = handshakes(run, h -> "TLSv1.2".equals(h.get("protocol").asText()));
        assertEquals(Set.of("client", "server"), tls12.stream().map(h -> h.get("role").asText()).collect(Collectors.toSet()));
        for (JsonNode h : tls12) {
            assertEquals("ok", h.get("outcome").asText());
        }
        assertTrue(handshakes(run, h -> "TLSv1.3".equals(h.get("protocol").asText())).size() >= 4);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void dnsLookupsTellTheResolverFromTheJvmsCache(Jdk jdk) throws Exception {
        Run run = run(jdk);
        List<JsonNode> localhost = Summary.list(run.summary().root.get("dnsLookups")).stream()
            .filter(d -> d.get("host").asText().equals("localhost")).collect(Collectors.toList());
        assertTrue(localhost.size() >= 2, localhost.toString());
        assertFalse(localhost.get(0).get("cached").asBoolean(), "the first lookup asks the resolver");
        assertTrue(localhost.get(localhost.size() - 1).get("cached").asBoolean(), "the last comes from the cache");
        for (JsonNode d : localhost) {
            assertTrue(d.get("addresses").asInt() >= 1);
            assertTrue(d.get("error").isNull());
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void exchangesAndHandshakesAreSpansAndFlameFrames(Jdk jdk) throws Exception {
        Run run = run(jdk);
        String report = Files.readString(run.out().resolve("report.html"));
        assertTrue(report.contains("HTTP exchanges") && report.contains("Connection reuse")
            && report.contains("TLS handshakes") && report.contains("DNS lookups"));
        String flame = Files.readString(run.out().resolve("flame-time.collapsed"));
        assertTrue(flame.contains(";[http GET localhost];"), "an [http GET host] frame");
        List<String> exchanges = flame.lines().filter(l -> l.contains(";[http ") && !l.contains("[stack not captured]"))
            .collect(Collectors.toList());
        assertFalse(exchanges.isEmpty(), "exchanges with a stack");
        for (String stack : exchanges) {
            // Asynchronous clients complete on their own threads: the stack is taken where the request started.
            assertTrue(stack.contains("WebWorkload"), "the application's stack, not the client's threads: " + stack);
        }
        assertTrue(flame.contains(";[tls-handshake "), "a [tls-handshake] frame");
        String trace = Files.readString(run.out().resolve("trace.json"));
        assertTrue(trace.contains("\"name\":\"http GET localhost\""), "an http span");
        assertTrue(trace.contains("\"name\":\"tls-handshake tls TLSv1.3\""), "a handshake span");
        assertFalse(trace.contains("\"outcome\":\"ok\",\"error\""), "a span that did not fail names no error");
        assertNotNull(run.summary().root.get("tlsHandshakes"));
    }

    private static List<JsonNode> handshakes(Run run, Predicate<JsonNode> p) {
        return Summary.list(run.summary().root.get("tlsHandshakes")).stream().filter(p).collect(Collectors.toList());
    }

    private static JsonNode failed(Run run, String role, String error) {
        List<JsonNode> found = handshakes(run, h -> h.get("outcome").asText().equals("failed")
            && h.get("role").asText().equals(role) && h.get("error").asText().contains(error));
        assertFalse(found.isEmpty(), "a failed " + role + " handshake with " + error + " in "
            + run.summary().root.get("tlsHandshakes"));
        return found.get(0);
    }
}
