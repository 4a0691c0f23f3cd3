package dev.netprof.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What netprof costs an application doing loopback network I/O, next to no agent and to JFR's socket events.
 *
 * <p>For each JDK and {@link LoopbackWorkload}, every round runs each config once, interleaved and rotated
 * (A B C D E, B C D E A, ...), and a config's ratio is taken against no agent in the same round; the tables show the
 * median ratio over rounds and its bootstrap interval. Interleaving and pairing matter more than run length here:
 * throughput on a shared machine drifts by more than the overheads measured. With {@code --method runs} (the
 * default) each turn is a fresh child JVM, warmed up and measured; with {@code --method slices} each config has one
 * warmed-up child for {@code --rounds-per-jvm} rounds, stopped with SIGSTOP while the others take their turns
 * ({@link SlicedChild}), so such a round costs only its measured seconds. Fresh JVMs still matter: each one carries
 * a bias of its own (two sliced runs of NIO on JDK 17 with one JVM per config, 60 and 30 rounds, read netprof at
 * 0.952 and 0.982 of no agent, their 90% intervals 0.939-0.969 and 0.965-1.019), which only more JVMs average out.
 *
 * <p>Every workload is pinned to one CPU, because unpinned the scheduler's placement of client and server threads
 * swings their rate several-fold from one run to the next (bulk without an agent: 2.2 to 5.8 GiB/s between rounds of
 * one run); pinned, the rate is what one CPU does, agent included.
 *
 * <pre>
 *   integration-tests/bench.sh                                        # everything: about 70 minutes
 *   integration-tests/bench.sh --jdks 17 --workloads pingpong,tls --configs none,netprof --rounds 1 --warmup 1 --seconds 1
 *   integration-tests/bench.sh --workloads nio --method slices --rounds 24 --seconds 1 --rounds-per-jvm 6
 * </pre>
 * The tables go to stdout, progress to stderr, and the tables with the machine, JDKs, settings and every rate to
 * {@code --out}. Run it on an otherwise idle machine.
 */
public final class LoopbackBenchmark {
    static final String PINNED_CPU = "1";
    /** Beyond warm-up and measurement: JVM start, key generation, and rendering or dumping a recording at exit. */
    static final long SLACK_SECONDS = 120;

    public static void main(String[] args) throws Exception {
        LoopbackSettings settings = orUsage(LoopbackSettings.USAGE, () -> LoopbackSettings.parse(args));
        takeChildrenAtExit();
        Path work = Files.createTempDirectory("netprof-loopback");
        try {
            LoopbackReport report = new LoopbackReport(settings);
            for (int release : settings.jdks()) {
                TargetJdk jdk = TargetJdk.prepare(release, work);
                progress(jdk + ": " + jdk.version());
                for (String workload : settings.workloads()) {
                    report.add(jdk, workload, measure(settings, jdk, workload, work));
                }
            }
            System.out.print(report.tables());
            Path out = settings.out().toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.writeString(out, report.document());
            progress("written to " + out);
        } finally {
            TempDirs.delete(work);
        }
    }

    private static WorkloadResults measure(LoopbackSettings settings, TargetJdk jdk, String workload, Path work)
        throws Exception {
        WorkloadResults results = new WorkloadResults();
        List<SlicedChild> children = new ArrayList<>();
        try {
            for (int round = 1; round <= settings.rounds(); round++) {
                if (settings.sliced() && (round - 1) % settings.roundsPerJvm() == 0) {
                    closeAll(children);
                    children.clear();
                    for (ProfilerConfig config : settings.configs()) {
                        Path dir = Files.createTempDirectory(work, "run");
                        children.add(SlicedChild.start(config, workload,
                            childCommand(settings, jdk, workload, config, dir, true), dir, timeoutSeconds(settings)));
                    }
                }
                String where = String.format(Locale.ROOT, "[JDK %d %s %d/%d]", jdk.release(), workload, round,
                    settings.rounds());
                StringBuilder ratios = new StringBuilder();
                for (ProfilerConfig config : rotated(settings.configs(), round - 1)) {
                    double rate;
                    boolean unsettled;
                    if (settings.sliced()) {
                        SlicedChild child = children.get(settings.configs().indexOf(config));
                        SlicedChild.Turn turn = child.turn(timeoutSeconds(settings));
                        rate = turn.rate();
                        unsettled = child.unsettled();
                        results.addCpu(config, turn.units(), turn.userNs(), turn.systemNs());
                    } else {
                        Run run = runOnce(settings, jdk, workload, config, work);
                        rate = run.rate();
                        unsettled = run.unsettled();
                    }
                    results.add(config, rate);
                    if (unsettled) {
                        results.addUnsettled(config);
                    }
                    progress(String.format(Locale.ROOT, "%s %s: %,.0f %s%s", where, config.label, rate,
                        LoopbackWorkload.unit(workload), unsettled ? " (JIT still compiling after the warm-up)" : ""));
                }
                for (ProfilerConfig config : settings.configs()) {
                    if (config != ProfilerConfig.NONE) {
                        List<Double> r = results.ratios(config);
                        ratios.append(String.format(Locale.ROOT, " %s %.3f", config.label, r.get(r.size() - 1)));
                    }
                }
                progress(where + " ratios:" + ratios);
            }
        } finally {
            closeAll(children);
        }
        return results;
    }

