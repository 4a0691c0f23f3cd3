package dev.netprof.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One loopback workload in a child JVM, timed by itself: client and server in this JVM on 127.0.0.1, a warm-up
 * that lasts at least {@code warmupSeconds} and until the JIT has settled, then a measured phase, then exactly one
 * line {@code result <name> <rate> ...} on stdout ({@link #measure}). {@link LoopbackBenchmark} starts one of these
 * per run, with or without a profiler, and compares the rates. With {@code sliced}, the child prints {@link #READY}
 * once warmed up, then measures one phase and prints its result line for each line it reads on stdin, until stdin
 * ends.
 *
 * <pre>
 *   LoopbackWorkload pingpong|nio|bulk|http|tls|connect|connect-deep &lt;warmupSeconds&gt; &lt;measureSeconds&gt;
 *       [sliced]
 * </pre>
 * Rates are round trips/s for the ping-pongs (64 bytes each way), GET/s for http, MiB/s for bulk (64 KiB writes)
 * and connections/s for connect (a connection per 64-byte request) and connect-deep (the same, both ends
 * {@value #DEEP_STACK} frames down).
 */
public final class LoopbackWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String NAMES = "pingpong, nio, bulk, http, tls, connect or connect-deep";
    /** How far down connect-deep's ends run: a web framework's request thread, between 100 and 300 frames. */
    static final int DEEP_STACK = 200;
    /** What a sliced child prints once warmed up, before it waits for its first turn. */
    static final String READY = "ready";
    /**
     * What a child prints, before {@link #READY} or its result line, when its warm-up gave up at
     * {@link #MAX_WARMUP_NS} with the JIT still compiling: its turns are then measured unsettled, and the report says
     * so rather than mixing them in silently.
     */
    static final String UNSETTLED = "unsettled";
    /**
     * Warm-up goes on until the JIT's compiler threads used less than this many ms of CPU in each of the last
     * {@link #SETTLED_SECONDS} seconds. On the one pinned CPU the compiler threads take the workload's CPU: the HTTP
     * workload's JDK 17 compilations alone used ~370 ms of every second for its first ~17 s, halving its rate, and an
     * agent's own compilations took a TLS child's CPU until ~6 s. A fixed warm-up measured that, differently for
     * every config.
     */
    static final long SETTLED_COMPILE_MS_PER_S = 20;
    /**
     * One quiet second can be a lull: an HTTP child on JDK 25 with netprof compiled at 12-88 ms a second (5 s
     * averages) from 25 s to 45 s, the HTTP client's methods deoptimized and compiled again and netprof's rarely run
     * paths reaching C2. Measured after one quiet second, the JIT's threads took 4.8-6.0% of the samples in each of
     * four HTTP turns with netprof ({@link RecorderCpuShare}, JDK 17 and 25); after three, 0.6-5.6%.
     */
    static final int SETTLED_SECONDS = 3;
    static final long MAX_WARMUP_NS = 60_000_000_000L;

    public static void main(String[] args) throws Exception {
        String name = args[0];
        long warmupNs = (long) (Double.parseDouble(args[1]) * 1e9);
        long measureNs = (long) (Double.parseDouble(args[2]) * 1e9);
        boolean sliced = args.length > 3 && args[3].equals("sliced");
        try (Workload w = open(name)) {
            run(w, warmupNs);
            if (sliced) {
                // A rehearsal turn, so what a turn's bookkeeping loads is loaded before the JIT settles: the first
                // result line's formatting loaded classes that invalidated compiled code (ThreadLocal.get among
                // it, so also the recording path inlined into the JDK's socket methods), and the second turn
                // of each TLS child with netprof watched then ran at a third of its rate while C2 recompiled.
                measure(w, name, 1_000_000_000L);
            }
            if (!settle(w)) {
                System.out.println(UNSETTLED);
            }
            if (!sliced) {
                measure(w, name, measureNs);
                return;
            }
            System.out.println(READY);
            System.out.flush();
            BufferedReader turns = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            while (turns.readLine() != null) {
                measure(w, name, measureNs);
            }
        }
    }

    /**
     * One measured phase: steps {@code w} for {@code ns} and prints {@code result <name> <rate> <units> <user>
     * <system>}, the last two this process's CPU time (all threads, clock ticks) over exactly the measured steps:
     * read from outside, they would also take in what a sliced child's JIT and recorder threads do on the CPU while
     * it waits for its next turn and before it is stopped.
     */
    private static void measure(Workload w, String name, long ns) throws Exception {
        long[] cpu = cpuTicks();
        long start = System.nanoTime();
        long units = run(w, ns);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] after = cpuTicks();
        System.out.printf(Locale.ROOT, "result %s %.1f %.1f %d %d%n", name, units / w.unitsPerReported() / seconds,
            units / w.unitsPerReported(), after[0] - cpu[0], after[1] - cpu[1]);
        System.out.flush();
    }

    /** This process's user and system CPU time so far, in clock ticks ({@code /proc/self/stat}). */
    private static long[] cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // After the command name in parentheses: state first, then utime and stime as the 12th and 13th fields.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
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
            case "connect":
                return new ConnectPerRequest(0);
            case "connect-deep":
                return new ConnectPerRequest(DEEP_STACK);
            default:
                throw new IllegalArgumentException("no workload " + name + "; " + NAMES);
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
            case "connect":
            case "connect-deep":
                return "connections/s";
            default:
                throw new IllegalArgumentException("no workload " + name + "; " + NAMES);
        }
    }

    /**
     * Steps {@code w} a second at a time until the JIT's compiler threads used less than
     * {@link #SETTLED_COMPILE_MS_PER_S} of CPU in each of the last {@link #SETTLED_SECONDS}, or for at most
     * {@link #MAX_WARMUP_NS}. Their CPU time, not the JVM's compilation time, which counts a compilation when it
     * ends: the HTTP workload's C2 compilations take up to 1.5 s each on the one CPU, so a second spent inside one
     * read as settled, and in 10 of 18 HTTP turns measured with netprof (4 of 18 without an agent) C2 then took
     * 25-54% of the CPU for the whole turn. Returns whether the JIT settled.
     */
    private static boolean settle(Workload w) throws Exception {
        long deadline = System.nanoTime() + MAX_WARMUP_NS;
        Map<String, TaskCpu> before = TaskCpu.of("self");
        int quiet = 0;
        while (System.nanoTime() < deadline) {
            run(w, 1_000_000_000L);
            Map<String, TaskCpu> now = TaskCpu.of("self");
            boolean quietSecond = TaskCpu.nsSince(before, now, t -> TaskCpu.isCompiler(t.name()))
                < SETTLED_COMPILE_MS_PER_S * 1_000_000L;
            quiet = quietSecond ? quiet + 1 : 0;
            if (quiet == SETTLED_SECONDS) {
                return true;
            }
            before = now;
        }
        return false;
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
