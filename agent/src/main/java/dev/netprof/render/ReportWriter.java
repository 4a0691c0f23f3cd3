package dev.netprof.render;

import static dev.netprof.render.Units.bytes;
import static dev.netprof.render.Units.count;
import static dev.netprof.render.Units.html;
import static dev.netprof.render.Units.nanos;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * report.html: one self-contained page (no external scripts or styles) that answers "where did the network time go":
 * the recording, top endpoints, latency percentiles, connections, errors, and links to the other outputs.
 */
final class ReportWriter {
    static final int MAX_CONNECTION_ROWS = 2000;

    private final Recording r;
    private final Latencies latencies;
    private final TraceWriter trace;
    private final FlameGraphs flames;
    private final List<EventLoops.Loop> loops;
    private final List<Findings.Finding> findings;
    private final SyscallProfile syscalls;
    private final StringBuilder h = new StringBuilder(1 << 16);

    ReportWriter(Recording r, Latencies latencies, TraceWriter trace, FlameGraphs flames, List<EventLoops.Loop> loops,
                 List<Findings.Finding> findings, SyscallProfile syscalls) {
        this.r = r;
        this.latencies = latencies;
        this.trace = trace;
        this.flames = flames;
        this.loops = loops;
        this.findings = findings;
        this.syscalls = syscalls;
    }

