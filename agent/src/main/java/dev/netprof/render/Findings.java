package dev.netprof.render;

import static dev.netprof.render.Units.nanos;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is worth a look, each with a one-line explanation: leaked connections, connections left half-closed,
 * event loops that block or stall, accept-queue overflows, and bursts of failures by kind and peer.
 */
final class Findings {
    /** closewait='s default: a peer closed (EOF) while the application kept the socket this long. */
    static final long CLOSE_WAIT_NS = 5_000_000_000L;

    /** One finding; the optional fields say what it is about. */
    record Finding(String kind, String explanation, Long connectionId, Long thread, List<String> stack) {
    }

    /** A leaked connection: collected without close, or still open when the JVM exited. */
    record Leak(String kind, Recording.Connection connection, long atNs) {
    }

    static List<Leak> leaks(Recording r) {
        List<Leak> out = new ArrayList<>();
        boolean exited = !r.live && (r.stopReason() == null || r.stopReason().equals("exit"));
        for (Recording.Connection c : r.establishedConnections()) {
            if (c.collectedNs != null) {
                out.add(new Leak("collected-unclosed", c, c.collectedNs));
            } else if (c.closedNs == null && exited) {
                out.add(new Leak("open-at-exit", c, r.stoppedNs));
            }
        }
        return out;
    }

    static List<Finding> of(Recording r, List<EventLoops.Loop> loops) {
        List<Finding> out = new ArrayList<>();
        String note = r.note("closewait");
        long closeWaitNs = note == null ? CLOSE_WAIT_NS : Long.parseLong(note);
        leakFindings(r, out);
        closeWaitFindings(r, closeWaitNs, out);
        for (EventLoops.Loop l : loops) {
            if (!l.ownsItsSelectors()) {
                continue; // another thread of the pool selects meanwhile: its channels do not wait
            }
            if (l.blockingOps() > 0) {
                Recording.Connection c = r.connections.get(l.longestConnection());
                out.add(new Finding("event-loop-blocking-io", "event loop \"" + l.name() + "\" made " + l.blockingOps()
                    + " blocking network call" + (l.blockingOps() > 1 ? "s" : "") + " (java.net.Socket, DNS lookups), " + nanos(l.blockingNs()) + " in all; "
                    + "its other channels wait meanwhile. The longest, " + nanos(l.longestNs()) + " at "
                    + nanos(l.longestAtNs() - r.startedNs) + " into the recording: " + longestCall(r, l, c), c == null
                    ? null : c.id, l.thread(), c == null ? List.of() : r.frames(c.openStack)));
            }
            if (l.busyGaps() > 0) {
                out.add(new Finding("event-loop-busy", "event loop \"" + l.name() + "\" went " + l.busyGaps()
                    + (l.busyGaps() > 1 ? " times" : " time") + " more than " + nanos(EventLoops.BUSY_NS) + " between selects outside network calls "
                    + "while channels were registered with it (the longest, " + nanos(l.maxGapNs()) + ", at " + nanos(l.maxGapAtNs() - r.startedNs) + " into the "
                    + "recording): its handlers' own work, the thread waiting for a CPU (a busy machine, or a tracer "
                    + "stopping the process), or the whole JVM paused (garbage collection; class loading and "
                    + "compilation while it warms up)", null, l.thread(), List.of()));
            }
        }
        if (!r.tlsMisattributed.isEmpty()) {
            List<Long> ids = new ArrayList<>(r.tlsMisattributed);
            List<String> unrecorded = r.notes.getOrDefault("unrecorded", List.of());
            out.add(new Finding("tls-misattributed", "netprof had tied TLS to " + ids.size() + " connection"
                + (ids.size() > 1 ? "s" : "") + " that could not have carried it (#" + ids.get(0)
                + (ids.size() > 1 ? ", ..." : "") + ": more plaintext than ciphertext, or a handshake of the other role), "
                + "and dropped those counts and ties: an SSLEngine over a transport netprof does not record"
                + (unrecorded.isEmpty() ? "" : " (this JVM used " + String.join(", ", unrecorded) + ")")
                + " ran on threads that had last used them", ids.get(0), null, List.of()));
        }
        long overflows = counterDelta(r, "ListenOverflows");
        long drops = counterDelta(r, "ListenDrops");
        if (overflows > 0 || drops > 0) {
            out.add(new Finding("listen-overflow", "accept queues overflowed " + overflows + " times (" + drops
                + " connection attempts dropped) while recording: a server accepts too slowly or its backlog is too "
                + "small (counters of the whole network namespace)", null, null, List.of()));
        }
        // By kind and peer; a server's failures by the endpoint its clients reached (each client has a port of its
        // own), a lookup's by its host. The stack is the group's first failure's.
        Map<String, int[]> failures = new LinkedHashMap<>();
        for (Recording.Failure f : r.errors) {
            if (f.outcome() == Outcome.CLOSED) {
                continue;
            }
            failures.computeIfAbsent(Outcome.name(f.outcome()) + " " + Op.name(f.op()) + "|" + peer(r, f),
                k -> new int[] {0, f.stack()})[0]++;
        }
        failures.forEach((k, n) -> {
            String[] kp = k.split("\\|");
            out.add(new Finding("errors", n[0] + " " + kp[0] + (n[0] > 1 ? " failures" : " failure") + " with "
                + kp[1], null, null, r.frames(n[1])));
        });
        return out;
    }

