package dev.netprof.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.ChildJvm;
import dev.netprof.it.Jdk;
import dev.netprof.it.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * How long attaching netprof to a running JVM takes, and detaching again, when that JVM has 10,000+ classes loaded
 * and live traffic ({@link AttachTarget}): the wall time of {@code netprof start} and {@code netprof stop} as a user
 * sees them, the time from each command's launch to the agent's own marks in the recording's summary.json (both
 * processes read {@code System.nanoTime()}, CLOCK_MONOTONIC on Linux), and the part spent inside the target
 * (installing the instrumentation; removing it and the final flush), and the CPU {@code netprof start} took: the
 * CLI's JVM, the target's attach thread and its JIT threads. {@code netprof stop} also renders the outputs in the
 * CLI, so the time of rendering the same recording again is printed too.
 *
 * <pre>
 *   integration-tests/bench.sh run AttachLatency [--jdk 17|25] [--classes 10000] [--record 2] [--rounds 1]
 *                                                [--jars A.jar,B.jar] [--pace 0]
 * </pre>
 * {@code --jdk} is the target's JDK; the CLI runs on the JDK running this class. {@code --record} is the seconds
 * between start and stop. {@code --pace} is the target's round trips a second, 0 for flat out (the default: the
 * ping-pong then takes about one of the two CPUs the attach needs). {@code --rounds} repeats the whole measurement,
 * each time on a fresh target, and ends with medians; {@code --jars} compares builds of netprof.jar, taking them in
 * turn within each round, the order rotated by one jar every round (default: the one the build made), as the budget's
 * numbers on a noisy machine need.
 */
public final class AttachLatency {
    private static final long TARGET_MAX_SECONDS = 600;
    private static final long READY_TIMEOUT_MS = 120_000;
    private static final double BUDGET_MS = 2_000;

    /**
     * What one attach and detach measured, in ms. With the target's ping-pong taking about one of two CPUs, the CPU
     * that {@code netprof start} takes (the CLI's JVM, the target's attach thread, the target's JIT) sets its time,
     * and measures a change to it more steadily than the wall times do. Not in them: the VM thread, which runs the
     * retransformation, and a compiler thread that exits before the command does.
     */
    private record Run(double startWall, double launchToRecording, double launchToAgentStart, double install,
                       double startCliCpu, double startAttachCpu, double startJitCpu,
                       double stopWall, double launchToStopped, double agentStop, double report) {
    }