    /** Closes every child, even when one fails to close; throws the first failure. */
    private static void closeAll(List<SlicedChild> children) throws Exception {
        Exception first = null;
        for (SlicedChild child : children) {
            try {
                child.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The configs starting at a different one each round: a run's place in the round moved its rate by up to 8%
     * on the HTTP workload here (an agent recording nothing there measured 1.04 to 1.09 after no agent), so no
     * config may always run first.
     */
    static List<ProfilerConfig> rotated(List<ProfilerConfig> configs, int by) {
        List<ProfilerConfig> order = new ArrayList<>(configs);
        Collections.rotate(order, -(by % order.size()));
        return order;
    }

    /** What {@code parse} makes of a benchmark's command line; on a bad option, the usage and exit status 2. */
    static <T> T orUsage(String usage, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + usage);
            System.exit(2);
            throw e;
        }
    }

    /** Interrupted (Ctrl-C), a benchmark takes its children with it: a sliced one waits stopped otherwise. */
    static void takeChildrenAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(
            () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    }

    /** One fresh child's rate, and whether its warm-up gave up with the JIT still compiling. */
    private record Run(double rate, boolean unsettled) {
    }

    /** One child JVM with {@code config}; returns its rate, after checking the recorder recorded. */
    private static Run runOnce(LoopbackSettings settings, TargetJdk jdk, String workload, ProfilerConfig config,
                                  Path work) throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        try {
            List<String> cmd = childCommand(settings, jdk, workload, config, dir, false);
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
            long timeout = timeoutSeconds(settings);
            if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeout + " s");
            }
            String failure = String.join(" ", cmd) + " exited with " + p.exitValue() + "\nstdout:\n"
                + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr);
            if (!config.recorded(dir)) {
                throw new IllegalStateException(config.label + " left no recording; " + failure);
            }
            boolean unsettled = false;
            for (String line : Files.readAllLines(stdout)) {
                unsettled |= line.equals(LoopbackWorkload.UNSETTLED);
                String[] f = line.split(" ");
                if (p.exitValue() == 0 && f.length >= 3 && f[0].equals("result") && f[1].equals(workload)) {
                    return new Run(Double.parseDouble(f[2]), unsettled);
                }
            }
            throw new IllegalStateException("no result line; " + failure);
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** A child JVM running {@code workload} with {@code config}, pinned, writing into {@code dir}. */
    static List<String> childCommand(LoopbackSettings settings, TargetJdk jdk, String workload, ProfilerConfig config,
                                     Path dir, boolean sliced)
        throws URISyntaxException {
        List<String> cmd = new ArrayList<>();
        cmd.addAll(List.of("taskset", "-c", PINNED_CPU));
        cmd.add(jdk.java().toString());
        cmd.addAll(config.jvmArgs(jdk, dir));
        cmd.addAll(List.of("-cp", childClassPath(), LoopbackWorkload.class.getName(), workload,
            Double.toString(settings.warmupSeconds()), Double.toString(settings.measureSeconds())));
        if (sliced) {
            cmd.add("sliced");
        }
        return cmd;
    }

    /** How long a child may take to warm up and measure one phase, or to run once. */
    static long timeoutSeconds(LoopbackSettings settings) {
        return (long) (settings.warmupSeconds() + settings.measureSeconds()) + SLACK_SECONDS
            + LoopbackWorkload.MAX_WARMUP_NS / 1_000_000_000L;
    }

    /**
     * Where this class was loaded from (the test classes), and nothing else: a child must see netprof only as the
     * agent under test, never its unshaded classes from the benchmark's own class path.
     */
    static String childClassPath() throws URISyntaxException {
        return Path.of(LoopbackWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void progress(String line) {
        System.err.println(line);
    }

    private LoopbackBenchmark() {
    }
}
