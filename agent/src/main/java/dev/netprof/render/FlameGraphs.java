package dev.netprof.render;

import dev.netprof.event.Op;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import one.convert.Arguments;
import one.convert.FlameGraph;

/**
 * flame-time and flame-bytes, as folded stacks ({@code .collapsed}) and as async-profiler's HTML flame graph.
 *
 * <p>Each stack is the Java stack (outermost first) then {@code [op]} then {@code [peer host:port]}. Connects,
 * accepts and failures carry their own stack. Reads, writes and closes are sampled, slow ones at a pace of their own:
 * the time and bytes of the unsampled ones of a connection and op are spread over that connection's sampled stacks
 * for the op, in proportion to what each sampled stack moved in operations as fast or as slow, so each (connection,
 * op, label) adds up to exactly what it recorded. A connection with no sampled stack for the op (past the first few
 * opened from one place, connections take a stack only when sampled) has its weight spread the same way over the
 * stacks sampled for that op on the connections opened from the same stack, still under its own op and peer.
 */
final class FlameGraphs {
    static final String NO_STACK = "[stack not captured]";
    /** Sums in (connection, op, label) groups, each group's stacks in order, so a group is a run of the list. */
    private static final Comparator<Map.Entry<FlameAggregator.Key, long[]>> GROUPED = Comparator
        .comparingLong((Map.Entry<FlameAggregator.Key, long[]> e) -> e.getKey().connection())
        .thenComparingInt(e -> e.getKey().op())
        .thenComparingInt(e -> e.getKey().label())
        .thenComparingInt(e -> e.getKey().stack());

    private final Recording r;
    final Map<String, Long> time;
    final Map<String, Long> bytes;
    /** Each stack's folded frames, built once: a stack stands in the graphs once per connection that sampled it. */
    private final Map<Integer, String> foldedStacks = new HashMap<>();
    /** Sampled stacks that stand for operations netprof did not take a stack of; 0 when nothing was scaled. */
    long scaledFromSamples;

    /** Builds both graphs from {@code sums}, and empties it: the rest of a render needs that heap back. */
    FlameGraphs(Recording r, FlameAggregator sums) {
        this.r = r;
        Map<Line, long[]> lines = new LinkedHashMap<>();
        build(sums, lines);
        time = foldedLines(lines, 0);
        bytes = foldedLines(lines, 1);
    }

    /**
     * A flame graph line before it is a string: folded frames (one instance per stack, its hash computed once), op
     * with its label, and peer, so summing a connection's weights hashes no long string.
     */
    private record Line(String frames, String op, String peer) {
    }

    private void build(FlameAggregator sums, Map<Line, long[]> lines) {
        List<Map.Entry<FlameAggregator.Key, long[]>> entries = new ArrayList<>(sums.sums.entrySet());
        for (Map.Entry<FlameAggregator.Key, long[]> e : entries) {
            long[] s = e.getValue();
            Long nested = sums.nested.get(e.getKey());
            if (nested != null) {
                s[0] = Math.max(0, s[0] - nested); // a layer's own time: what nested inside is counted there
                s[3] = Math.min(s[3], s[0]); // so is its slow part: what is left of a slow one is slow
            }
        }
        // The entries (key and sums) live on in the list until the graphs are built; the maps' own nodes go now.
        sums.sums.clear();
        sums.nested.clear();
        // Grouped by connection, op and label: a host's unsampled lookups or exchanges are spread only over stacks
        // sampled for that same host, never over another's. Sorted so that each group is a run of the list: a map
        // of groups cost a render ~150 bytes per group, and a connection-per-request recording has millions.
        entries.sort(GROUPED);
        Map<FlameAggregator.Key, Map<Integer, long[]>> bySite = sampledBySite(entries);
        forEachGroup(entries, group -> {
            // Every line of a group has its op and peer: worked out once for both graphs.
            FlameAggregator.Key k = group.get(0).getKey();
            Map<Integer, long[]> site = bySite.get(siteOf(k));
            Recording.Connection c = r.connections.get(k.connection());
            String peer = c == null || c.remote == null ? "unknown" : frameText(c.remote);
            String label = r.layerLabel(k.op(), k.label());
            String op = label != null ? Op.name(k.op()) + " " + frameText(label) : Op.name(k.op());
            spread(group, site, 0, op, peer, lines);
            spread(group, site, 1, op, peer, lines);
        });
    }

