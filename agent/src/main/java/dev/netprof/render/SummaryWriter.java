package dev.netprof.render;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes summary.json, the machine-readable result. Field names are a contract (see docs/outputs.md). */
public final class SummaryWriter {
    private final Recording r;
    private final List<EventLoops.Loop> loops;
    private final List<Findings.Finding> findings;
    private final SyscallProfile syscalls;

    SummaryWriter(Recording r, List<EventLoops.Loop> loops, List<Findings.Finding> findings, SyscallProfile syscalls) {
        this.r = r;
        this.loops = loops;
        this.findings = findings;
        this.syscalls = syscalls;
    }

    public void write(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(new Json(w, true));
            w.write('\n');
        }
    }

    void write(Json j) throws IOException {
        j.beginObject();
        j.field("version", r.netprofVersion);
        j.field("pid", r.pid);
        j.field("jvm", r.jvm);
        j.field("options", r.options);
        j.field("startedEpochMs", r.startedEpochMs);
        j.field("startedNs", r.startedNs);
        j.field("stoppedNs", r.stoppedNs);
        j.field("cleanStop", r.cleanStop);
        j.field("live", r.live);
        j.field("clock", r.note("clock"));
        j.name("window").beginObject();
        j.field("fromNs", r.windowNs("from"));
        j.field("toNs", r.windowNs("to"));
        j.endObject();
        shutdownHooks(j);
        j.field("events", r.events);
        j.field("dropped", r.droppedEvents);
        j.field("droppedDefinitions", r.droppedDefinitions);
        j.field("aggregatedEvents", r.aggregatedEvents);
        j.name("instrumentation").beginObject();
        for (String kind : new String[] {"instrumented", "unmatched", "error", "unrecorded"}) {
            j.name(kind).strings(r.notes.getOrDefault(kind, List.of()));
        }
        j.endObject();
        connections(j);
        endpoints(j);
        leaks(j);
        tls(j);
        http(j);
        dns(j);
        errors(j);
        selectors(j);
        kernel(j);
        syscalls(j);
        findings(j);
        j.endObject();
    }

    /** Null unless netprof stopped at the JVM's exit after waiting for the application's shutdown hooks. */
    private void shutdownHooks(Json j) throws IOException {
        j.name("shutdownHooks");
        Long waitedNs = r.hookWaitNs();
        if (waitedNs == null) {
            j.nullValue();
            return;
        }
        j.beginObject();
        j.field("waitedNs", waitedNs);
        j.name("hooks").beginArray();
        for (Recording.ShutdownHook h : r.shutdownHooks()) {
            j.beginObject();
            j.field("thread", h.thread());
            j.field("ended", h.ended());
            j.endObject();
        }
        j.endArray();
        j.endObject();
    }

    private void tls(Json j) throws IOException {
        j.name("tlsHandshakes").beginArray();
        for (Recording.Tls t : r.tlsHandshakes) {
            j.beginObject();
            j.field("connectionId", t.connectionId() == 0 ? null : t.connectionId());
            // An SSLEngine knows no local address, and its peer only as the application named it ("localhost:443"):
            // a handshake tied to a connection takes that connection's addresses, so both join on them.
            Recording.Connection c = r.connections.get(t.connectionId());
            boolean tied = c != null && c.local != null && c.remote != null;
            j.field("local", tied ? c.local : t.local());
            j.field("remote", tied ? c.remote : t.remote());
            j.field("peer", t.remote());
            j.field("role", Api.role(t.role()));
            j.field("protocol", t.protocol());
            j.field("cipherSuite", t.cipherSuite());
            j.name("alpnOffered").strings(t.alpnOffered());
            j.field("alpn", t.alpn());
            j.field("sni", t.sni());
            j.name("peerCertificate");
            if (t.peerSubject() == null) {
                j.nullValue();
            } else {
                j.beginObject().field("subject", t.peerSubject())
                    .field("notAfter", Instant.ofEpochMilli(t.peerNotAfterMs()).toString()).endObject();
            }
            j.field("resumed", t.resumed());
            j.field("renegotiation", t.renegotiation());
            j.field("startNs", t.startNs());
            j.field("durationNs", t.durationNs());
            j.field("outcome", t.ok() ? "ok" : "failed");
            j.field("error", t.error());
            j.field("thread", t.thread());
            j.endObject();
        }
        j.endArray();
    }

    private void http(Json j) throws IOException {
        j.name("httpExchanges").beginArray();
        for (Recording.Http h : r.httpExchanges) {
            j.beginObject();
            j.field("client", h.client());
            j.field("method", h.method());
            j.field("uri", h.uri());
            j.field("status", h.status() == 0 ? null : (long) h.status());
            j.field("version", h.version());
            j.field("startNs", h.startNs());
            j.field("durationNs", h.durationNs());
            j.field("requestBytes", h.requestBytes() < 0 ? null : h.requestBytes());
            j.field("responseBytes", h.responseBytes() < 0 ? null : h.responseBytes());
            j.field("connectionId", h.connectionId() == 0 ? null : h.connectionId());
            j.field("error", h.error());
            j.field("thread", h.thread());
            j.endObject();
        }
        j.endArray();
    }

    private void dns(Json j) throws IOException {
        j.name("dnsLookups").beginArray();
        for (Recording.Dns d : r.dnsLookups) {
            j.beginObject();
            j.field("host", d.host());
            j.field("startNs", d.startNs());
            j.field("durationNs", d.durationNs());
            j.field("addresses", d.addresses());
            j.field("cached", d.cached());
            j.field("reverse", d.reverse());
            j.field("error", d.error());
            j.field("thread", d.thread());
            j.endObject();
        }
        j.endArray();
    }

    private void leaks(Json j) throws IOException {
        j.name("leaks").beginArray();
        for (Findings.Leak l : Findings.leaks(r)) {
            Recording.Connection c = l.connection();
            j.beginObject();
            j.field("kind", l.kind());
            j.field("connectionId", c.id);
            j.field("transport", Api.transport(c.api));
            j.field("local", c.local);
            j.field("remote", c.remote);
            j.field("openedNs", c.openedNs);
            j.field("openTimeKnown", !c.unknownOpen);
            if (l.kind().equals("collected-unclosed")) {
                j.field("collectedNs", l.atNs());
            } else {
                j.field("ageNs", l.atNs() - c.openedNs);
            }
            j.name("openStack").strings(r.frames(c.openStack));
            j.endObject();
        }
        j.endArray();
    }

    private void selectors(Json j) throws IOException {
        j.name("selectors").beginArray();
        for (EventLoops.Loop l : loops) {
            j.beginObject();
            j.field("thread", l.thread());
            j.field("threadName", l.name());
            j.field("selects", l.selects());
            j.field("maxChannels", l.maxChannels());
            j.field("selectNs", l.selectNs());
            j.field("wakeups", l.wakeups());
            j.field("blockingOps", l.blockingOps());
            j.field("blockingNs", l.blockingNs());
            j.field("slowOps", l.slowOps());
            j.field("maxGapNs", l.maxGapNs());
            j.field("busyGaps", l.busyGaps());
            j.field("selectorThreads", l.turnTakers());
            j.field("partial", l.partial());
            j.endObject();
        }
        j.endArray();
    }

    /** The namespace's TCP counters: first and last reading, and how much they moved while recording. */
    private void kernel(Json j) throws IOException {
        j.name("kernel").beginObject();
        j.field("scope", "network namespace");
        j.name("counters").beginObject();
        for (Map.Entry<String, Long> e : r.lastCounters.entrySet()) {
            j.name(e.getKey()).beginObject();
            j.field("first", r.firstCounters.getOrDefault(e.getKey(), e.getValue()));
            j.field("last", e.getValue());
            j.field("delta", Findings.counterDelta(r, e.getKey()));
            j.endObject();
        }
        j.endObject();
        j.endObject();
    }

    /** async-profiler's samples paired with operations: how many, and per peer where the time went. */
    private void syscalls(Json j) throws IOException {
        j.name("syscalls");
        if (syscalls == null) {
            j.nullValue();
            return;
        }
        j.beginObject();
        j.name("modes").strings(syscalls.pairing.modes);
        j.field("pairable", syscalls.pairing.pairable);
        j.field("samples", syscalls.pairing.samples.size());
        j.field("attributed", syscalls.attributed);
        j.field("unattributedInSocketCode", syscalls.unattributedInSocketCode);
        j.field("kernelFrames", syscalls.hasKernelFrames());
        j.name("byPeer").beginArray();
        for (Map.Entry<String, long[]> e : syscalls.byPeer.entrySet()) {
            long[] t = e.getValue();
            j.beginObject();
            j.field("peer", e.getKey());
            j.name("cpuNs").beginObject().field("jvm", t[0]).field("native", t[1]).field("kernel", t[2]).endObject();
            j.name("blockedNs").beginObject().field("jvm", t[3]).field("native", t[4]).field("kernel", t[5]).endObject();
            j.endObject();
        }
        j.endArray();
        j.endObject();
    }

    private void findings(Json j) throws IOException {
        j.name("findings").beginArray();
        for (Findings.Finding f : findings) {
            j.beginObject();
            j.field("kind", f.kind());
            j.field("explanation", f.explanation());
            j.field("connectionId", f.connectionId());
            j.field("thread", f.thread());
            j.name("stack").strings(f.stack());
            j.endObject();
        }
        j.endArray();
    }

    private void connections(Json j) throws IOException {
        j.name("connections").beginArray();
        for (Recording.Connection c : r.establishedConnections()) {
            j.beginObject();
            j.field("id", c.id);
            j.field("transport", Api.transport(c.api));
            j.field("role", Api.role(c.role));
            j.field("api", Api.name(c.api));
            j.field("local", c.local);
            j.field("remote", c.remote);
            j.field("remoteHost", c.remoteHost);
            j.field("openedNs", c.openedNs);
            j.field("openTimeKnown", !c.unknownOpen);
            j.field("closedNs", c.closedNs);
            j.field("bytesRead", c.bytesRead);
            j.field("bytesWritten", c.bytesWritten);
            j.field("reads", c.reads);
            j.field("writes", c.writes);
            j.field("blockedNs", c.blockedNs);
            j.name("openStack").strings(r.frames(c.openStack));
            j.field("closeReason", c.closeReason());
            if (c.tlsPlaintextRead != null) {
                j.field("tlsPlaintextRead", c.tlsPlaintextRead);
                j.field("tlsPlaintextWritten", c.tlsPlaintextWritten);
                j.field("tlsKeyUpdates", c.tlsKeyUpdates);
            }
            kernelView(j, c.kernel);
            j.endObject();
        }
        j.endArray();
    }

    /** The kernel's last view of a connection's socket (state, queues, timer, retransmits), or null. */
    private static void kernelView(Json j, KernelSocket k) throws IOException {
        j.name("kernel");
        if (k == null) {
            j.nullValue();
            return;
        }
        j.beginObject();
        j.field("state", k.stateName());
        j.field("sendQueue", k.sendQueue());
        j.field("receiveQueue", k.receiveQueue());
        j.field("timer", k.timerName());
        j.field("retransmits", k.retransmits());
        j.field("drops", k.drops());
        j.field("atNs", k.atNs());
        j.endObject();
    }

    /** Clients are grouped by the peer they talk to, servers by the local address they serve on. */
    private void endpoints(Json j) throws IOException {
        Map<String, long[]> byEndpoint = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        for (Recording.Connection c : r.establishedConnections()) {
            String key = c.endpointKey();
            keys.putIfAbsent(key, new String[] {c.endpoint(), Api.role(c.role), Api.transport(c.api)});
            long[] t = byEndpoint.computeIfAbsent(key, k -> new long[6]);
            t[0]++;
            t[1] += c.bytesRead;
            t[2] += c.bytesWritten;
            t[3] += c.reads + c.writes;
            t[4] += c.blockedNs;
        }
        // Errors on the endpoint's connections, and its connect attempts that failed: an endpoint that no connect
        // reached has a row too, with no connections.
        for (Recording.Failure f : r.errors) {
            Recording.Connection c = r.connections.get(f.connectionId());
            if (c != null && c.endpoint() != null) {
                String key = c.endpointKey();
                keys.putIfAbsent(key, new String[] {c.endpoint(), Api.role(c.role), Api.transport(c.api)});
                byEndpoint.computeIfAbsent(key, k -> new long[6])[5]++;
            }
        }
        j.name("endpoints").beginArray();
        for (Map.Entry<String, long[]> e : byEndpoint.entrySet()) {
            String[] k = keys.get(e.getKey());
            long[] t = e.getValue();
            j.beginObject();
            j.field("endpoint", k[0]);
            j.field("role", k[1]);
            j.field("transport", k[2]);
            j.field("connections", t[0]);
            j.field("bytesRead", t[1]);
            j.field("bytesWritten", t[2]);
            j.field("ops", t[3]);
            j.field("blockedNs", t[4]);
            j.field("errors", t[5]);
            j.endObject();
        }
        j.endArray();
    }

    private void errors(Json j) throws IOException {
        j.name("errors").beginArray();
        for (Recording.Failure f : r.errors) {
            // "type: message" or "type" for what a call threw. A failure without one is described in words: a TLS
            // alert ("received fatal alert: ..."), a connect the application closed before it finished.
            String described = r.exception(f);
            String exception = null;
            String message = described;
            int colon = described == null ? -1 : described.indexOf(": ");
            String type = colon > 0 ? described.substring(0, colon) : described;
            if (type != null && type.indexOf(' ') < 0 && type.indexOf('.') > 0) {
                exception = type;
                message = colon > 0 ? described.substring(colon + 2) : null;
            }
            Recording.Connection c = r.connections.get(f.connectionId());
            j.beginObject();
            j.field("connectionId", f.connectionId() == 0 ? null : f.connectionId());
            j.field("op", Op.name(f.op()));
            j.field("kind", Outcome.name(f.outcome()));
            j.field("exception", exception);
            j.field("message", message);
            j.field("remote", c == null ? null : c.remote);
            j.name("stack").strings(r.frames(f.stack()));
            j.field("atNs", f.atNs());
            j.field("thread", f.thread());
            j.endObject();
        }
        j.endArray();
    }
}
