package dev.netprof.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import one.profiler.AsyncProfiler;

/**
 * What share of the one pinned CPU a recorder's own code takes, read from async-profiler's samples rather than from
 * throughput: where a workload's rate does not hold still between JVMs (bulk transfer on one CPU settles at one of
 * two rates per JVM, and it looks per compilation of its loop), the ratio of rates cannot resolve a 1% budget; the
 * CPU a recorder spends in its own code can be counted. It is a lower bound on what the recorder costs: what its work
 * takes from the application's own code indirectly (the caches it shares, a switch to its thread) is not counted.
 * Where the configs' rates under the profiler differ, compare the recorder's CPU per unit of work rather than its
 * share: a recorder whose run went slower spent fewer events per second (HTTP's rates moved threefold between runs
 * while the warm-up still let C2 compile into the turns).
 *
 * <p>Each run is a fresh child of {@link LoopbackWorkload}, warmed up as the benchmark's are; async-profiler (see
 * {@link #sampling}) is loaded into it for exactly one measured turn of {@code --seconds}. The child runs with
 * {@code -XX:+DebugNonSafepoints} from the start: loaded later, async-profiler turns it on only for methods compiled
 * after, and in code compiled before it the JDK's own copy out of a read (a stub called from a socket method into
 * which the advice is inlined) was attributed to netprof's recorder, 8% of the CPU.
 *
 * <p>A sample is the recorder's when its thread is the recorder's (netprof's flusher and kernel view, JFR's
 * threads), when a frame is the recorder's code (netprof's {@code dev.netprof} packages but this benchmark's,
 * JFR's {@code jdk.jfr} and {@code jdk.internal.event} and HotSpot's {@code Jfr}), or when it is a clock read that
 * is not the workload's own (the advice's entry clock is inlined into the JDK's socket methods; JFR times its
 * events the same way). Under {@code none} the same rules count what they would mistake for a recorder's.
 *
 * <p>The warm-up waits for the JIT's compiler threads to go quiet, which does not wait for code that runs rarely:
 * netprof hands a full buffer over once per 256 events, 200-300 times a second on bulk, and that path stays C1-compiled
 * for the first 30-60 s, its queue operations costing a few µs each (~0.2% of the CPU on bulk with JDK 17). After a
 * 60 s warm-up netprof's whole share read 0.3-0.4 points lower: {@code --warmup 60} measures the steady state an
 * application recording for minutes pays.
 *
 * <pre>
 *   integration-tests/bench.sh run RecorderCpuShare             # bulk, none,netprof,jfr-nostacks, 3 runs of 8 s
 *   integration-tests/bench.sh run RecorderCpuShare --warmup 60 # the same at steady state
 *   integration-tests/bench.sh run RecorderCpuShare --workloads pingpong,tls --event itimer --seconds 20
 * </pre>
 * Takes {@link LoopbackBenchmark}'s options ({@code --rounds} is the runs per config, each a fresh JVM; {@code
 * --method} and {@code --rounds-per-jvm} do not apply); the table goes to stdout and {@code --out}, each run's
 * collapsed stacks next to it.
 */
public final class RecorderCpuShare {
    static final String USAGE = "usage: RecorderCpuShare [--jdks 17,25] [--workloads bulk] [--configs none,netprof,"
        + "jfr-nostacks] [--rounds 3] [--warmup 4] [--seconds 8] [--event cpu|itimer]"
        + " [--out target/recorder-cpu-share.md]";
    private static final String PROFILER_LIBRARY = "linux-x64/libasyncProfiler.so";
    private static final String WORKLOAD_CLOCK = "dev/netprof/bench/LoopbackWorkload.run";
    private static final String OWN_PACKAGES = "dev/netprof/";
    private static final String BENCH_PACKAGE = "dev/netprof/bench/";
    /** The CPU's counter as netprof's own library reads it, where the JVM does not (its JNI frame). */
    private static final String OWN_COUNTER = "dev/netprof/nativeprof/layer/TimeStampCounter.read";

    /** One run's samples: all of them, the recorder's, and the parts of those worth naming. */
    record Share(long samples, long recorder, long threads, long clocks, long stacks, long jit, double rate) {
        double percent(long part) {
            return 100.0 * part / samples;
        }

        /**
         * The recorder's CPU per unit of work, in µs: a sample stands for {@code intervalNs} of the process's CPU.
         * Unlike the share, it does not favour a recorder whose run went slower, spending fewer events per second.
         */
        double microsPerUnit(Sampling sampling, double seconds) {
            return recorder * sampling.intervalNs / 1e3 / (rate * seconds);
        }
    }

    /** async-profiler's options, and the process CPU time one sample stands for. */
    record Sampling(String options, long intervalNs) {
    }