    private static String peer(Recording r, Recording.Failure f) {
        Recording.Connection c = r.connections.get(f.connectionId());
        if (c != null && c.role == Api.ROLE_SERVER && c.local != null) {
            return "clients of " + c.local;
        }
        if (c != null && c.remote != null) {
            return c.remote;
        }
        return f.op() == Op.DNS_LOOKUP ? r.layerLabel(f.op(), f.exceptionRef()) : "an unknown peer";
    }

    /**
     * Connections the peer closed that the application kept, grouped by where they were last read (or, never read to
     * their end, where they were opened). A connection the application read to its end counts from then or from its
     * own last read or write, whichever came later: a server answering a client that half-closed is using it. One it
     * never read to its end (idle in a pool) is found by the kernel's last view of it, in CLOSE_WAIT.
     */
    private static void closeWaitFindings(Recording r, long closeWaitNs, List<Finding> out) {
        Map<Map.Entry<Boolean, Integer>, List<long[]>> groups = new LinkedHashMap<>(); // {id, held or -1, open}
        for (Recording.Connection c : r.establishedConnections()) {
            if (c.collectedNs != null) {
                continue;
            }
            // CLOSE_WAIT ends when this side sends its own FIN: a close, or a shutdown of its output (after which
            // the end of stream leaves the socket in TIME_WAIT, not CLOSE_WAIT)
            long end = Math.min(c.closedNs != null ? c.closedNs : r.stoppedNs,
                c.outputShutNs != null ? c.outputShutNs : Long.MAX_VALUE);
            boolean open = c.closedNs == null && c.outputShutNs == null;
            if (c.eofAtNs != null) {
                long held = end - Math.max(c.eofAtNs, c.lastTransferNs);
                if (held >= closeWaitNs) {
                    groups.computeIfAbsent(Map.entry(true, c.eofStack), k -> new ArrayList<>())
                        .add(new long[] {c.id, held, open ? 1 : 0});
                }
            } else if (c.kernel != null && !c.kernel.udp() && c.kernel.state() == KernelSocket.CLOSE_WAIT
                && (open || end - c.kernel.atNs() >= closeWaitNs)) {
                groups.computeIfAbsent(Map.entry(false, c.openStack), k -> new ArrayList<>())
                    .add(new long[] {c.id, -1, open ? 1 : 0});
            }
        }
        groups.forEach((k, cs) -> {
            Recording.Connection first = r.connections.get(cs.get(0)[0]);
            List<String> stack = r.frames(k.getValue());
            String which = cs.size() == 1 ? "connection #" + first.id + " to " + first.remote
                : cs.size() + " connections (#" + first.id + " to " + first.remote + ", ...)";
            if (k.getKey()) {
                long held = cs.stream().mapToLong(c -> c[1]).max().orElse(0);
                boolean open = cs.stream().anyMatch(c -> c[2] == 1);
                out.add(new Finding("close-wait", which + ": the peer closed, the application read the end of stream "
                    + "and kept the socket in CLOSE_WAIT " + (open ? "(still open at the end) " : "") + "for up to "
                    + nanos(held) + " after that and its own last read or write; last read at the stack shown",
                    first.id, null, stack));
            } else {
                out.add(new Finding("close-wait", which + ": in CLOSE_WAIT when the kernel last looked: the peer "
                    + "closed, and the application never read to the end of the stream (idle in a pool that did not "
                    + "check it?); opened at " + (stack.isEmpty() ? "an unknown stack" : firstApplicationFrame(stack)),
                    first.id, null, stack));
            }
        });
    }

