package dev.netprof.bench;

import java.net.InetAddress;
import java.util.Locale;

/**
 * One loopback workload in a child JVM, timed by itself: client and server in this JVM on 127.0.0.1, a warm-up,
 * then a measured phase, then exactly one line {@code result <name> <rate>} on stdout. {@link LoopbackBenchmark}
 * starts one of these per run, with or without a profiler, and compares the rates.
 *
 * <pre>
 *   LoopbackWorkload pingpong|nio|bulk|http|tls &lt;warmupSeconds&gt; &lt;measureSeconds&gt;
 * </pre>
 * Rates are round trips/s for the ping-pongs (64 bytes each way), GET/s for http, and MiB/s for bulk (64 KiB
 * writes).
 */
public final class LoopbackWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        String name = args[0];
        long warmupNs = (long) (Double.parseDouble(args[1]) * 1e9);
        long measureNs = (long) (Double.parseDouble(args[2]) * 1e9);
        try (Workload w = open(name)) {
            run(w, warmupNs);
            long start = System.nanoTime();
            long units = run(w, measureNs);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "result %s %.1f%n", name, units / w.unitsPerReported() / seconds);
        }
    }

    static Workload open(String name) throws Exception {
        switch (name) {
            case "pingpong":
                return StreamPingPong.plain();
            case "nio":
                return new ChannelPingPong();
            case "bulk":
                return new BulkTransfer();
            case "http":
                return new HttpGets();
            case "tls":
                return StreamPingPong.tls();
            default:
                throw new IllegalArgumentException("no workload " + name + "; pingpong, nio, bulk, http or tls");
        }
    }

    /** What a workload's rate counts. */
    static String unit(String name) {
        switch (name) {
            case "pingpong":
            case "nio":
            case "tls":
                return "round trips/s";
            case "bulk":
                return "MiB/s";
            case "http":
                return "GET/s";
            default:
                throw new IllegalArgumentException("no workload " + name + "; pingpong, nio, bulk, http or tls");
        }
    }

    /** Steps {@code w} for {@code ns}; returns the units done. */
    private static long run(Workload w, long ns) throws Exception {
        long until = System.nanoTime() + ns;
        long units = 0;
        while (System.nanoTime() < until) {
            units += w.step();
        }
        return units;
    }

    private LoopbackWorkload() {
    }
}