    public static void main(String[] args) throws Exception {
        int release = 17;
        int classes = 10_000;
        long recordSeconds = 2;
        int rounds = 1;
        List<Path> jars = List.of(ChildJvm.NETPROF_JAR);
        long pace = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jdk":
                    release = Integer.parseInt(args[i + 1]);
                    break;
                case "--classes":
                    classes = Integer.parseInt(args[i + 1]);
                    break;
                case "--record":
                    recordSeconds = Long.parseLong(args[i + 1]);
                    break;
                case "--rounds":
                    rounds = Integer.parseInt(args[i + 1]);
                    break;
                case "--jars":
                    jars = Arrays.stream(args[i + 1].split(",")).map(j -> Path.of(j).toAbsolutePath()).toList();
                    break;
                case "--pace":
                    pace = Long.parseLong(args[i + 1]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i] + "; usage: AttachLatency [--jdk 17|25]"
                        + " [--classes 10000] [--record 2] [--rounds 1] [--jars A.jar,B.jar] [--pace 0]");
            }
        }
        Jdk jdk = Jdk.valueOf("JDK" + release);
        Map<Path, List<Run>> runs = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            // Each round starts one jar later: the jar measured second in a round read ~0.3 s slower on JDK 25 in
            // the twenty-sixth pass, whichever it was.
            for (int k = 0; k < jars.size(); k++) {
                Path jar = jars.get((round - 1 + k) % jars.size());
                System.out.printf("round %d of %d, %s%n", round, rounds, jar);
                runs.computeIfAbsent(jar, j -> new ArrayList<>()).add(measure(jdk, classes, recordSeconds, pace, jar));
            }
        }
        if (rounds > 1 || jars.size() > 1) {
            System.out.printf("%nmedians (min-max) over %d rounds, target on JDK %d, its ping-pong %s:%n", rounds,
                release, traffic(pace));
            for (Map.Entry<Path, List<Run>> e : runs.entrySet()) {
                List<Run> r = e.getValue();
                System.out.println(e.getKey());
                summary("  launched to recording", r, Run::launchToRecording);
                summary("    of which to the agent starting", r, Run::launchToAgentStart);
                summary("    of which the agent installing", r, Run::install);
                summary("  CPU of start: the CLI's JVM", r, Run::startCliCpu);
                summary("    the target's attach thread", r, Run::startAttachCpu);
                summary("    the target's JIT threads", r, Run::startJitCpu);
                summary("  launched to the agent stopped", r, Run::launchToStopped);
                System.out.printf("  rounds under %.0f ms from launch to recording: %d of %d%n", BUDGET_MS,
                    r.stream().filter(x -> x.launchToRecording() < BUDGET_MS).count(), r.size());
            }
        }
    }

    /** One attach and detach of {@code jar} on a fresh target; prints what it measured. */
    private static Run measure(Jdk jdk, int classes, long recordSeconds, long pace, Path jar) throws Exception {
        Path work = Files.createTempDirectory("netprof-attach-latency");
        Process target = null;
        try {
            List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
            if (jdk != Jdk.JDK17) {
                cmd.add("-XX:+EnableDynamicAgentLoading"); // JEP 451: otherwise the target prints a warning
            }
            cmd.addAll(List.of("-cp", LoopbackBenchmark.childClassPath(), AttachTarget.class.getName(),
                Integer.toString(classes), Long.toString(TARGET_MAX_SECONDS), Long.toString(pace)));
            Path stdout = work.resolve("target.out");
            target = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(work.resolve("target.err").toFile()).start();
            String loaded = awaitReady(target, stdout);
            String pid = Long.toString(target.pid());
            Path out = work.resolve("recording");

            Map<String, TaskCpu> before = TaskCpu.of(pid);
            CliRun start = cli(work, jar, "start", pid, "--out", out.toString());
            Map<String, TaskCpu> started = TaskCpu.of(pid);
            Thread.sleep(recordSeconds * 1000);
            CliRun stop = cli(work, jar, "stop", pid);
            JsonNode summary = Summary.read(out).root;
            long events = summary.get("events").asLong();
            if (events == 0) {
                throw new IllegalStateException("the recording has no events: " + out);
            }
            long reportMs = cli(work, jar, "report", out.toString()).wallMs;

            JsonNode window = summary.get("window");
            long fromNs = window.get("fromNs").asLong();
            long startedNs = summary.get("startedNs").asLong();
            long stoppedNs = summary.get("stoppedNs").asLong();
            Run run = new Run(start.wallMs, (fromNs - start.launchedNs) / 1e6, (startedNs - start.launchedNs) / 1e6,
                (fromNs - startedNs) / 1e6, start.cpuMs,
                TaskCpu.nsSince(before, started, t -> t.name().equals("Attach Listener")) / 1e6,
                TaskCpu.nsSince(before, started, t -> TaskCpu.isCompiler(t.name())) / 1e6, stop.wallMs,
                (stoppedNs - stop.launchedNs) / 1e6, (stoppedNs - window.get("toNs").asLong()) / 1e6, reportMs);
            System.out.printf("target: %s, %s classes loaded, loopback ping-pong %s; CLI on JDK %s%n",
                jdk.java(), loaded, traffic(pace), Runtime.version());
            row("netprof start, CLI wall time", run.startWall());
            row("  launched to recording (window.fromNs - launch)", run.launchToRecording());
            row("  of which to the agent starting (startedNs - launch)", run.launchToAgentStart());
            row("  of which the agent installing (window.fromNs - startedNs)", run.install());
            row("  CPU: the CLI's JVM", run.startCliCpu());
            row("  CPU: the target's attach thread", run.startAttachCpu());
            row("  CPU: the target's JIT threads", run.startJitCpu());
            row("netprof stop, CLI wall time (renders too)", run.stopWall());
            row("  launched to the agent stopped (stoppedNs - launch)", run.launchToStopped());
            row("  of which the agent stopping (stoppedNs - window.toNs: reset + final flush)", run.agentStop());
            row("  rendering alone (netprof report again)", run.report());
            System.out.printf("recorded %,d events in %d s, %,d dropped%n", events, recordSeconds,
                summary.get("dropped").asLong());
            return run;
        } finally {
            if (target != null) {
                target.destroyForcibly().waitFor();
            }
            TempDirs.delete(work);
        }
    }

    private static void summary(String what, List<Run> runs, ToDoubleFunction<Run> value) {
        List<Double> values = runs.stream().map(value::applyAsDouble).toList();
        System.out.printf("%-40s %,9.1f ms (%,.1f-%,.1f)%n", what, WorkloadResults.median(values),
            Collections.min(values), Collections.max(values));
    }

    /** The target's traffic, as the output names it. */
    private static String traffic(long pace) {
        return pace > 0 ? "at " + pace + " round trips/s" : "flat out";
    }

    private static void row(String what, double ms) {
        System.out.printf("%-64s %,9.1f ms%n", what, ms);
    }

    /** Waits for the target's {@code ready} line; returns its class count. */
    private static String awaitReady(Process target, Path stdout) throws Exception {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline && target.isAlive()) {
            List<String> lines = Files.readAllLines(stdout);
            if (lines.contains("ready")) {
                return String.format("%,d", Long.parseLong(lines.get(0).split(" ")[1]));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the target did not get ready; its stdout: " + Files.readString(stdout));
    }

    /**
     * One run of the CLI: when it was launched ({@code System.nanoTime()}), how long it took to exit, and the CPU its
     * JVM used.
     */
    private record CliRun(long launchedNs, long wallMs, long cpuMs) {
    }

    /** Runs {@code java -jar JAR args} on this JVM's JDK, failing unless it exits 0. */
    private static CliRun cli(Path work, Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path output = work.resolve("cli-" + args[0] + ".txt");
        long cpuBefore = reapedChildrenCpuMs();
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!finished || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("netprof " + String.join(" ", args) + " failed:\n" + Files.readString(output));
        }
        return new CliRun(start, ms, reapedChildrenCpuMs() - cpuBefore);
    }

    /**
     * The CPU of this process's children that have exited and been waited for ({@code cutime} + {@code cstime} of
     * /proc/self/stat, in the kernel's 100 Hz ticks): a CLI run adds its whole JVM's, which nothing can read once it
     * has exited. The target is still running then, so it is not counted.
     */
    private static long reapedChildrenCpuMs() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
    }

    private AttachLatency() {
    }
}