    /** What the loop's longest blocking call was: its op and peer, and where the connection was opened. */
    private static String longestCall(Recording r, EventLoops.Loop l, Recording.Connection c) {
        if (c == null) {
            return "a DNS lookup of " + l.longestHost();
        }
        List<String> stack = r.frames(c.openStack);
        return "a " + Op.name(l.longestOp()) + " on connection #" + c.id + " to " + c.remote + ", opened at "
            + (stack.isEmpty() ? "an unknown stack" : firstApplicationFrame(stack));
    }

    private static void leakFindings(Recording r, List<Finding> out) {
        // One finding per kind of leak and place: a place may leak both ways, and each count says which.
        // Of those open at the exit, how many held bytes the application never read (a response not consumed)
        // in the kernel's last view; the others were idle (a pool's, say).
        Map<Map.Entry<String, List<String>>, int[]> byKindAndStack = new LinkedHashMap<>();
        for (Leak l : leaks(r)) {
            KernelSocket k = l.connection().kernel;
            int[] n = byKindAndStack.computeIfAbsent(Map.entry(l.kind(), r.frames(l.connection().openStack)),
                key -> new int[2]);
            n[0]++;
            n[1] += k != null && k.receiveQueue() > 0 ? 1 : 0;
        }
        long hooksRunning = r.shutdownHooksRunning();
        String atExit = "still open when the JVM exited" + (hooksRunning == 0 ? ""
            : " (netprof stopped after waiting " + nanos(r.hookWaitNs()) + " for the application's shutdown hooks, "
            + hooksRunning + " of which still ran: they may have closed it later)");
        byKindAndStack.forEach((k, n) -> {
            List<String> stack = k.getValue();
            boolean exit = k.getKey().equals("open-at-exit");
            out.add(new Finding("leak", n[0] + " connection" + (n[0] > 1 ? "s" : "") + " "
                + (exit ? atExit : "garbage collected without being closed")
                + ", opened at " + (stack.isEmpty() ? "an unknown stack" : firstApplicationFrame(stack))
                + (exit && n[1] > 0 ? "; " + n[1] + " of them held bytes the application never read (a response "
                + "or request not consumed?)" : ""), null, null, stack));
        });
    }

    /** The first frame outside the JDK: where the application asked for the connection. */
    static String firstApplicationFrame(List<String> stack) {
        for (String f : stack) {
            if (!(f.startsWith("java.") || f.startsWith("javax.") || f.startsWith("sun.") || f.startsWith("jdk."))) {
                return f;
            }
        }
        return stack.get(0);
    }

    static long counterDelta(Recording r, String name) {
        Long last = r.lastCounters.get(name);
        Long first = r.firstCounters.get(name);
        return last == null || first == null ? 0 : last - first;
    }

    private Findings() {
    }
}
