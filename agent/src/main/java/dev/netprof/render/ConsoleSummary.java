package dev.netprof.render;

import static dev.netprof.render.Units.bytes;
import static dev.netprof.render.Units.count;
import static dev.netprof.render.Units.nanos;

import dev.netprof.event.Api;
import dev.netprof.event.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The few lines printed on stderr when a recording ends: what was seen, and where the files are. */
final class ConsoleSummary {
    static List<String> lines(Recording r, List<Findings.Finding> findings, boolean syscalls, Path dir) {
        List<String> out = new ArrayList<>();
        List<Recording.Connection> conns = r.establishedConnections();
        long tcp = conns.stream().filter(c -> c.api != Api.DATAGRAM).count();
        out.add(duration(r) + ": " + count(r.events + r.aggregatedEvents)
            + " operations on " + tcp + " TCP connections and " + (conns.size() - tcp) + " UDP flows; "
            + (r.droppedEvents + r.droppedDefinitions == 0 ? "nothing dropped" : dropped(r)));
        conns.stream().max((a, b) -> Long.compare(a.blockedNs, b.blockedNs)).ifPresent(c -> out.add(
            "most time blocked: " + c.endpointKey() + ", " + nanos(c.blockedNs) + " on connection #" + c.id));
        conns.stream().max((a, b) -> Long.compare(a.bytesRead + a.bytesWritten, b.bytesRead + b.bytesWritten))
            .ifPresent(c -> out.add("most bytes: " + c.endpointKey() + ", " + bytes(c.bytesRead) + " read, "
                + bytes(c.bytesWritten) + " written on connection #" + c.id));
        Map<String, Integer> errors = new TreeMap<>();
        for (Recording.Failure f : r.errors) {
            errors.merge(Outcome.name(f.outcome()), 1, Integer::sum);
        }
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("errors:");
            errors.forEach((k, v) -> sb.append(' ').append(v).append(' ').append(k).append(','));
            out.add(sb.substring(0, sb.length() - 1));
        }
        List<String> unrecorded = r.notes.getOrDefault("unrecorded", List.of());
        if (!unrecorded.isEmpty()) {
            out.add("not recorded, though this JVM used it: " + String.join(", ", unrecorded));
        }
        if (!r.tlsMisattributed.isEmpty()) {
            out.add("TLS counts netprof had tied to " + r.tlsMisattributed.size() + " connection"
                + (r.tlsMisattributed.size() > 1 ? "s" : "") + " that could not have carried them were dropped (an "
                + "SSLEngine over an unrecorded transport?): see report.html");
        }
        long open = conns.stream().filter(c -> c.closedNs == null).count();
        if (open > 0) {
            out.add(open + " connections still open at stop");
        }
        long leaks = findings.stream().filter(f -> !f.kind().equals("errors")).count();
        if (leaks > 0) {
            out.add(leaks + " findings (leaks, CLOSE_WAIT, event loops, accept queues): see report.html");
        }
        if (!r.cleanStop && !r.live) {
            out.add("the recorded JVM did not stop cleanly: data up to its last flush");
        }
        out.add("outputs in " + dir.toAbsolutePath() + ": report.html (start here), flame-time.html, "
            + "flame-bytes.html, " + (syscalls ? "flame-syscalls.html, " : "") + "trace.json, summary.json, "
            + "events.nprof");
        return out;
    }

    /**
     * "4.65 s recorded (2.00 s with the instrumentation complete)": installing it takes a second or more, in premain
     * as on an attach, before {@code duration=} starts, and a user who asked for 2 s is told why the recording is
     * longer.
     */
    static String duration(Recording r) {
        Long complete = r.completeNs();
        return nanos(r.recordedNs()) + " recorded" + (complete == null ? ""
            : " (" + nanos(complete) + " with the instrumentation complete)");
    }

    /**
     * What was dropped and what to do about it: events when the buffer pool was full (buffer= sizes it);
     * definitions (connections, lookups, exchanges, handshakes) when more than the catalog's 65,536 waited for one
     * flush, which no option changes.
     */
    static String dropped(Recording r) {
        List<String> parts = new ArrayList<>();
        if (r.droppedEvents > 0) {
            parts.add(count(r.droppedEvents) + " events dropped (the buffers were full: raise buffer=)");
        }
        if (r.droppedDefinitions > 0) {
            parts.add(count(r.droppedDefinitions) + " definitions dropped (more than 65,536 connections, lookups, "
                + "exchanges or handshakes waited for one flush)");
        }
        return String.join("; ", parts);
    }

    private ConsoleSummary() {
    }
}
