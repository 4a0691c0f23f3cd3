package dev.netprof.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a recorder costs an application that does nothing: the CPU an idle JVM uses with it, against the same JVM
 * without it. A service spends much of its life waiting, and a recorder left running in production pays its
 * wake-ups, writes and timers all that time. The child ({@link Child}) holds what an idle service holds, a listening
 * socket and one open connection with a thread blocked reading it, so the recorder's view of the kernel's sockets has
 * something to read. After {@code --warmup} seconds (startup, class loading and the recorder's own start are not
 * idle) the CPU time of each of the child's threads is read from {@code /proc/<pid>/task/<tid>/schedstat}, again
 * {@code --seconds} later; then the child is told to exit and the recorder's output is checked.
 *
 * <pre>
 *   integration-tests/bench.sh run IdleCost             # JDK 17 and 25; none, netprof, jfr-nostacks; 3 rounds of 20 s
 *   integration-tests/bench.sh run IdleCost --jdks 17 --configs none,netprof --rounds 5 --seconds 30
 * </pre>
 * Takes {@link LoopbackBenchmark}'s options but {@code --workloads}, {@code --method} and {@code --rounds-per-jvm};
 * a round runs every config once, one config later each round. Cells: the median over rounds of the whole
 * process's CPU, in % of one CPU, and the runs' range; the recorder's own threads (netprof's, JFR's) apart.
 */
public final class IdleCost {
    static final String USAGE = "usage: IdleCost [--jdks 17,25] [--configs none,netprof,jfr-nostacks] [--rounds 3]"
        + " [--warmup 10] [--seconds 20] [--out target/idle-cost.md]";
    private static final String PERCENT = "%.3f%%";

