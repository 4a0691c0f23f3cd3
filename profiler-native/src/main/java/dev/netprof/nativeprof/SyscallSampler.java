package dev.netprof.nativeprof;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import one.jfr.JfrReader;
import one.jfr.event.ExecutionSample;

/**
 * async-profiler sampling beside netprof's recording, into {@code samples-<n>-<mode>.jfr} files in the output
 * directory.
 *
 * <p>Modes, each falling back to the next one down with one line saying why:
 * <ul>
 *   <li>{@code kernel}: perf_events cpu-clock every 10 ms, plus wall-clock every 20 ms: Java, native and kernel
 *       frames, at a real cost when threads switch often.
 *   <li>{@code on}: per-thread CPU timers (ctimer) every 10 ms plus wall-clock every 20 ms: Java and native frames
 *       down to the syscall wrapper, for 0-2% of a loopback benchmark's throughput over netprof alone. At 4 ms and
 *       10 ms (the first choice) a pinned ping-pong lost about 2 points more than with netprof alone, most of it to
 *       wall-clock signals, which interrupt every sampled thread that ran since its last sample.
 *   <li>{@code tracepoint:<name>}: one sample per firing of a syscall tracepoint. After {@link #CHECK_AFTER_MS} it
 *       compares its samples with netprof's operations; on kernels that fire a tracepoint only once per thread for
 *       async-profiler, it says so and goes on with {@code on}.
 * </ul>
 * Every sample has an OS thread id and, with {@code clock=monotonic}, the System.nanoTime() at which it was taken,
 * which is what pairs it with netprof's operations later.
 *
 * <p>Wall-clock samples are taken only of threads that record network operations (async-profiler's thread filter,
 * each thread joining it with its first operation: {@link #sampleCurrentThread}): a sample pairs only with an
 * operation on its own thread, and each one interrupts the thread it samples. Without the filter, a loopback HTTP
 * benchmark had ~700 of them a second, netprof's flusher, compiler and VM threads among them (~540 with it). CPU
 * samples are taken of every thread.
 */
public final class SyscallSampler {
    static final long CPU_INTERVAL_NS = 10_000_000L;
    static final long WALL_INTERVAL_NS = 20_000_000L;
    static final long CHECK_AFTER_MS = 2000;

    private final AsyncProfilerLayer.Profiler profiler;
    private final Path out;
    private final Consumer<String> say;
    private int files;
    private String mode;
    private boolean running;
    /** Set by {@link #stop}: no later restart (a tracepoint check's) may start sampling again. */
    private boolean stopped;

    private SyscallSampler(AsyncProfilerLayer.Profiler profiler, Path out, Consumer<String> say) {
        this.profiler = profiler;
        this.out = out;
        this.say = say;
    }

    /**
     * Starts sampling in {@code requested} mode or the best one below it; returns null (having said why) when no
     * sampling is possible. {@code operations} counts netprof's recorded operations, for the tracepoint check.
     */
    public static SyscallSampler start(String requested, Path out, Instrumentation inst, Path selfJar,
                                       Consumer<String> say, LongSupplier operations) {
        AsyncProfilerLayer.Profiler profiler;
        try {
            profiler = AsyncProfilerLayer.load(inst, selfJar);
        } catch (ProfilerUnavailable e) {
            say.accept("syscall sampling is off: " + e.getMessage());
            return null;
        }
        SyscallSampler s = new SyscallSampler(profiler, out, say);
        String mode = requested;
        while (mode != null) {
            try {
                s.begin(mode, true);
                if (mode.equals("kernel")) {
                    say.accept("syscalls=kernel samples with perf_events cpu-clock for kernel frames; on workloads that "
                        + "switch threads often this costs throughput (here 0.40-0.64 of a pinned loopback ping-pong); "
                        + "syscalls=on costs 0-2% there");
                }
                if (mode.startsWith("tracepoint:")) {
                    s.checkTracepointLater(operations);
                }
                return s;
            } catch (ProfilerUnavailable e) {
                String next = mode.equals("on") ? null : "on";
                say.accept("syscalls=" + mode + " is not available here (" + e.getMessage() + ")" + fix(mode)
                    + (next == null ? "; syscall sampling is off" : "; sampling with syscalls=on instead"));
                mode = next;
            }
        }
        return null;
    }

    private static String fix(String mode) {
        if (mode.equals("kernel")) {
            return ": perf_events needs root or kernel.perf_event_paranoid <= 1";
        }
        if (mode.startsWith("tracepoint:")) {
            return ": tracepoints need root and tracefs (mount -t tracefs nodev /sys/kernel/tracing)";
        }
        return "";
    }

    public synchronized String mode() {
        return mode;
    }

