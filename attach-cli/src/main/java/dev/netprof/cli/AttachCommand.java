package dev.netprof.cli;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code netprof attach PID}: records a running JVM for a while, then stops, removes the instrumentation, renders
 * and prints the summary. Ctrl-C stops early and still renders. The agent is also told the duration, so the
 * recording ends on time even if this CLI is killed (then {@code netprof report DIR} renders it).
 */
final class AttachCommand extends RecordingCommand {
    private static final String DEFAULT_DURATION = "30s";
    private static final Param DURATION = Param.option("--duration", "D",
        "How long to record (default: " + DEFAULT_DURATION + ").");
    static final Subcommand SUBCOMMAND = new Subcommand("attach",
        "Record a running JVM for a while, detach, and render the outputs.", params(DURATION),
        a -> new AttachCommand(a).call());

    static final long POLL_MS = 500;
    /** How long past the duration to wait for the agent's own stop before asking it to stop. */
    static final long GRACE_NS = 5_000_000_000L;

    private final String duration;

    private AttachCommand(Args args) {
        super(args);
        duration = args.option(DURATION, DEFAULT_DURATION);
    }

    @Override
    int run() throws CliException {
        long durationNs = nanos(duration);
        String options = checkedOptions(durationNs);
        try (Target t = Target.attach(pid)) {
            Path out = start(t, options);
            Cli.say("recording pid " + pid + " for " + duration + " into " + out + " (Ctrl-C stops early)");
            AtomicBoolean done = new AtomicBoolean();
            Thread interrupted = new Thread(() -> finish(done, out, true), "netprof-ctrl-c");
            Runtime.getRuntime().addShutdownHook(interrupted);
            Progress progress = new Progress(durationNs);
            long start = System.nanoTime();
            try {
                while (true) {
                    sleep();
                    AgentStatus s = t.status();
                    long elapsed = System.nanoTime() - start;
                    progress.show(elapsed, s == null ? 0 : s.events(), s == null ? 0 : s.dropped());
                    if (s == null || !s.recording()) {
                        break;
                    }
                    if (elapsed > durationNs + GRACE_NS) {
                        t.command(jar(), "stop", "");
                        break;
                    }
                }
            } finally {
                progress.end();
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook stops the recording and renders it; this thread has nothing left to do
                }
            }
            return finish(done, out, false);
        }
    }

    /** Stops the recording if it still runs (Ctrl-C) and renders it; only the first caller does anything. */
    private int finish(AtomicBoolean done, Path out, boolean stop) {
        if (!done.compareAndSet(false, true)) {
            return ExitCodes.OK;
        }
        if (stop) {
            System.err.println();
            Cli.say("stopping early");
            try (Target t = Target.attach(pid)) {
                t.command(jar(), "stop", "");
            } catch (CliException e) {
                Cli.say(e.getMessage());
            }
        }
        return render(out);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
