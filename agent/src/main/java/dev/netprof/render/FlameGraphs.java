package dev.netprof.render;

import dev.netprof.event.Op;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final Recording r;
    private final FlameAggregator sums;
    final Map<String, Long> time = new LinkedHashMap<>();
    final Map<String, Long> bytes = new LinkedHashMap<>();
    /** Sampled stacks that stand for operations netprof did not take a stack of; 0 when nothing was scaled. */
    long scaledFromSamples;

    FlameGraphs(Recording r, FlameAggregator sums) {
        this.r = r;
        this.sums = sums;
        build();
    }

    private void build() {
        // Grouped by connection, op and label: a host's unsampled lookups or exchanges are spread only over stacks
        // sampled for that same host, never over another's.
        Map<FlameAggregator.Key, List<Map.Entry<FlameAggregator.Key, long[]>>> groups = new HashMap<>();
        for (Map.Entry<FlameAggregator.Key, long[]> e : sums.sums.entrySet()) {
            FlameAggregator.Key k = e.getKey();
            long[] s = e.getValue();
            Long nested = sums.nested.get(k);
            if (nested != null) {
                s[0] = Math.max(0, s[0] - nested); // a layer's own time: what nested inside is counted there
                s[3] = Math.min(s[3], s[0]); // so is its slow part: what is left of a slow one is slow
            }
            groups.computeIfAbsent(new FlameAggregator.Key(0, k.op(), k.connection(), k.label()),
                g -> new ArrayList<>()).add(e);
        }
        Map<FlameAggregator.Key, Map<Integer, long[]>> bySite = sampledBySite(groups);
        for (List<Map.Entry<FlameAggregator.Key, long[]>> group : groups.values()) {
            Map<Integer, long[]> site = bySite.get(siteOf(group.get(0).getKey()));
            spread(group, site, 0, time);
            spread(group, site, 1, bytes);
        }
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
            Map<FlameAggregator.Key, List<Map.Entry<FlameAggregator.Key, long[]>>> groups) {
        Map<FlameAggregator.Key, Map<Integer, long[]>> sums = new HashMap<>();
        for (List<Map.Entry<FlameAggregator.Key, long[]>> group : groups.values()) {
            FlameAggregator.Key site = siteOf(group.get(0).getKey());
            for (Map.Entry<FlameAggregator.Key, long[]> e : group) {
                if (site != null && e.getKey().stack() != 0) {
                    long[] sum = sums.computeIfAbsent(site, k -> new LinkedHashMap<>())
                        .computeIfAbsent(e.getKey().stack(), k -> new long[6]);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += e.getValue()[i];
                    }
                }
            }
        }
        return sums;
    }

    /**
     * Adds one (connection, op, label) group's weights (0 time, 1 bytes) to {@code out}. What the unsampled fast
     * operations weigh is shared over the sampled stacks by what each moved in fast operations, the unsampled slow
     * ones' by what each moved in slow operations (see {@link #share}); over the stacks sampled at its {@code site}
     * when the group has none of its own.
     */
    private void spread(List<Map.Entry<FlameAggregator.Key, long[]>> group, Map<Integer, long[]> site, int what,
                        Map<String, Long> out) {
        long unsampledFast = 0;
        long unsampledSlow = 0;
        List<long[]> sampled = new ArrayList<>();
        List<FlameAggregator.Key> keys = new ArrayList<>();
        for (Map.Entry<FlameAggregator.Key, long[]> e : group) {
            long[] s = e.getValue();
            if (e.getKey().stack() == 0) {
                unsampledFast += s[what] - s[3 + what];
                unsampledSlow += s[3 + what];
            } else {
                sampled.add(s);
                keys.add(e.getKey());
            }
        }
        long[] weights = new long[sampled.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = sampled.get(i)[what];
        }
        FlameAggregator.Key groupKey = group.get(0).getKey();
        if (sampled.isEmpty() && site != null) {
            site.forEach((stack, sum) -> {
                sampled.add(sum);
                keys.add(new FlameAggregator.Key(stack, groupKey.op(), groupKey.connection(), groupKey.label()));
            });
            weights = new long[sampled.size()]; // the site's own weights are drawn with their own connections
        }
        long notShared = share(sampled, what, false, unsampledFast, weights)
            + share(sampled, what, true, unsampledSlow, weights);
        add(out, NO_STACK, groupKey, notShared);
        for (int i = 0; i < weights.length; i++) {
            add(out, javaFrames(keys.get(i).stack()), keys.get(i), weights[i]);
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

    private void add(Map<String, Long> out, String frames, FlameAggregator.Key k, long weight) {
        if (weight <= 0) {
            return;
        }
        Recording.Connection c = r.connections.get(k.connection());
        String peer = c == null || c.remote == null ? "unknown" : c.remote;
        String label = r.layerLabel(k.op(), k.label());
        String op = label != null ? Op.name(k.op()) + " " + label : Op.name(k.op());
        out.merge(frames + ";[" + op + "];[peer " + peer + "]", weight, Long::sum);
    }

    /** A captured stack as folded frames: outermost first, {@code pkg/Class.method} (lines merged). */
    private String javaFrames(int stack) {
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
        StringBuilder collapsed = new StringBuilder();
        for (Map.Entry<String, Long> e : folded.entrySet()) {
            collapsed.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        Files.writeString(dir.resolve(name + ".collapsed"), collapsed, StandardCharsets.UTF_8);
        Arguments args = new Arguments();
        args.title = title;
        FlameGraph fg = new FlameGraph(args);
        fg.parseCollapsed(new StringReader(collapsed.toString()));
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".html"))) {
            fg.dump(out);
        }
    }

    static long total(Map<String, Long> folded) {
        long t = 0;
        for (long w : folded.values()) {
            t += w;
        }
        return t;
    }
}