    /**
     * Has async-profiler take wall-clock samples of the calling thread (a virtual thread's carrier): run by each
     * thread with its first operation of the recording.
     */
    public void sampleCurrentThread() {
        try {
            profiler.addCurrentThread();
        } catch (ProfilerUnavailable | RuntimeException e) {
            // this thread gets CPU samples only
        }
    }

    /**
     * {@code filtered}: wall-clock samples only of threads that joined the filter. A restart empties it, so the
     * restart after a failed tracepoint check samples every thread instead.
     */
    private synchronized void begin(String mode, boolean filtered) throws ProfilerUnavailable {
        if (stopped) {
            return; // the recording stopped while a tracepoint check had sampling paused: it stays stopped
        }
        String event;
        String timers = ",interval=" + CPU_INTERVAL_NS + ",wall=" + WALL_INTERVAL_NS + (filtered ? ",filter" : "");
        if (mode.equals("on")) {
            event = "event=ctimer" + timers;
        } else if (mode.equals("kernel")) {
            event = "event=cpu" + timers;
        } else if (mode.startsWith("tracepoint:")) {
            event = "event=" + mode.substring("tracepoint:".length()) + ",interval=1";
        } else {
            throw new ProfilerUnavailable("unknown mode " + mode);
        }
        files++;
        this.mode = mode;
        profiler.execute("start," + event + ",jfr,clock=monotonic,file=" + file(files));
        running = true;
    }

    /** Ends sampling; the JFR files are complete afterwards. */
    public synchronized void stop() {
        stopped = true;
        if (running) {
            running = false;
            try {
                profiler.execute("stop");
            } catch (ProfilerUnavailable e) {
                say.accept("async-profiler did not stop cleanly: " + e.getMessage());
            }
        }
    }

    /** {@code samples-<n>-<on|kernel|tracepoint>.jfr}: the file name tells {@link Samples} what a sample stands for. */
    private Path file(int n) {
        return out.resolve("samples-" + n + "-" + (mode.startsWith("tracepoint:") ? "tracepoint" : mode) + ".jfr");
    }

    /**
     * {CPU sample interval, wall sample interval} in ns of a file written in {@code fileMode}, from the options
     * async-profiler recorded in it ({@code settings}; ours where absent); 0 for a tracepoint's count.
     */
    static long[] intervalsNs(String fileMode, Map<String, String> settings) {
        switch (fileMode) {
            case "on", "kernel":
                return new long[] {setting(settings, "interval", CPU_INTERVAL_NS),
                    setting(settings, "wall", WALL_INTERVAL_NS)};
            default:
                return new long[] {0, 0};
        }
    }

    private static long setting(Map<String, String> settings, String name, long otherwise) {
        try {
            long v = Long.parseLong(settings.getOrDefault(name, ""));
            return v > 0 ? v : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * A tracepoint that fired about once per thread while netprof recorded many operations is one this kernel
     * does not re-arm for async-profiler: say so and continue with {@code on}; otherwise continue with the tracepoint.
     */
    private void checkTracepointLater(LongSupplier operations) {
        long before = operations.getAsLong();
        Thread check = new Thread(() -> {
            try {
                Thread.sleep(CHECK_AFTER_MS);
                String tracepoint;
                int n;
                synchronized (this) {
                    if (!running) {
                        return;
                    }
                    tracepoint = mode;
                    profiler.execute("stop");
                    running = false;
                    n = files;
                }
                long ops = operations.getAsLong() - before;
                long[] samplesAndThreads = count(file(n));
                if (samplesAndThreads[0] <= samplesAndThreads[1] && ops > 10 * Math.max(1, samplesAndThreads[0])) {
                    say.accept(tracepoint + " fired once per thread (" + samplesAndThreads[0] + " samples on "
                        + samplesAndThreads[1] + " threads for " + ops + " network operations): this kernel does not "
                        + "re-arm tracepoints for async-profiler; sampling with syscalls=on instead");
                    begin("on", false);
                } else {
                    begin(tracepoint, false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ProfilerUnavailable | IOException e) {
                say.accept("syscall sampling stopped: " + e.getMessage());
            }
        }, "netprof-tracepoint-check");
        check.setDaemon(true);
        check.start();
    }

    /** {samples, distinct threads} in a finished JFR file. */
    static long[] count(Path jfr) throws IOException {
        long samples = 0;
        Set<Integer> threads = new HashSet<>();
        try (JfrReader r = new JfrReader(jfr.toString())) {
            for (ExecutionSample s; (s = r.readEvent(ExecutionSample.class)) != null; ) {
                samples += s.samples();
                threads.add(s.tid);
            }
        }
        return new long[] {samples, threads.size()};
    }
}