    public static void main(String[] args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--workloads", "bulk", "--configs", "none,netprof,jfr-nostacks",
            "--rounds", "3", "--seconds", "8", "--out", "target/recorder-cpu-share.md"));
        all.addAll(Arrays.asList(args));
        Sampling sampling = LoopbackBenchmark.orUsage(USAGE, () -> sampling(all)); // takes --event out of all
        LoopbackSettings settings = LoopbackBenchmark.orUsage(USAGE,
            () -> LoopbackSettings.parse(all.toArray(new String[0])));
        LoopbackBenchmark.takeChildrenAtExit();
        Path out = settings.out().toAbsolutePath();
        Path profiles = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + "-profiles");
        Files.createDirectories(profiles);
        Path work = Files.createTempDirectory("netprof-cpu-share");
        try {
            Path library = extractProfiler(work);
            StringBuilder doc = new StringBuilder("# What a recorder's own code takes of the one pinned CPU\n\n")
                .append(LoopbackReport.dateAndMachine())
                .append("- command: `RecorderCpuShare ").append(String.join(" ", args)).append("`\n")
                .append("- async-profiler ").append(sampling.options).append(", one measured turn of ")
                .append(settings.measureSeconds())
                .append(" s per run, each run a fresh JVM (-XX:+DebugNonSafepoints)\n")
                .append("- cells: median over runs of the recorder's samples in % of all the child's samples; in "
                    + "brackets the runs' range. Of it: its threads, its clock reads, netprof's stack captures. Then "
                    + "the recorder's CPU per unit of work (a round trip, a GET, a MiB), which compares configs "
                    + "whose rates differ, and the JIT compiler threads' share, which should be near 0 in a warmed-up "
                    + "turn\n");
            for (int release : settings.jdks()) {
                TargetJdk jdk = TargetJdk.prepare(release, work);
                progress(jdk + ": " + jdk.version());
                doc.append("\n## ").append(jdk).append(": ").append(jdk.version()).append("\n\n")
                    .append("| workload | config | recorder | its threads | clock reads | stacks | recorder per "
                        + "unit | JIT | rate under the profiler |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
                for (String workload : settings.workloads()) {
                    Map<ProfilerConfig, List<Share>> shares = new EnumMap<>(ProfilerConfig.class);
                    for (int run = 1; run <= settings.rounds(); run++) {
                        for (ProfilerConfig config : LoopbackBenchmark.rotated(settings.configs(), run - 1)) {
                            Path collapsed = profiles.resolve(String.format(Locale.ROOT, "jdk%d-%s-%s-%d.collapsed",
                                release, workload, config.label, run));
                            Share s = profileOneTurn(settings, jdk, workload, config, library, sampling, collapsed,
                                work);
                            shares.computeIfAbsent(config, c -> new ArrayList<>()).add(s);
                            progress(String.format(Locale.ROOT, "[JDK %d %s %d/%d] %s: recorder %.2f%% of %d "
                                + "samples, %.2f µs per unit, JIT %.1f%%, %,.0f %s", release, workload, run,
                                settings.rounds(), config.label, s.percent(s.recorder()), s.samples(),
                                s.microsPerUnit(sampling, settings.measureSeconds()), s.percent(s.jit()), s.rate(),
                                LoopbackWorkload.unit(workload)));
                        }
                    }
                    for (ProfilerConfig config : settings.configs()) {
                        doc.append(row(workload, config, shares.get(config), sampling, settings.measureSeconds()));
                    }
                }
            }
            System.out.print(doc);
            Files.writeString(out, doc);
            progress("written to " + out + ", profiles in " + profiles);
        } finally {
            TempDirs.delete(work);
        }
    }

    private static Share profileOneTurn(LoopbackSettings settings, TargetJdk jdk, String workload,
                                        ProfilerConfig config, Path library, Sampling sampling, Path collapsed,
                                        Path work)
        throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        List<String> cmd = LoopbackBenchmark.childCommand(settings, jdk, workload, config, dir, true);
        cmd.addAll(cmd.indexOf(jdk.java().toString()) + 1,
            List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
        Path jcmd = jdk.java().resolveSibling("jcmd");
        try (SlicedChild child = SlicedChild.start(config, workload, cmd, dir,
            LoopbackBenchmark.timeoutSeconds(settings))) {
            child.resume();
            jcmd(jcmd, child.pid(), library, "start," + sampling.options);
            SlicedChild.Turn turn = child.turn(LoopbackBenchmark.timeoutSeconds(settings));
            child.resume();
            jcmd(jcmd, child.pid(), library, "stop,collapsed,file=" + collapsed);
            return classify(Files.readAllLines(collapsed), turn.rate());
        }
    }

    /**
     * {@code --event}, taken out of {@code args}: {@code cpu} (perf_events' cpu-clock, every 1 ms; the default) or
     * {@code itimer} (the process's CPU timer, which this kernel fires at its 250 Hz tick). A cpu-clock event is
     * switched with its thread, and in this VM each switch then costs enough to slow a pinned ping-pong threefold
     * (50 k round trips/s to 16-19 k), so workloads that switch on every operation are sampled with itimer, for
     * longer.
     */
    private static Sampling sampling(List<String> args) {
        String event = "cpu";
        int i = args.indexOf("--event");
        if (i >= 0) {
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("--event needs a value");
            }
            event = args.remove(i + 1);
            args.remove(i);
        }
        switch (event) {
            case "cpu":
                return new Sampling("event=cpu,interval=1ms,threads", 1_000_000L);
            case "itimer":
                return new Sampling("event=itimer,interval=4ms,threads", 4_000_000L);
            default:
                throw new IllegalArgumentException("--event is cpu or itimer");
        }
    }

    /** Loads async-profiler into {@code pid} (once; later loads only pass it a command). */
    private static void jcmd(Path jcmd, long pid, Path library, String command) throws IOException,
        InterruptedException {
        // Quoted, or the diagnostic command's parser reads "start,event" as an option name.
        Path output = Files.createTempFile("netprof-jcmd-", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load",
                library.toString(), "\"" + command + "\"").redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            String said = Files.readString(output);
            if (!exited || p.exitValue() != 0 || !said.contains("return code: 0")) {
                throw new IllegalStateException("jcmd " + pid + " JVMTI.agent_load " + command + ": "
                    + (exited ? said : "no answer in 60 s"));
            }
        } finally {
            Files.delete(output);
        }
    }

    /** Sorts a run's samples (async-profiler's collapsed lines, thread first) into the recorder's and the rest. */
    private static Share classify(List<String> collapsed, double rate) {
        long samples = 0;
        long recorder = 0;
        long threads = 0;
        long clocks = 0;
        long stacks = 0;
        long jit = 0;
        for (String line : collapsed) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            long n = Long.parseLong(line.substring(space + 1));
            String[] frames = line.substring(0, space).split(";");
            samples += n;
            if (TaskCpu.isCompiler(frames[0].substring(1))) { // "[C2 CompilerThre tid=...]"
                jit += n;
            }
            String thread = frames[0].toLowerCase(Locale.ROOT);
            if (thread.contains("netprof") || thread.contains("jfr")) {
                recorder += n;
                threads += n;
                continue;
            }
            boolean ownCode = false;
            int clock = -1;
            for (int i = 0; i < frames.length; i++) {
                String f = frames[i];
                ownCode |= f.startsWith(OWN_PACKAGES) && !f.startsWith(BENCH_PACKAGE) || f.startsWith("jdk/jfr/")
                    || f.startsWith("jdk/internal/event/") || f.startsWith("Jfr");
                if (clock < 0 && (f.startsWith("os::javaTimeNanos") || f.startsWith("os::elapsed_counter")
                    || f.startsWith("Rdtsc::elapsed_counter") // JFR's counter, which FastClock reads too
                    || f.startsWith(OWN_COUNTER))) {
                    clock = i;
                }
            }
            // A clock read is the workload's only when the workload's loop made it itself: every socket call on the
            // main thread runs under that loop too, and the advice's clock is inlined into those calls.
            if (ownCode || clock > 0 && !callerOf(frames, clock).startsWith(WORKLOAD_CLOCK)) {
                recorder += n;
                if (clock > 0) {
                    clocks += n;
                }
                if (line.contains("dev/netprof/record/Stacks.capture")) {
                    stacks += n;
                }
            }
        }
        if (samples == 0) {
            throw new IllegalStateException("async-profiler took no samples in the turn");
        }
        return new Share(samples, recorder, threads, clocks, stacks, jit, rate);
    }

    /** The Java frame that read the clock at {@code clock}: compiled, System.nanoTime has no frame of its own. */
    private static String callerOf(String[] frames, int clock) {
        int i = clock - 1;
        while (i > 0 && frames[i].startsWith("java/lang/System.nanoTime")) {
            i--;
        }
        return frames[i];
    }

    private static String row(String workload, ProfilerConfig config, List<Share> runs, Sampling sampling,
                              double seconds) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s µs | %s | %s %s |%n", workload,
            config.label, cell(runs, Share::recorder), cell(runs, Share::threads), cell(runs, Share::clocks),
            cell(runs, Share::stacks), WorkloadResults.medianAndRange(
                runs.stream().map(s -> s.microsPerUnit(sampling, seconds)).toList(), "%.2f"), cell(runs, Share::jit),
            WorkloadResults.medianAndRange(runs.stream().map(Share::rate).toList(), "%,.0f"),
            LoopbackWorkload.unit(workload));
    }

    private static String cell(List<Share> runs, ToLongFunction<Share> part) {
        return WorkloadResults.medianAndRange(runs.stream().map(s -> s.percent(part.applyAsLong(s))).toList(),
            "%.2f%%");
    }

    /** async-profiler's native library, out of its jar on this class path: jcmd loads it from a file. */
    private static Path extractProfiler(Path work) throws Exception {
        Path jar = Path.of(AsyncProfiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path library = work.resolve("libasyncProfiler.so");
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry entry = j.getEntry(PROFILER_LIBRARY);
            if (entry == null) {
                throw new IllegalStateException(jar + " has no " + PROFILER_LIBRARY + " (Linux x64 only)");
            }
            try (InputStream in = j.getInputStream(entry)) {
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return library;
    }

    private static void progress(String line) {
        System.err.println(line);
    }

    private RecorderCpuShare() {
    }
}
