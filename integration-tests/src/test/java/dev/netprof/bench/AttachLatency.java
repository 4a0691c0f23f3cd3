package dev.netprof.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.ChildJvm;
import dev.netprof.it.Jdk;
import dev.netprof.it.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long attaching netprof to a running JVM takes, and detaching again, when that JVM has 10,000+ classes loaded
 * and live traffic ({@link AttachTarget}): the wall time of {@code netprof start} and {@code netprof stop} as a user
 * sees them, and, from the recording's summary.json, the part spent inside the target (installing the
 * instrumentation; removing it and the final flush). {@code netprof stop} also renders the outputs in the CLI, so
 * the time of rendering the same recording again is printed too.
 *
 * <pre>
 *   integration-tests/bench.sh run AttachLatency [--jdk 17|25] [--classes 10000] [--record 2]
 * </pre>
 * {@code --jdk} is the target's JDK; the CLI runs on the JDK running this class. {@code --record} is the seconds
 * between start and stop.
 */
public final class AttachLatency {
    private static final long TARGET_MAX_SECONDS = 600;
    private static final long READY_TIMEOUT_MS = 120_000;

    public static void main(String[] args) throws Exception {
        int release = 17;
        int classes = 10_000;
        long recordSeconds = 2;
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
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: AttachLatency [--jdk 17|25] [--classes 10000] [--record 2]");
            }
        }
        Jdk jdk = Jdk.valueOf("JDK" + release);
        Path work = Files.createTempDirectory("netprof-attach-latency");
        Process target = null;
        try {
            List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
            if (release >= 21) {
                cmd.add("-XX:+EnableDynamicAgentLoading"); // JEP 451: otherwise the target prints a warning
            }
            cmd.addAll(List.of("-cp", LoopbackBenchmark.childClassPath(), AttachTarget.class.getName(),
                Integer.toString(classes), Long.toString(TARGET_MAX_SECONDS)));
            Path stdout = work.resolve("target.out");
            target = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(work.resolve("target.err").toFile()).start();
            String loaded = awaitReady(target, stdout);
            String pid = Long.toString(target.pid());
            Path out = work.resolve("recording");

            CliRun start = cli(work, "start", pid, "--out", out.toString());
            Thread.sleep(recordSeconds * 1000);
            CliRun stop = cli(work, "stop", pid);
            JsonNode summary = Summary.read(out).root;
            long events = summary.get("events").asLong();
            if (events == 0) {
                throw new IllegalStateException("the recording has no events: " + out);
            }
            long reportMs = cli(work, "report", out.toString()).wallMs;

            JsonNode window = summary.get("window");
            long fromNs = window.get("fromNs").asLong();
            long startedNs = summary.get("startedNs").asLong();
            long stoppedNs = summary.get("stoppedNs").asLong();
            double installMs = (fromNs - startedNs) / 1e6;
            double agentStopMs = (stoppedNs - window.get("toNs").asLong()) / 1e6;
            System.out.printf("target: %s, %s classes loaded, loopback ping-pong running; CLI on JDK %s%n",
                jdk.java(), loaded, Runtime.version());
            row("netprof start, CLI wall time", start.wallMs);
            row("  launched to recording (window.fromNs - launch)", (fromNs - start.launchedNs) / 1e6);
            row("  of which to the agent starting (startedNs - launch)", (startedNs - start.launchedNs) / 1e6);
            row("  of which the agent installing (window.fromNs - startedNs)", installMs);
            row("netprof stop, CLI wall time (renders too)", stop.wallMs);
            row("  launched to the agent stopped (stoppedNs - launch)", (stoppedNs - stop.launchedNs) / 1e6);
            row("  of which the agent stopping (stoppedNs - window.toNs: reset + final flush)", agentStopMs);
            row("  rendering alone (netprof report again)", reportMs);
            System.out.printf("recorded %,d events in %d s, %,d dropped%n", events, recordSeconds,
                summary.get("dropped").asLong());
        } finally {
            if (target != null) {
                target.destroyForcibly().waitFor();
            }
            TempDirs.delete(work);
        }
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

    /** One run of the CLI: when it was launched ({@code System.nanoTime()}) and how long it took to exit. */
    private record CliRun(long launchedNs, long wallMs) {
    }

    /** Runs {@code java -jar netprof.jar args} on this JVM's JDK, failing unless it exits 0. */
    private static CliRun cli(Path work, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", ChildJvm.NETPROF_JAR.toString()));
        cmd.addAll(List.of(args));
        Path output = work.resolve("cli-" + args[0] + ".txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!finished || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("netprof " + String.join(" ", args) + " failed:\n" + Files.readString(output));
        }
        return new CliRun(start, ms);
    }

    private AttachLatency() {
    }
}
