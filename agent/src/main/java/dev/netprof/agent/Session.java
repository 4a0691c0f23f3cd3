package dev.netprof.agent;

import dev.netprof.flush.Flusher;
import dev.netprof.flush.RecordingHeader;
import dev.netprof.instrument.Instrumenter;
import dev.netprof.nativeprof.CpuCounter;
import dev.netprof.nativeprof.Samples;
import dev.netprof.nativeprof.SyscallSampler;
import dev.netprof.record.Backtraces;
import dev.netprof.record.Capture;
import dev.netprof.record.FastClock;
import dev.netprof.record.HttpRecorder;
import dev.netprof.record.Recorder;
import dev.netprof.record.ShutdownHooks;
import dev.netprof.record.StackSampling;
import dev.netprof.record.TlsRecorder;
import dev.netprof.render.Renderer;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One recording: from instrumenting the JDK to a closed event log (and, for a -javaagent recording, the rendered
 * outputs).
 *
 * <p>Stop runs once, from whichever comes first: {@code duration=} elapsing, {@code netprof stop}, or the JVM
 * exiting (after the application's own shutdown hooks, at most {@code hookwait=}). Every stop but the JVM's exit
 * also removes the instrumentation, so the JVM runs its original bytecode again. An attached recording is rendered
 * by the CLI that attached, not inside the application's JVM; a -javaagent recording renders at the exit until
 * {@code exitwait=} after the exit began.
 *
 * <p>The recording's state is published as the system property {@value #STATUS_PROPERTY}, which
 * {@code netprof list} and {@code netprof status} read through the attach API without loading anything.
 */
final class Session {
    static final String STATUS_PROPERTY = "netprof.status";
    /**
     * How often the flusher's writes (four a second in a busy recording) publish the counts, which people read.
     * Publishing runs interpreted, as rarely as it runs: ~100 µs each, 0.04% of the CPU on the bulk benchmark at
     * every write.
     */
    private static final long PROGRESS_NS = 1_000_000_000L;

    private final Path out;
    private final Instrumentation inst;
    private final boolean attached;
    private final Capture capture;
    private final Flusher flusher;
    private final long exitWaitNs;
    private final long hookWaitNs;
    private final long startedEpochMs = System.currentTimeMillis();
    private Instrumenter.Installed installed;
    private Thread shutdownHook;
    /** The application's shutdown hooks, which the stop at the JVM's exit waits for; null if they are not known. */
    private ShutdownHooks applicationHooks;
    /** When the JVM's exit began, as netprof's shutdown hook saw it; 0 until then. */
    private volatile long exitBeganNs;
    private Thread timer;
    private SyscallSampler sampler;
    private volatile boolean stopped;
    /**
     * Set once the stop has finished writing events.nprof (or failed to). Until then the status says "stopping", not
     * "stopped": the CLI renders the log as soon as it reads "stopped", and the flusher publishes the status after
     * each write, during the stop too (removing the instrumentation alone took 56-104 ms on the attach benchmark).
     */
    private volatile boolean finished;
    /** When one of the flusher's writes last published the status; the flusher thread's alone. */
    private long progressPublishedNs;

    private Session(Path out, Instrumentation inst, boolean attached, Capture capture, Flusher flusher,
                    Options options) {
        this.out = out;
        this.inst = inst;
        this.attached = attached;
        this.capture = capture;
        this.flusher = flusher;
        this.exitWaitNs = options.exitWaitNs;
        this.hookWaitNs = options.hookWaitNs;
    }

    static Session start(Options options, Instrumentation inst, boolean attached) throws IOException {
        long pid = ProcessHandle.current().pid();
        Path out = (options.out != null ? options.out : Path.of("netprof-" + pid + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        Files.createDirectories(out);
        Samples.deleteIn(out);
        long slowNs = options.thresholdNs > 0 ? options.thresholdNs : StackSampling.DEFAULT_SLOW_NS;
        StackSampling sampling = StackSampling.defaults(options.stacks, slowNs);
        // Where the JVM does not read the CPU's time-stamp counter, netprof's own library does, from its native layer.
        String noCounter = FastClock.offer(() -> CpuCounter.open(inst, Bootstrap.selfJar()));
        FastClock.resync();
        Capture capture = new Capture(FastClock.nanoTime(), options.bufferBytes, Capture.RECORDS_PER_BUFFER, sampling);
        capture.catalog.note("closewait", Long.toString(options.closeWaitNs));
        capture.catalog.note("stacks", "mode=" + Options.STACK_MODES.get(options.stacks) + " " + sampling.paces()
            + " backtraces=" + (Backtraces.READABLE ? "read" : "resolved"));
        capture.catalog.note("clock", FastClock.source() + (noCounter != null ? " (" + noCounter + ")" : ""));
        RecordingHeader header = new RecordingHeader(pid, System.currentTimeMillis(), Version.get(), options.text,
            System.getProperty("java.vm.name") + " " + Runtime.version());
        Flusher flusher = Flusher.start(capture, out.resolve(Renderer.LOG), header, options.thresholdNs);
        Session s = new Session(out, inst, attached, capture, flusher, options);
        HttpRecorder.keepQuery(options.keepQuery);
        if (!options.syscalls.equals("off")) {
            // Before the recording starts: every thread that records an operation joins the wall-clock sampling.
            s.sampler = SyscallSampler.start(options.syscalls, out, inst, Bootstrap.selfJar(), Agent::say,
                flusher::events);
            capture.catalog.note("syscalls", s.sampler == null ? "off" : s.sampler.mode());
            if (s.sampler != null) {
                capture.onNewThread(s.sampler::sampleCurrentThread);
            }
        }
        Recorder.start(capture);
        s.installed = Instrumenter.install(inst, options.events, capture.catalog);
        long windowOpened = FastClock.nanoTime();
        capture.catalog.note("window", "from " + windowOpened);
        s.shutdownHook = new Thread(s::stopAtExit, "netprof-shutdown");
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        s.applicationHooks = ShutdownHooks.find();
        if (s.applicationHooks == null && options.hookWaitNs > 0) {
            Agent.say("cannot read this JVM's shutdown hooks: at its exit netprof stops beside them, and what they send"
                + " after that is not recorded");
        }
        if (options.durationNs > 0) {
            s.timer = new Thread(() -> {
                try {
                    // From the window's start, not this thread's: duration= is how long the instrumentation is
                    // complete (registering the shutdown hook and finding the application's came between, ~40 ms).
                    TimeUnit.NANOSECONDS.sleep(options.durationNs - (FastClock.nanoTime() - windowOpened));
                    s.stop(true);
                } catch (InterruptedException e) {
                    // stopped before the duration elapsed
                }
            }, "netprof-timer");
            s.timer.setDaemon(true);
            s.timer.start();
        }
        flusher.afterWrite(s::publishProgress);
        s.publishStatus();
        Agent.say("recording " + String.join("+", options.familyNames()) + " events into " + out
            + (attached ? " (attached)" : ""));
        return s;
    }

    Path out() {
        return out;
    }

    boolean isRecording() {
        return !stopped;
    }

    boolean isFinished() {
        return finished;
    }

    /** Writes everything recorded so far to events.nprof, for {@code netprof dump}. */
    boolean flushNow() throws InterruptedException {
        return flusher.flushNow(10_000);
    }

    /**
     * Ends the recording. {@code detach} also restores the JDK's original bytecode (every stop but the JVM's exit).
     * A -javaagent recording renders its outputs here when its duration ends or the JVM exits; an attached one, or
     * one that {@code netprof stop} ends, leaves that to the CLI.
     */
    synchronized void stop(boolean detach) {
        stop(detach, !attached);
    }

    /**
     * The JVM is exiting: first the application's own shutdown hooks finish what they do (a graceful shutdown drains
     * and closes its connections there), at most {@code hookwait=}, then the recording stops. The JVM waits for
     * those hooks anyway, so the wait itself delays no exit; a -javaagent recording's rendering, after them rather
     * than beside them, may, until {@code exitwait=} after the exit began.
     */
    private void stopAtExit() {
        exitBeganNs = System.nanoTime();
        if (stopped) {
            awaitDurationStop();
            return;
        }
        if (applicationHooks != null && hookWaitNs > 0) {
            List<ShutdownHooks.Hook> hooks;
            try {
                hooks = applicationHooks.awaitOthers(hookWaitNs);
            } catch (InterruptedException e) {
                hooks = List.of();
            }
            if (stopped) {
                awaitDurationStop(); // duration= ended the recording meanwhile
                return;
            }
            capture.catalog.note("hookwait", Long.toString(System.nanoTime() - exitBeganNs));
            List<String> running = new ArrayList<>();
            for (ShutdownHooks.Hook h : hooks) {
                capture.catalog.note("hook", (h.ended() ? "ended " : "running ") + h.thread());
                if (!h.ended()) {
                    running.add('"' + h.thread() + '"');
                }
            }
            if (!running.isEmpty()) {
                Agent.say("stopping while the application's shutdown hook" + (running.size() > 1 ? "s " : " ")
                    + String.join(", ", running) + " still run" + (running.size() > 1 ? "" : "s") + " after hookwait="
                    + TimeUnit.NANOSECONDS.toMillis(hookWaitNs) + "ms: what they do next is not recorded");
            }
        }
        stop(false);
    }

    /**
     * At the exit, after {@code duration=} has ended the recording: its stop may still be rendering the outputs, on the
     * timer's thread, which the JVM would otherwise end in the middle (a daemon). The exit waits for it, until
     * {@code exitwait=} after the exit began.
     */
    private void awaitDurationStop() {
        Thread stopping = timer;
        if (stopping != null && stopping != Thread.currentThread()) {
            awaitRender(stopping);
        }
    }

    /** Waits for {@code rendering} until {@code exitwait=} after the exit began, and says if the exit goes without. */
    private void awaitRender(Thread rendering) {
        long leftNs = exitWaitNs - (exitBeganNs == 0 ? 0 : System.nanoTime() - exitBeganNs);
        try {
            rendering.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (rendering.isAlive()) {
            Agent.say("outputs still rendering after exitwait=" + TimeUnit.NANOSECONDS.toMillis(exitWaitNs)
                + "ms; the JVM exits without them" + renderLater());
        }
    }

    /**
     * {@code renderHere}: false when the CLI renders (it would render again, and a long render on the attach thread
     * outlasted the CLI's wait for the command, which then failed although the stop had worked).
     */
    synchronized void stop(boolean detach, boolean renderHere) {
        if (stopped) {
            return;
        }
        stopped = true;
        capture.catalog.note("stop", detach ? "detach" : "exit");
        if (sampler != null) {
            sampler.stop();
        }
        TlsRecorder.recordingEnds();
        // The window ends where recording does, not before the steps above: operations counted while they ran would
        // fall outside it (TlsRecorder's first use once took 0.1-0.7 s, when it loaded the JDK's TLS classes). Nor
        // before the stop itself: operations that end between the clock read and the stop are recorded, and the
        // note's string and queue in between left room for some on a loaded machine.
        capture.catalog.note("window", "to " + Recorder.stop());
        if (detach) {
            try {
                installed.reset(inst);
            } catch (RuntimeException e) {
                Agent.say("could not fully remove the instrumentation: " + e);
            }
            if (!renderHere) {
                removeShutdownHook();
            }
            if (timer != null && timer != Thread.currentThread()) {
                timer.interrupt();
            }
        }
        try {
            flusher.finish(FastClock.nanoTime());
        } catch (IOException | RuntimeException e) {
            Agent.say("could not write the outputs into " + out + ": " + e);
            return;
        } finally {
            capture.buffers.release();
            finished = true;
            publishStatus();
            Agent.stopped(this);
        }
        if (!renderHere) {
            Agent.say("stopped recording into " + out + (detach ? "; instrumentation removed" : ""));
        } else if (detach) {
            // The hook stays until the outputs are rendered: an exit meanwhile waits for them (awaitDurationStop).
            render();
            removeShutdownHook();
        } else {
            renderBeforeExit();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook is running or about to
        }
    }

    /**
     * Renders in this JVM, the application's, unless its heap cannot spare what the render needs: a render that ran
     * the heap out would fail the application's own allocations too. What it skips, {@code netprof report} renders
     * in a JVM of its own.
     */
    private void render() {
        long needed = Renderer.heapNeeded(flusher.events(), flusher.connections(), flusher.listed(),
            Samples.fileBytes(out));
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > free) {
            Agent.say("outputs not rendered in this JVM: rendering needs about " + (needed >> 20) + " MB of heap, "
                + (free >> 20) + " MB is free" + renderLater());
            return;
        }
        try {
            Renderer.render(out).summary().forEach(Agent::say);
        } catch (IOException | RuntimeException e) {
            Agent.say("could not write the outputs into " + out + ": " + e);
        } catch (OutOfMemoryError e) {
            Agent.say("outputs not rendered: the heap ran out while rendering" + renderLater());
        }
    }

    private String renderLater() {
        return "; events.nprof is complete: netprof report " + out + " renders them";
    }

    /**
     * At the JVM's exit the outputs render on a thread of their own, and the exit waits for them until
     * {@code exitwait=} after it began, the wait for the application's hooks included: rendering grows with the
     * recording (9.5 s for 80 s of a busy HTTP client, 15 million operations), and an application must not take
     * minutes to exit because it was recorded, nor be killed at the end of an orchestrator's grace period with its
     * outputs half written and no word why. events.nprof is complete by then, so what the exit does not wait for,
     * {@code netprof report} renders.
     */
    private void renderBeforeExit() {
        if (exitWaitNs <= 0) {
            Agent.say("exitwait=0: outputs not rendered" + renderLater());
            return;
        }
        Thread render = new Thread(this::render, "netprof-render");
        render.setDaemon(true);
        render.start();
        awaitRender(render);
    }

    /** After one of the flusher's writes: the status once a second, and at every write of the stop. */
    private void publishProgress() {
        long now = System.nanoTime();
        if (stopped || now - progressPublishedNs >= PROGRESS_NS) {
            progressPublishedNs = now;
            publishStatus();
        }
    }

    /** {@code state=recording|stopping|stopped;out=...;since=<epoch ms>;events=N;dropped=N;version=V}. */
    private void publishStatus() {
        String state = finished ? "stopped" : stopped ? "stopping" : "recording";
        System.setProperty(STATUS_PROPERTY, "state=" + state + ";out=" + out + ";since=" + startedEpochMs
            + ";events=" + flusher.events() + ";dropped=" + capture.dropped() + ";version=" + Version.get());
    }
}
