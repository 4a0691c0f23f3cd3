package dev.netprof.agent;

import dev.netprof.flush.Flusher;
import dev.netprof.flush.RecordingHeader;
import dev.netprof.instrument.Instrumenter;
import dev.netprof.record.Capture;
import dev.netprof.record.Recorder;
import dev.netprof.record.StackSampling;
import dev.netprof.render.Renderer;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One recording: from instrumenting the JDK to the rendered outputs.
 *
 * <p>Stop runs once, from whichever comes first: {@code duration=} elapsing, or the JVM exiting. A timed stop also
 * removes the instrumentation so the JVM runs its original bytecode again; at JVM exit that work is skipped.
 */
final class Session {
    static final int RECORDS_PER_BUFFER = 256;
    /** stacks=sampled: reads and writes blocked this long always get a stack (unless threshold= says otherwise). */
    static final long SLOW_NS = 1_000_000L;
    /** stacks=sampled: besides slow operations, one stack per this interval across the JVM. */
    static final long SAMPLE_NS = 5_000_000L;

    private final Options options;
    private final Path out;
    private final Instrumentation inst;
    private final Capture capture;
    private final Flusher flusher;
    private Instrumenter.Installed installed;
    private Thread shutdownHook;
    private boolean stopped;

    private Session(Options options, Path out, Instrumentation inst, Capture capture, Flusher flusher) {
        this.options = options;
        this.out = out;
        this.inst = inst;
        this.capture = capture;
        this.flusher = flusher;
    }

    static Session start(Options options, Instrumentation inst, boolean attached) throws IOException {
        long pid = ProcessHandle.current().pid();
        Path out = options.out != null ? options.out : Path.of("netprof-" + pid + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(out);
        long slowNs = options.thresholdNs > 0 ? options.thresholdNs : SLOW_NS;
        Capture capture = new Capture(System.nanoTime(), options.bufferBytes, RECORDS_PER_BUFFER,
            new StackSampling(options.stacks, slowNs, SAMPLE_NS));
        capture.catalog.note("stacks", "mode=" + Options.STACK_MODES.get(options.stacks) + " slowNs=" + slowNs
            + " intervalNs=" + SAMPLE_NS);
        RecordingHeader header = new RecordingHeader(pid, System.currentTimeMillis(), Version.get(), options.text,
            System.getProperty("java.vm.name") + " " + Runtime.version());
        Flusher flusher = Flusher.start(capture, out.resolve("events.nprof"), header, options.thresholdNs);
        Session s = new Session(options, out, inst, capture, flusher);
        Recorder.start(capture);
        s.installed = Instrumenter.install(inst, options.events, capture.catalog);
        s.shutdownHook = new Thread(() -> s.stop(false), "netprof-shutdown");
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        if (options.durationNs > 0) {
            Thread timer = new Thread(() -> {
                try {
                    Thread.sleep(options.durationNs / 1_000_000, (int) (options.durationNs % 1_000_000));
                    s.stop(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "netprof-timer");
            timer.setDaemon(true);
            timer.start();
        }
        Agent.say("recording " + String.join("+", options.familyNames()) + " events into " + out.toAbsolutePath()
            + (attached ? " (attached)" : ""));
        return s;
    }

    Path out() {
        return out;
    }

    synchronized boolean isRecording() {
        return !stopped;
    }

    /** Ends the recording and renders it; {@code detach} also restores the JDK's original bytecode. */
    synchronized void stop(boolean detach) {
        if (stopped) {
            return;
        }
        stopped = true;
        Recorder.stop();
        try {
            if (detach) {
                installed.reset(inst);
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (RuntimeException e) {
            Agent.say("could not fully remove instrumentation: " + e);
        }
        try {
            flusher.finish(System.nanoTime());
            Renderer.render(out).summary().forEach(Agent::say);
        } catch (IOException | RuntimeException e) {
            Agent.say("could not write the outputs into " + out.toAbsolutePath() + ": " + e);
        }
    }
}