    void write(Path file) throws IOException {
        head();
        recording();
        findings();
        endpoints();
        percentiles();
        connections();
        errors();
        leaks();
        eventLoops();
        kernel();
        samples();
        tls();
        http();
        dns();
        h.append(SCRIPT).append("</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    private void head() {
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>netprof report, pid ")
            .append(r.pid).append("</title><style>").append(STYLE).append("</style></head><body>\n")
            .append("<h1>netprof report <small>pid ").append(r.pid).append(" &middot; ").append(html(r.jvm))
            .append("</small></h1>\n<nav><a href=\"flame-time.html\">flame graph: time</a>")
            .append("<a href=\"flame-bytes.html\">flame graph: bytes</a>")
            .append(syscalls == null ? "" : "<a href=\"flame-syscalls.html\">flame graph: samples</a>")
            .append("<a href=\"trace.json\" title=\"open in https://ui.perfetto.dev or chrome://tracing\">")
            .append("timeline (trace.json)</a><a href=\"summary.json\">summary.json</a>")
            .append("<a href=\"events.nprof\">events.nprof</a></nav>\n");
    }

    private void recording() {
        Long complete = r.completeNs();
        List<Recording.Connection> conns = r.establishedConnections();
        long tcp = conns.stream().filter(c -> c.api != Api.DATAGRAM).count();
        List<String> unrecorded = r.notes.getOrDefault("unrecorded", List.of());
        h.append("<section><h2>Recording</h2><table class=\"kv\">")
            .append(kv("started", Instant.ofEpochMilli(r.startedEpochMs).toString()))
            .append(kv("duration", html(ConsoleSummary.duration(r)) + (complete == null ? ""
                : ": before the last " + nanos(complete) + ", the JDK's classes were still being instrumented one after"
                + " another, and an operation in one not yet instrumented was not recorded")))
            .append(kv("operations", count(r.events + r.aggregatedEvents) + (r.aggregatedEvents > 0
                ? " (" + count(r.aggregatedEvents) + " below the threshold, kept as per-connection sums)" : "")))
            .append(kv("connections", count(tcp) + " TCP, " + count(conns.size() - tcp) + " UDP flows"))
            .append(kv("dropped", r.droppedEvents + r.droppedDefinitions == 0 ? "none"
                : "<b class=\"bad\">" + html(ConsoleSummary.dropped(r)) + "</b>"))
            .append(unrecorded.isEmpty() ? "" : kv("not recorded", "<b class=\"bad\">" + html(String.join(", ",
                unrecorded)) + "</b>: this JVM used it, and netprof does not instrument it"))
            .append(kv("stopped", r.live ? "not yet: a dump of a recording that goes on"
                : r.cleanStop ? "cleanly" + afterShutdownHooks()
                : "<b class=\"bad\">not cleanly</b>: the JVM died or was killed; data up to its last flush"
                + (r.torn ? " (last block torn, ignored)" : "")))
            .append(kv("options", html(r.options == null || r.options.isEmpty() ? "(defaults)" : r.options)))
            .append(r.note("clock") == null ? "" : kv("clock", html(r.note("clock"))))
            .append(kv("timeline", trace.folded == 0 ? "every operation is a span in trace.json"
                : count(trace.spans) + " operations of at least " + nanos(trace.minSpanNs) + " (and every failure) "
                + "are spans in trace.json; the other " + count(trace.folded) + " are folded into per-thread counters "
                + "per " + nanos(trace.windowNs)))
            .append(kv("flame graphs", flames.scaledFromSamples == 0 ? "every operation has its own stack"
                : "reads/writes without a stack are attributed to the " + count(flames.scaledFromSamples)
                + " sampled stacks of the same connection and op (stacks=all records every stack)"))
            .append("</table></section>\n");
    }

    /** How the stop at the JVM's exit waited for the application's shutdown hooks, if it did. */
    private String afterShutdownHooks() {
        List<Recording.ShutdownHook> hooks = r.shutdownHooks();
        if (r.hookWaitNs() == null || hooks.isEmpty()) {
            return "";
        }
        long running = r.shutdownHooksRunning();
        return ", at the JVM's exit after waiting " + nanos(r.hookWaitNs()) + " for the application's " + hooks.size()
            + " shutdown hook" + (hooks.size() > 1 ? "s" : "") + (running == 0 ? " to end"
            : ": <b class=\"bad\">" + running + " still ran</b>, and what they did next is missing");
    }

    private void endpoints() {
        Map<String, long[]> byKey = new LinkedHashMap<>();
        for (Recording.Connection c : r.establishedConnections()) {
            long[] t = byKey.computeIfAbsent(c.endpointKey(), k -> new long[4]);
            t[0]++;
            t[1] += c.blockedNs;
            t[2] += c.bytesRead;
            t[3] += c.bytesWritten;
        }
        h.append("<section><h2>Top endpoints</h2><p class=\"note\">Clients are grouped by the peer they talk to, "
            + "servers by the address they serve on.</p><div class=\"cols\">");
        topEndpoints("by time blocked", byKey, t -> t[1], true);
        topEndpoints("by bytes", byKey, t -> t[2] + t[3], false);
        h.append("</div></section>\n");
    }

    private void topEndpoints(String title, Map<String, long[]> byKey, java.util.function.ToLongFunction<long[]> by,
                              boolean time) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(byKey.entrySet());
        rows.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> by.applyAsLong(e.getValue())).reversed());
        long max = rows.isEmpty() ? 1 : Math.max(1, by.applyAsLong(rows.get(0).getValue()));
        h.append("<div><h3>").append(title).append("</h3><table><tr><th>endpoint</th><th>conns</th><th>")
            .append(time ? "blocked" : "bytes in / out").append("</th><th></th></tr>");
        for (Map.Entry<String, long[]> e : rows.subList(0, Math.min(10, rows.size()))) {
            long[] t = e.getValue();
            long v = by.applyAsLong(t);
            h.append("<tr><td>").append(html(e.getKey())).append("</td><td class=\"n\">").append(t[0])
                .append("</td><td class=\"n\">").append(time ? nanos(v) : bytes(t[2]) + " / " + bytes(t[3]))
                .append("</td><td><div class=\"bar\" style=\"width:").append(Math.max(1, 100 * v / max))
                .append("px\"></div></td></tr>");
        }
        h.append("</table></div>");
    }

    private void percentiles() {
        h.append("<section><h2>Latency by endpoint and operation</h2>");
        if (latencies.byEndpointAndOp.isEmpty()) {
            h.append("<p>No individually recorded operations.</p></section>\n");
            return;
        }
        h.append("<table class=\"sortable\"><tr><th>endpoint</th><th>op</th><th>count</th><th>p50</th><th>p90</th>"
            + "<th>p99</th><th>p99.9</th><th>max</th></tr>");
        for (Map.Entry<String, Histogram> e : latencies.byEndpointAndOp.entrySet()) {
            String[] k = e.getKey().split("\t");
            Histogram hist = e.getValue();
            h.append("<tr><td>").append(html(k[0])).append("</td><td>").append(k[1]).append("</td>")
                .append(num(hist.getTotalCount(), count(hist.getTotalCount())));
            for (double p : new double[] {50, 90, 99, 99.9}) {
                long v = hist.getValueAtPercentile(p);
                h.append(num(v, nanos(v)));
            }
            h.append(num(hist.getMaxValue(), nanos(hist.getMaxValue()))).append("</tr>");
        }
        h.append("</table>");
        if (r.aggregatedEvents > 0) {
            h.append("<p class=\"note\">Operations folded by threshold= are not in these distributions.</p>");
        }
        h.append("</section>\n");
    }

    private void connections() {
        List<Recording.Connection> conns = new ArrayList<>(r.establishedConnections());
        conns.sort(Comparator.comparingLong((Recording.Connection c) -> c.blockedNs).reversed());
        h.append("<section><h2>Connections</h2>");
        if (conns.size() > MAX_CONNECTION_ROWS) {
            h.append("<p class=\"note\">The ").append(MAX_CONNECTION_ROWS).append(" most blocked of ")
                .append(count(conns.size())).append(" connections; summary.json has them all.</p>");
        }
        h.append("<table class=\"sortable\"><tr><th>id</th><th>transport</th><th>role</th><th>api</th><th>local</th>"
            + "<th>remote</th><th>opened</th><th>lifetime</th><th>read</th><th>written</th><th>reads</th>"
            + "<th>writes</th><th>blocked</th><th>closed</th><th>kernel state</th></tr>");
        for (Recording.Connection c : conns.subList(0, Math.min(MAX_CONNECTION_ROWS, conns.size()))) {
            long opened = c.openedNs - r.startedNs;
            long life = (c.closedNs != null ? c.closedNs : r.stoppedNs) - c.openedNs;
            h.append("<tr><td class=\"n\">").append(c.id).append("</td><td>").append(Api.transport(c.api))
                .append("</td><td>").append(Api.role(c.role)).append("</td><td>").append(Api.name(c.api))
                .append("</td><td>").append(html(c.local)).append("</td><td title=\"").append(html(c.remoteHost))
                .append("\">").append(html(c.remote)).append("</td>")
                .append(c.unknownOpen ? "<td data-v=\"-1\">before start</td>" : num(opened, nanos(opened)))
                .append(num(life, nanos(life))).append(num(c.bytesRead, bytes(c.bytesRead)))
                .append(num(c.bytesWritten, bytes(c.bytesWritten))).append(num(c.reads, count(c.reads)))
                .append(num(c.writes, count(c.writes))).append(num(c.blockedNs, nanos(c.blockedNs)))
                .append("<td>").append(c.closeReason() == null ? "open at stop" : c.closeReason()).append("</td><td>")
                .append(c.kernel == null ? "" : c.kernel.stateName() + (c.kernel.sendQueue() + c.kernel.receiveQueue() > 0
                    ? " (queued " + c.kernel.sendQueue() + " out, " + c.kernel.receiveQueue() + " in)" : ""))
                .append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    private void errors() {
        h.append("<section><h2>Errors</h2>");
        if (r.errors.isEmpty()) {
            h.append("<p>None.</p></section>\n");
            return;
        }
        Map<String, List<Recording.Failure>> groups = new LinkedHashMap<>();
        for (Recording.Failure f : r.errors) {
            Recording.Connection c = r.connections.get(f.connectionId());
            String peer = c == null || c.remote == null ? "" : c.remote;
            String exception = r.exception(f);
            String type = exception == null ? "" : exception.split(":")[0];
            groups.computeIfAbsent(Outcome.name(f.outcome()) + "\t" + Op.name(f.op()) + "\t" + type + "\t" + peer,
                k -> new ArrayList<>()).add(f);
        }
        h.append("<table><tr><th>kind</th><th>op</th><th>exception</th><th>peer</th><th>count</th>"
            + "<th>first message and stack</th></tr>");
        for (Map.Entry<String, List<Recording.Failure>> g : groups.entrySet()) {
            String[] k = g.getKey().split("\t", -1);
            Recording.Failure first = g.getValue().get(0);
            h.append("<tr><td class=\"bad\">").append(k[0]).append("</td><td>").append(k[1]).append("</td><td>")
                .append(html(k[2])).append("</td><td>").append(html(k[3])).append("</td><td class=\"n\">")
                .append(g.getValue().size()).append("</td><td><details><summary>")
                .append(html(r.exception(first))).append("</summary><pre>")
                .append(html(String.join("\n", r.frames(first.stack())))).append("</pre></details></td></tr>");
        }
        h.append("</table></section>\n");
    }

    private void findings() {
        h.append("<section><h2>Findings</h2>");
        if (findings.isEmpty()) {
            h.append("<p>Nothing stands out: no leaks, half-closed connections, stalled event loops or failures.</p>");
        } else {
            h.append("<ul class=\"findings\">");
            for (Findings.Finding f : findings) {
                h.append("<li><b>").append(f.kind()).append("</b> ").append(html(f.explanation()));
                if (!f.stack().isEmpty()) {
                    h.append("<details><summary>stack</summary><pre>").append(html(String.join("\n", f.stack())))
                        .append("</pre></details>");
                }
                h.append("</li>");
            }
            h.append("</ul>");
        }
        h.append("</section>\n");
    }

    /** Leaked connections grouped by the stack that opened them: one row per place in the code that leaks. */
    private void leaks() {
        h.append("<section><h2>Leaks</h2>");
        List<Findings.Leak> leaks = Findings.leaks(r);
        if (leaks.isEmpty()) {
            boolean inUse = r.live || "detach".equals(r.stopReason());
            h.append("<p>No leaked connections: every connection was closed")
                .append(inUse ? " or is still in use" : "").append(".</p></section>\n");
            return;
        }
        Map<List<String>, List<Findings.Leak>> byStack = new LinkedHashMap<>();
        for (Findings.Leak l : leaks) {
            byStack.computeIfAbsent(r.frames(l.connection().openStack), k -> new ArrayList<>()).add(l);
        }
        h.append("<table><tr><th>count</th><th>kind</th><th>opened at</th><th>peers</th><th>opening stack</th></tr>");
        for (Map.Entry<List<String>, List<Findings.Leak>> e : byStack.entrySet()) {
            List<Findings.Leak> ls = e.getValue();
            StringBuilder peers = new StringBuilder();
            ls.stream().map(l -> l.connection().remote).distinct().limit(5)
                .forEach(p -> peers.append(html(p)).append("<br>"));
            h.append("<tr><td class=\"n\">").append(ls.size()).append("</td><td>")
                .append(ls.stream().map(Findings.Leak::kind).distinct().reduce((a, b) -> a + ", " + b).orElse(""))
                .append("</td><td>").append(html(e.getKey().isEmpty() ? "?" : Findings.firstApplicationFrame(e.getKey())))
                .append("</td><td>").append(peers).append("</td><td><details><summary>stack</summary><pre>")
                .append(html(String.join("\n", e.getKey()))).append("</pre></details></td></tr>");
        }
        h.append("</table></section>\n");
    }

    private void eventLoops() {
        h.append("<section><h2>Event loops</h2>");
        if (loops.isEmpty()) {
            h.append("<p>No thread called Selector.select.</p></section>\n");
            return;
        }
        h.append("<p class=\"note\">Threads that call Selector.select. A blocking network call on such a thread (a ")
            .append("java.net.Socket's, or a DNS lookup that took ").append(nanos(EventLoops.SLOW_NS)).append(") holds ")
            .append("every channel it serves; so does other work between two selects (the gap), or a pause of the JVM. ")
            .append("Slow calls are its channels' own non-blocking calls that took ").append(nanos(EventLoops.SLOW_NS))
            .append(" without waiting on the network: the thread was descheduled, the JVM paused, or the call copied a ")
            .append("large buffer. Threads that take turns on one selector (a pool, ")
            .append("as Jetty's) always have another to select, so they get no findings; nor does what a thread does ")
            .append("after a select that left no channel registered (a worker waiting for one channel at a time, as ")
            .append("XNIO's blocking reads do): nothing waits on it then.</p><table><tr><th>thread</th>")
            .append("<th>selects</th><th>most channels registered</th><th>woke with ready keys</th><th>time in select</th><th>blocking calls</th>")
            .append("<th>blocked</th><th>slow calls</th><th>longest gap</th><th>gaps over ")
            .append(nanos(EventLoops.BUSY_NS)).append("</th></tr>");
        for (EventLoops.Loop l : loops) {
            boolean own = l.ownsItsSelectors();
            h.append("<tr><td>").append(html(l.name())).append(l.partial() ? " (first ops only)" : "")
                .append(own ? "" : " (takes turns with " + (l.turnTakers() - 1) + " other thread"
                    + (l.turnTakers() > 2 ? "s)" : ")")).append("</td>")
                .append(num(l.selects(), count(l.selects())))
                .append(l.maxChannels() < 0 ? "<td></td>" : num(l.maxChannels(), count(l.maxChannels())))
                .append(num(l.wakeups(), count(l.wakeups())))
                .append(num(l.selectNs(), nanos(l.selectNs())))
                .append(own && l.blockingOps() > 0 ? "<td class=\"n bad\">" + l.blockingOps() + "</td>"
                    : num(l.blockingOps(), count(l.blockingOps())))
                .append(num(l.blockingNs(), nanos(l.blockingNs()))).append(num(l.slowOps(), count(l.slowOps())))
                .append(num(l.maxGapNs(), nanos(l.maxGapNs())))
                .append(own && l.busyGaps() > 0 ? "<td class=\"n bad\">" + l.busyGaps() + "</td>"
                    : num(l.busyGaps(), count(l.busyGaps())))
                .append("</tr>");
        }
        h.append("</table></section>\n");
    }

    /** The kernel's side: each connection's last TCP state and queues, and the namespace's TCP counters. */
    private void kernel() {
        h.append("<section><h2>The kernel's view</h2>");
        if (r.lastCounters.isEmpty()) {
            h.append("<p>Not available (no /proc: not Linux?).</p></section>\n");
            return;
        }
        h.append("<p class=\"note\">Read from /proc every 5 s and at the end. Counters are for the whole network ")
            .append("namespace, not only this JVM.</p><div class=\"cols\"><div><h3>Counters while recording</h3>")
            .append("<table><tr><th>counter</th><th>change</th></tr>");
        for (String name : r.lastCounters.keySet()) {
            long d = Findings.counterDelta(r, name);
            h.append("<tr><td>").append(name).append("</td><td class=\"n").append(d > 0 && name.matches(
                "Listen.*|.*Timeout.*|.*Reset.*|.*Rst.*|.*Fail.*|.*Err.*|.*Drop.*") ? " bad" : "").append("\">")
                .append(count(d)).append("</td></tr>");
        }
        h.append("</table></div><div><h3>Connections by last kernel state</h3><table><tr><th>state</th>")
            .append("<th>connections</th><th>with data queued</th><th>retransmitting</th></tr>");
        Map<String, long[]> states = new LinkedHashMap<>();
        for (Recording.Connection c : r.establishedConnections()) {
            if (c.kernel != null) {
                long[] t = states.computeIfAbsent(Api.transport(c.api) + " " + c.kernel.stateName(), k -> new long[3]);
                t[0]++;
                t[1] += c.kernel.sendQueue() + c.kernel.receiveQueue() > 0 ? 1 : 0;
                t[2] += c.kernel.retransmits() > 0 ? 1 : 0;
            }
        }
        states.forEach((state, t) -> h.append("<tr><td>").append(state).append("</td>").append(num(t[0], count(t[0])))
            .append(num(t[1], count(t[1]))).append(num(t[2], count(t[2]))).append("</tr>"));
        h.append("</table></div></div></section>\n");
    }

    /** async-profiler's samples in network calls: where, per peer, CPU and blocked time went. */
    private void samples() {
        h.append("<section><h2>Kernel and native samples</h2>");
        if (syscalls == null) {
            h.append("<p>No samples: syscalls= sampling was off (syscalls=on or kernel turns it on).</p></section>\n");
            return;
        }
        h.append("<p><a href=\"flame-syscalls.html\">flame graph of sampled network time</a> (")
            .append(html(String.join(", ", syscalls.pairing.modes))).append("): ")
            .append(count(syscalls.pairing.samples.size())).append(" samples, ").append(count(syscalls.attributed))
            .append(" inside a recorded network operation, ").append(count(syscalls.unattributedInSocketCode))
            .append(" in socket native code outside one.")
            .append(syscalls.pairing.pairable ? "" : " <b class=\"bad\">The samples' clock is not System.nanoTime: "
                + "they could not be paired.</b>").append("</p>");
        h.append("<table><tr><th>peer</th><th>CPU: JVM</th><th>CPU: native</th><th>CPU: kernel</th>")
            .append("<th>blocked: JVM</th><th>blocked: native</th><th>blocked: kernel</th></tr>");
        for (Map.Entry<String, long[]> e : syscalls.byPeer.entrySet()) {
            h.append("<tr><td>").append(html(e.getKey())).append("</td>");
            for (long v : e.getValue()) {
                h.append(num(v, nanos(v)));
            }
            h.append("</tr>");
        }
        h.append("</table><p class=\"note\">Estimated from samples: CPU samples stand for their interval, wall ")
            .append("samples of a waiting thread for the wall interval. Kernel frames appear with syscalls=kernel only.")
            .append("</p></section>\n");
    }

    private void tls() {
        h.append("<section><h2>TLS handshakes</h2>");
        if (r.tlsHandshakes.isEmpty()) {
            h.append("<p>No TLS handshakes recorded.</p></section>\n");
            return;
        }
        long failed = r.tlsHandshakes.stream().filter(t -> !t.ok()).count();
        h.append("<p>").append(count(r.tlsHandshakes.size())).append(" handshakes, ")
            .append(failed > 0 ? "<b class=\"bad\">" + failed + " failed</b>" : "none failed").append(", ")
            .append(r.tlsHandshakes.stream().filter(Recording.Tls::resumed).count()).append(" resumed.</p>")
            .append("<table class=\"sortable\"><tr><th>conn</th><th>role</th><th>peer</th><th>protocol</th>")
            .append("<th>cipher suite</th><th>ALPN offered</th><th>ALPN</th><th>SNI</th><th>peer certificate</th>")
            .append("<th>resumed</th><th>took</th><th>outcome</th></tr>");
        for (Recording.Tls t : r.tlsHandshakes) {
            h.append("<tr><td class=\"n\">").append(t.connectionId() == 0 ? "" : t.connectionId()).append("</td><td>")
                .append(Api.role(t.role())).append("</td><td>").append(html(t.remote())).append("</td><td>")
                .append(html(t.protocol())).append("</td><td>").append(html(t.cipherSuite())).append("</td><td>")
                .append(html(String.join(", ", t.alpnOffered()))).append("</td><td>").append(html(t.alpn()))
                .append("</td><td>").append(html(t.sni())).append("</td><td>").append(html(t.peerSubject()))
                .append(t.peerSubject() == null ? "" : "<br><small>until " + Instant.ofEpochMilli(t.peerNotAfterMs())
                    + "</small>").append("</td><td>").append(t.resumed() ? "yes" : "").append("</td>")
                .append(num(t.durationNs(), nanos(t.durationNs()))).append("<td")
                .append(t.ok() ? ">ok" : " class=\"bad\">" + html(t.error())).append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    /** Per host: latency percentiles and status counts; per connection: how many exchanges reused it. */
    private void http() {
        h.append("<section><h2>HTTP exchanges</h2>");
        if (r.httpExchanges.isEmpty()) {
            h.append("<p>No HTTP exchanges recorded.</p></section>\n");
            return;
        }
        Map<String, Histogram> byHost = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> statuses = new LinkedHashMap<>();
        Map<Long, int[]> perConnection = new LinkedHashMap<>();
        Map<Long, String> versionOf = new LinkedHashMap<>();
        for (Recording.Http x : r.httpExchanges) {
            String host = host(x.uri());
            byHost.computeIfAbsent(host, k -> new Histogram(3_600_000_000_000L, 2))
                .recordValue(Math.max(1, Math.min(x.durationNs(), 3_600_000_000_000L)));
            statuses.computeIfAbsent(host, k -> new TreeMap<>())
                .merge(x.error() != null && x.status() == 0 ? "error" : Integer.toString(x.status()), 1, Integer::sum);
            if (x.connectionId() != 0) {
                perConnection.computeIfAbsent(x.connectionId(), k -> new int[1])[0]++;
                versionOf.put(x.connectionId(), x.version());
            }
        }
        h.append("<table class=\"sortable\"><tr><th>host</th><th>exchanges</th><th>p50</th><th>p90</th><th>p99</th>")
            .append("<th>max</th><th>status counts</th></tr>");
        for (Map.Entry<String, Histogram> e : byHost.entrySet()) {
            Histogram hist = e.getValue();
            h.append("<tr><td>").append(html(e.getKey())).append("</td>")
                .append(num(hist.getTotalCount(), count(hist.getTotalCount())));
            for (double p : new double[] {50, 90, 99}) {
                long v = hist.getValueAtPercentile(p);
                h.append(num(v, nanos(v)));
            }
            h.append(num(hist.getMaxValue(), nanos(hist.getMaxValue()))).append("<td>");
            statuses.get(e.getKey()).forEach((st, n) -> h.append(html(st)).append(" &times; ").append(n).append(" "));
            h.append("</td></tr>");
        }
        h.append("</table><h3>Connection reuse</h3><p class=\"note\">Exchanges per TCP connection: more than one ")
            .append("means keep-alive (HTTP/1.1) or multiplexed streams (HTTP/2) worked.</p><table class=\"sortable\">")
            .append("<tr><th>connection</th><th>peer</th><th>version</th><th>exchanges</th></tr>");
        perConnection.forEach((id, n) -> {
            Recording.Connection c = r.connections.get(id);
            h.append("<tr><td class=\"n\">").append(id).append("</td><td>").append(c == null ? "" : html(c.remote))
                .append("</td><td>").append(html(versionOf.get(id))).append("</td>").append(num(n[0], count(n[0])))
                .append("</tr>");
        });
        h.append("</table></section>\n");
    }

    private void dns() {
        h.append("<section><h2>DNS lookups</h2>");
        if (r.dnsLookups.isEmpty()) {
            h.append("<p>No host name lookups recorded.</p></section>\n");
            return;
        }
        long cached = r.dnsLookups.stream().filter(Recording.Dns::cached).count();
        List<Recording.Dns> slow = new ArrayList<>(r.dnsLookups);
        slow.sort(Comparator.comparingLong(Recording.Dns::durationNs).reversed());
        h.append("<p>").append(count(r.dnsLookups.size())).append(" lookups, ").append(count(cached))
            .append(" answered from the JVM's cache. The slowest:</p><table><tr><th>host</th><th>took</th>")
            .append("<th>from</th><th>addresses</th><th>error</th></tr>");
        for (Recording.Dns d : slow.subList(0, Math.min(20, slow.size()))) {
            h.append("<tr><td>").append(html(d.host())).append(d.reverse() ? " (its name)" : "").append("</td>")
                .append(num(d.durationNs(), nanos(d.durationNs())))
                .append("<td>").append(d.cached() ? "cache" : "resolver").append("</td>")
                .append(num(d.addresses(), Integer.toString(d.addresses()))).append("<td class=\"bad\">")
                .append(html(d.error())).append("</td></tr>");
        }
        h.append("</table></section>\n");
    }

    private static String host(String uri) {
        try {
            URI u = URI.create(uri);
            return u.getHost() + ":" + u.getPort();
        } catch (RuntimeException e) {
            return uri;
        }
    }

    private static String kv(String k, String v) {
        return "<tr><th>" + k + "</th><td>" + v + "</td></tr>";
    }

    private static String num(long sortValue, String text) {
        return "<td class=\"n\" data-v=\"" + sortValue + "\">" + text + "</td>";
    }

    private static final String STYLE = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}"
        + "h1 small{font-weight:normal;color:#666;font-size:60%}nav a{margin-right:16px}"
        + "section{margin-top:28px}table{border-collapse:collapse}th,td{padding:3px 10px;text-align:left;"
        + "border-bottom:1px solid #e3e3e3;vertical-align:top}th{background:#f5f5f5}td.n{text-align:right;"
        + "font-variant-numeric:tabular-nums}table.kv th{width:140px}.bad{color:#b00}.note{color:#666}"
        + ".bar{height:10px;background:#e8743b}.cols{display:flex;gap:40px;flex-wrap:wrap}"
        + "table.sortable th{cursor:pointer}pre{margin:4px 0;font-size:12px}ul.findings li{margin:4px 0}";

    /** Click a column header of a sortable table to sort by it (numbers by their data-v value). */
    private static final String SCRIPT = "<script>document.querySelectorAll('table.sortable').forEach(t=>{"
        + "t.querySelectorAll('th').forEach((th,i)=>th.onclick=()=>{const rows=[...t.rows].slice(1);"
        + "const key=r=>{const c=r.cells[i];return c.dataset.v!==undefined?+c.dataset.v:c.textContent};"
        + "const dir=th.dataset.dir=th.dataset.dir==='d'?'a':'d';rows.sort((a,b)=>{const x=key(a),y=key(b);"
        + "const o=typeof x==='number'?x-y:String(x).localeCompare(y);return dir==='d'?-o:o});"
        + "rows.forEach(r=>t.tBodies[0].appendChild(r))})});</script>\n";
}