    /** Each run of {@code entries} (sorted {@link #GROUPED}) with one connection, op and label. */
    private static void forEachGroup(List<Map.Entry<FlameAggregator.Key, long[]>> entries,
                                     Consumer<List<Map.Entry<FlameAggregator.Key, long[]>>> action) {
        for (int from = 0, to; from < entries.size(); from = to) {
            FlameAggregator.Key first = entries.get(from).getKey();
            to = from + 1;
            while (to < entries.size() && sameGroup(first, entries.get(to).getKey())) {
                to++;
            }
            action.accept(entries.subList(from, to));
        }
    }

    private static boolean sameGroup(FlameAggregator.Key a, FlameAggregator.Key b) {
        return a.connection() == b.connection() && a.op() == b.op() && a.label() == b.label();
    }

    /** A (connection, op, label) group's site: its connection's open stack, op and label; null without one. */
    private FlameAggregator.Key siteOf(FlameAggregator.Key k) {
        Recording.Connection c = r.connections.get(k.connection());
        return c == null || c.openStack == 0 ? null : new FlameAggregator.Key(c.openStack, k.op(), 0, k.label());
    }

    /**
     * Per site, its sampled stacks with what each moved summed over the site's connections: one entry per distinct
     * stack, so spreading a connection over its site costs the site's stacks, not its connections.
     */
    private Map<FlameAggregator.Key, Map<Integer, long[]>> sampledBySite(
            List<Map.Entry<FlameAggregator.Key, long[]>> entries) {
        Map<FlameAggregator.Key, Map<Integer, long[]>> sums = new HashMap<>();
        for (Map.Entry<FlameAggregator.Key, long[]> e : entries) {
            if (e.getKey().stack() == 0) {
                continue;
            }
            FlameAggregator.Key site = siteOf(e.getKey());
            if (site != null) {
                long[] sum = sums.computeIfAbsent(site, k -> new LinkedHashMap<>())
                    .computeIfAbsent(e.getKey().stack(), k -> new long[6]);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += e.getValue()[i];
                }
            }
        }
        return sums;
    }

    /**
     * Adds one (connection, op, label) group's weights (0 time, 1 bytes) to {@code out}, as lines of its {@code op}
     * and {@code peer}. What the unsampled fast
     * operations weigh is shared over the sampled stacks by what each moved in fast operations, the unsampled slow
     * ones' by what each moved in slow operations (see {@link #share}); over the stacks sampled at its {@code site}
     * when the group has none of its own.
     */
    private void spread(List<Map.Entry<FlameAggregator.Key, long[]>> group, Map<Integer, long[]> site, int what,
                        String op, String peer, Map<Line, long[]> out) {
        long unsampledFast = 0;
        long unsampledSlow = 0;
        List<long[]> sampled = new ArrayList<>();
        List<Integer> stacks = new ArrayList<>();
        for (Map.Entry<FlameAggregator.Key, long[]> e : group) {
            long[] s = e.getValue();
            if (e.getKey().stack() == 0) {
                unsampledFast += s[what] - s[3 + what];
                unsampledSlow += s[3 + what];
            } else {
                sampled.add(s);
                stacks.add(e.getKey().stack());
            }
        }
        long[] weights = new long[sampled.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = sampled.get(i)[what];
        }
        if (sampled.isEmpty() && site != null) {
            site.forEach((stack, sum) -> {
                sampled.add(sum);
                stacks.add(stack);
            });
            weights = new long[sampled.size()]; // the site's own weights are drawn with their own connections
        }
        long notShared = share(sampled, what, false, unsampledFast, weights)
            + share(sampled, what, true, unsampledSlow, weights);
        add(out, new Line(NO_STACK, op, peer), what, notShared);
        for (int i = 0; i < weights.length; i++) {
            add(out, new Line(javaFrames(stacks.get(i)), op, peer), what, weights[i]);
        }
    }

    /**
     * Adds {@code amount} to {@code weights} in proportion to what each sampled stack moved in operations of the
     * same speed ({@code slow} or fast); by their count if they moved nothing; failing both, like the operations of
     * the other speed. Slow and fast operations are sampled at paces of their own and often take different paths
     * (a read waiting for the next request, a read of the rest of it). Returns what had nothing to go to.
     */
    private long share(List<long[]> sampled, int what, boolean slow, long amount, long[] weights) {
        if (amount == 0) {
            return 0;
        }
        for (boolean sameSpeed : new boolean[] {true, false}) {
            boolean asSlow = sameSpeed == slow;
            for (boolean byCount : new boolean[] {false, true}) {
                long[] basis = new long[sampled.size()];
                long total = 0;
                long ops = 0;
                int largest = 0;
                for (int i = 0; i < basis.length; i++) {
                    long[] s = sampled.get(i);
                    long slowOps = s[5];
                    basis[i] = byCount ? (asSlow ? slowOps : s[2] - slowOps)
                        : (asSlow ? s[3 + what] : s[what] - s[3 + what]);
                    total += basis[i];
                    ops += asSlow ? slowOps : s[2] - slowOps;
                    largest = basis[i] > basis[largest] ? i : largest;
                }
                if (total == 0) {
                    continue;
                }
                long given = 0;
                for (int i = 0; i < basis.length; i++) {
                    long part = (long) ((double) amount * basis[i] / total);
                    weights[i] += part;
                    given += part;
                }
                weights[largest] += amount - given;
                if (what == 0) {
                    scaledFromSamples += ops;
                }
                return 0;
            }
        }
        return amount;
    }

    private static void add(Map<Line, long[]> out, Line line, int what, long weight) {
        if (weight > 0) {
            out.computeIfAbsent(line, l -> new long[2])[what] += weight;
        }
    }

    /**
     * One graph's folded lines, in the order the lines were first added. Two lines can fold to one string (stacks
     * that differ only in line numbers), so they are summed again here.
     */
    private static Map<String, Long> foldedLines(Map<Line, long[]> lines, int what) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<Line, long[]> e : lines.entrySet()) {
            long weight = e.getValue()[what];
            if (weight > 0) {
                Line l = e.getKey();
                out.merge(l.frames() + ";[" + l.op() + "];[peer " + l.peer() + "]", weight, Long::sum);
            }
        }
        return out;
    }

    /**
     * Text from outside the JVM (a host name, a request's target, a handshake's error) as one frame: a line break
     * would split the folded line (and the render with it), a ';' the frame, and "</script" would end the flame
     * graph's script early, in which a name is quoted but not HTML-escaped.
     */
    static String frameText(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char safe = c < ' ' || c == 0x7f ? ' ' : c == ';' ? ',' : c == '<' ? '\u2039' : c;
            if (safe != c && b == null) {
                b = new StringBuilder(s);
            }
            if (b != null) {
                b.setCharAt(i, safe);
            }
        }
        return b == null ? s : b.toString();
    }

    /** A captured stack as folded frames: outermost first, {@code pkg/Class.method} (lines merged). */
    private String javaFrames(int stack) {
        return foldedStacks.computeIfAbsent(stack, this::fold);
    }

    private String fold(int stack) {
        List<String> frames = r.frames(stack);
        if (frames.isEmpty()) {
            return NO_STACK;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = frames.size() - 1; i >= 0; i--) {
            String f = frames.get(i);
            int colon = f.lastIndexOf(':');
            String method = colon > 0 ? f.substring(0, colon) : f;
            int dot = method.lastIndexOf('.');
            String cls = dot > 0 ? method.substring(0, dot).replace('.', '/') : method;
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(cls).append(dot > 0 ? method.substring(dot) : "").append("_[j]");
        }
        return sb.toString();
    }

    void write(Path dir) throws IOException {
        String scaled = scaledFromSamples > 0
            ? " (reads/writes scaled from " + scaledFromSamples + " sampled stacks)" : "";
        write(dir, "flame-time", time, "netprof: nanoseconds blocked in network calls" + scaled);
        write(dir, "flame-bytes", bytes, "netprof: bytes moved by network calls" + scaled);
    }

    static void write(Path dir, String name, Map<String, Long> folded, String title) throws IOException {
        // Streamed to the file and parsed back from it: a connection-per-request recording folds to tens of MB.
        Path collapsed = dir.resolve(name + ".collapsed");
        try (Writer w = Files.newBufferedWriter(collapsed, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Long> e : folded.entrySet()) {
                w.append(e.getKey()).append(' ').append(Long.toString(e.getValue())).append('\n');
            }
        }
        Arguments args = new Arguments();
        args.title = title;
        FlameGraph fg = new FlameGraph(args);
        try (Reader in = Files.newBufferedReader(collapsed, StandardCharsets.UTF_8)) {
            fg.parseCollapsed(in);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".html"))) {
            fg.dump(out);
        }
    }
}
