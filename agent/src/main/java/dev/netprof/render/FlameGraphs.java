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
 * <p>Each stack is the Java stack (outermost first) then {@code [op]} then {@code [peer host:port]}. Slow operations
 * and connects, accepts, closes and failures carry their own stack. Fast reads and writes are sampled: the time and
 * bytes of the unsampled ones of a connection and op are spread over that connection's sampled stacks for the op,
 * in proportion to what each sampled stack moved, so each (connection, op, label) adds up to exactly what it recorded.
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
            }
            groups.computeIfAbsent(new FlameAggregator.Key(0, k.op(), k.connection(), k.label()),
                g -> new ArrayList<>()).add(e);
        }
        for (List<Map.Entry<FlameAggregator.Key, long[]>> group : groups.values()) {
            spread(group, 0, time);
            spread(group, 1, bytes);
        }
    }

    /** Adds one (connection, op, label) group's weights (0 time, 1 bytes) to {@code out}, scaling the unsampled. */
    private void spread(List<Map.Entry<FlameAggregator.Key, long[]>> group, int what, Map<String, Long> out) {
        long unsampled = 0;
        long sampledFast = 0;
        long sampledFastOps = 0;
        List<Map.Entry<FlameAggregator.Key, long[]>> sampled = new ArrayList<>();
        for (Map.Entry<FlameAggregator.Key, long[]> e : group) {
            long[] s = e.getValue();
            if (e.getKey().stack() == 0) {
                unsampled += s[what];
            } else {
                sampled.add(e);
                sampledFast += s[what] - s[3 + what];
                sampledFastOps += s[2] - s[5];
            }
        }
        FlameAggregator.Key any = group.get(0).getKey();
        if (sampled.isEmpty()) {
            add(out, NO_STACK, any, unsampled);
            return;
        }
        if (unsampled > 0 && what == 0) {
            scaledFromSamples += sampledFastOps;
        }
        // Share the unsampled weight by what each sampled stack moved fast; by sampled count if that is all zero.
        boolean byWeight = sampledFast > 0;
        long basis = byWeight ? sampledFast : sampledFastOps;
        if (basis == 0) {
            add(out, NO_STACK, any, unsampled);
            unsampled = 0;
            basis = 1;
        }
        long[] own = new long[sampled.size()];
        int largest = 0;
        for (int i = 0; i < own.length; i++) {
            long[] s = sampled.get(i).getValue();
            own[i] = byWeight ? s[what] - s[3 + what] : s[2] - s[5];
            if (own[i] > own[largest]) {
                largest = i;
            }
        }
        long[] shares = new long[own.length];
        long given = 0;
        for (int i = 0; i < own.length; i++) {
            shares[i] = (long) ((double) unsampled * own[i] / basis);
            given += shares[i];
        }
        shares[largest] += unsampled - given;
        for (int i = 0; i < shares.length; i++) {
            Map.Entry<FlameAggregator.Key, long[]> e = sampled.get(i);
            add(out, javaFrames(e.getKey().stack()), e.getKey(), e.getValue()[what] + shares[i]);
        }
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
            ? " (fast reads/writes scaled from " + scaledFromSamples + " sampled stacks)" : "";
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