    /** One window of one child: the whole process's CPU and its recorder threads', in ns. */
    record Window(long processNs, long recorderNs, double seconds) {
        double percent(long ns) {
            return 100.0 * ns / (seconds * 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--configs", "none,netprof,jfr-nostacks", "--rounds", "3",
            "--warmup", "10", "--seconds", "20", "--out", "target/idle-cost.md"));
        all.addAll(Arrays.asList(args));
        LoopbackSettings settings = LoopbackBenchmark.orUsage(USAGE,
            () -> LoopbackSettings.parse(all.toArray(new String[0])));
        LoopbackBenchmark.takeChildrenAtExit();
        Path work = Files.createTempDirectory("netprof-idle-cost");
        try {
            StringBuilder doc = new StringBuilder("# What a recorder costs an idle JVM\n\n")
                .append(LoopbackReport.dateAndMachine())
                .append("- command: `IdleCost ").append(String.join(" ", args)).append("`\n")
                .append("- each round runs every config once in a fresh JVM holding a listening socket and one idle "
                    + "connection; CPU read from /proc/<pid>/task/*/schedstat over ").append(settings.measureSeconds())
                .append(" s, after ").append(settings.warmupSeconds()).append(" s\n")
                .append("- cells: median over rounds in % of one CPU, the rounds' range in brackets\n");
            for (int release : settings.jdks()) {
                TargetJdk jdk = TargetJdk.prepare(release, work);
                progress(jdk + ": " + jdk.version());
                Map<ProfilerConfig, List<Window>> windows = new EnumMap<>(ProfilerConfig.class);
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (ProfilerConfig config : LoopbackBenchmark.rotated(settings.configs(), round - 1)) {
                        Window w = idleWindow(settings, jdk, config, work);
                        windows.computeIfAbsent(config, c -> new ArrayList<>()).add(w);
                        progress(String.format(Locale.ROOT, "[JDK %d %d/%d] %s: process %.3f%%, recorder threads "
                            + "%.3f%%", release, round, settings.rounds(), config.label, w.percent(w.processNs()),
                            w.percent(w.recorderNs())));
                    }
                }
                doc.append("\n## ").append(jdk).append(": ").append(jdk.version()).append("\n\n")
                    .append("| config | process CPU | over no agent | recorder threads |\n|---|---:|---:|---:|\n");
                List<Window> none = windows.get(ProfilerConfig.NONE);
                double baseline = none == null ? Double.NaN
                    : WorkloadResults.median(none.stream().map(w -> w.percent(w.processNs())).toList());
                for (ProfilerConfig config : settings.configs()) {
                    List<Window> runs = windows.get(config);
                    List<Double> process = runs.stream().map(w -> w.percent(w.processNs())).toList();
                    List<Double> recorder = runs.stream().map(w -> w.percent(w.recorderNs())).toList();
                    String over = Double.isNaN(baseline) ? "-"
                        : String.format(Locale.ROOT, "%+.3f%%", WorkloadResults.median(process) - baseline);
                    doc.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", config.label,
                        WorkloadResults.medianAndRange(process, PERCENT), over,
                        WorkloadResults.medianAndRange(recorder, PERCENT)));
                }
            }
            System.out.print(doc);
            Path out = settings.out().toAbsolutePath();
            Files.writeString(out, doc);
            progress("written to " + out);
        } finally {
            TempDirs.delete(work);
        }
    }

    /** One fresh idle child with {@code config}: its CPU over the window, after checking the recorder recorded. */
    private static Window idleWindow(LoopbackSettings settings, TargetJdk jdk, ProfilerConfig config, Path work)
        throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.addAll(config.jvmArgs(jdk, dir));
        cmd.addAll(List.of("-cp", LoopbackBenchmark.childClassPath(), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            TimeUnit.MILLISECONDS.sleep((long) (settings.warmupSeconds() * 1000));
            long from = System.nanoTime();
            Map<String, TaskCpu> before = TaskCpu.of(Long.toString(p.pid()));
            TimeUnit.MILLISECONDS.sleep((long) (settings.measureSeconds() * 1000));
            Map<String, TaskCpu> after = TaskCpu.of(Long.toString(p.pid()));
            double seconds = (System.nanoTime() - from) / 1e9;
            if (!p.isAlive()) {
                throw new IllegalStateException(config.label + " child exited early: " + output(dir));
            }
            long process = TaskCpu.nsSince(before, after, t -> true);
            long recorder = TaskCpu.nsSince(before, after, t -> isRecorder(t.name()));
            p.getOutputStream().close(); // the child exits when its stdin ends, and the recorder writes its output
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(config.label + " child did not exit cleanly: " + output(dir));
            }
            if (!config.recorded(dir)) {
                throw new IllegalStateException(config.label + " recorded nothing into " + dir + ": " + output(dir));
            }
            return new Window(process, recorder, seconds);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * netprof's, JFR's or async-profiler's named thread. async-profiler's wall-clock thread has no name of its own
     * (its comm is the process's, "java", like the main thread's), so with {@code syscalls=on} it counts in the
     * process column only.
     */
    private static boolean isRecorder(String name) {
        return name.startsWith("netprof-") || name.startsWith("JFR ") || name.startsWith("Async-profiler");
    }

    private static String output(Path dir) throws IOException {
        return Files.readString(dir.resolve("child.out"));
    }

    private static void progress(String line) {
        System.err.println(line);
    }

    /**
     * The idle application: a listening socket and one accepted connection whose server end a thread reads, blocked,
     * until stdin ends; then the client closes it and the JVM exits.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (ServerSocket listener = new ServerSocket(0, 50, LoopbackWorkload.LOOPBACK);
                 Socket client = new Socket(LoopbackWorkload.LOOPBACK, listener.getLocalPort());
                 Socket server = listener.accept()) {
                Thread reader = new Thread(() -> {
                    try (InputStream in = server.getInputStream()) {
                        while (in.read() >= 0) {
                            // an idle connection: nothing comes until the close
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }, "idle-reader");
                reader.start();
                OutputStream out = client.getOutputStream();
                out.write(1); // one byte, so the connection has been used, as a kept-alive one has
                out.flush();
                System.in.transferTo(OutputStream.nullOutputStream());
                client.shutdownOutput();
                reader.join();
            }
        }

        private Child() {
        }
    }

    private IdleCost() {
    }
}
