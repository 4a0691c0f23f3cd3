package dev.netprof.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One warmed-up child JVM of {@code --method slices}: it measures a phase whenever it is given a turn and is
 * stopped (SIGSTOP) in between, so that the children of the other configs, pinned to the same CPU, run alone and
 * a stopped child costs the running one nothing.
 */
final class SlicedChild implements AutoCloseable {
    private static final long NS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();
    /** Queued after the child's last line; compared by identity, so no line it prints can pass for it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END_OF_STDOUT = new String("");

    private final ProfilerConfig config;
    private final String workload;
    private final List<String> command;
    private final Process process;
    private final Path dir;
    private final Path stderr;
    private final Writer turns;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Whether its warm-up gave up with the JIT still compiling ({@link LoopbackWorkload#UNSETTLED}). */
    private boolean unsettled;

    private SlicedChild(ProfilerConfig config, String workload, List<String> command, Process process, Path dir,
                        Path stderr) {
        this.config = config;
        this.workload = workload;
        this.command = command;
        this.process = process;
        this.dir = dir;
        this.stderr = stderr;
        this.turns = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        Thread reader = new Thread(this::readLines, "stdout of " + config.label);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} (a child in sliced mode) in {@code dir} and returns it warmed up and stopped. */
    static SlicedChild start(ProfilerConfig config, String workload, List<String> command, Path dir,
                             long timeoutSeconds) throws IOException, InterruptedException {
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile()).start();
        SlicedChild child = new SlicedChild(config, workload, command, p, dir, stderr);
        child.expect(LoopbackWorkload.READY, timeoutSeconds);
        child.signal("STOP");
        return child;
    }

    /** One measured phase: its rate, the units it did, and the CPU time all the child's threads took in it. */
    record Turn(double rate, double units, long userNs, long systemNs) {
    }

    /** Lets the stopped child run outside a turn (to take a diagnostic command); {@link #turn} stops it again. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    long pid() {
        return process.pid();
    }

    boolean unsettled() {
        return unsettled;
    }

    /** Lets the child run one measured phase alone. */
    Turn turn(long timeoutSeconds) throws IOException, InterruptedException {
        signal("CONT");
        turns.write("run\n");
        turns.flush();
        String[] f = expect("result " + workload + " ", timeoutSeconds).split(" ");
        signal("STOP");
        return new Turn(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]) * NS_PER_TICK,
            Long.parseLong(f[5]) * NS_PER_TICK);
    }

    /**
     * Ends the child (its recorder writes its outputs at exit), checks that the recorder recorded, and deletes its
     * directory. A child that does not exit in time is killed, so none is left stopped.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            signal("CONT");
            turns.close();
            if (!process.waitFor(LoopbackBenchmark.SLACK_SECONDS, TimeUnit.SECONDS)) {
                throw failure("did not exit in " + LoopbackBenchmark.SLACK_SECONDS + " s");
            }
            if (process.exitValue() != 0 || !config.recorded(dir)) {
                throw failure(process.exitValue() != 0 ? "exited with " + process.exitValue()
                    : config.label + " left no recording");
            }
        } finally {
            process.destroyForcibly().waitFor();
            TempDirs.delete(dir);
        }
    }

    /** The child's next line starting with {@code prefix}; others (a recorder's own messages) are skipped. */
    private String expect(String prefix, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String line;
        do {
            line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            unsettled |= LoopbackWorkload.UNSETTLED.equals(line);
        } while (line != null && line != END_OF_STDOUT && !line.startsWith(prefix));
        if (line == null || line == END_OF_STDOUT) {
            process.destroyForcibly().waitFor();
            throw failure("printed no line starting '" + prefix + "'" + (line == null ? " in " + timeoutSeconds
                + " s" : " before its stdout ended"));
        }
        return line;
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String ticks = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            p.waitFor();
            return Long.parseLong(ticks);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            throw new IllegalStateException("getconf CLK_TCK: " + e);
        }
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.US_ASCII))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone, as at the end of its stdout
        }
        lines.add(END_OF_STDOUT);
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw failure("could not be sent SIG" + name);
        }
    }

    private IllegalStateException failure(String what) throws IOException {
        return new IllegalStateException(String.join(" ", command) + " " + what + "\nstderr:\n"
            + Files.readString(stderr));
    }
}
