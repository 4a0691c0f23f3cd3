package dev.netprof.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM running a workload class from the test classpath, with or without netprof.jar as its agent.
 * Its stdout and stderr go to files in its work directory so a test can read them after (or during) the run.
 */
public final class ChildJvm {
    public static final Path NETPROF_JAR = Path.of(System.getProperty("netprof.jar", "../attach-cli/target/netprof.jar"))
        .toAbsolutePath().normalize();

    private final Jdk jdk;
    private final Path dir;
    private final List<String> jvmArgs = new ArrayList<>();
    private String agentOptions;
    private Integer cpu;
    private String mainClass;
    private final List<String> args = new ArrayList<>();

    public ChildJvm(Jdk jdk, Path dir) {
        this.jdk = jdk;
        this.dir = dir;
    }

    /** Runs with {@code -javaagent:netprof.jar=<options>}; out= defaults to {@link #out()}. */
    public ChildJvm agent(String options) {
        this.agentOptions = options;
        return this;
    }

    public ChildJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /**
     * Pins the whole JVM to one CPU with {@code taskset}: an unpinned loopback ping-pong swings several-fold between
     * runs on a 2-core machine; pinned, it repeated within a few percent on two machines (on a third, whose cores
     * themselves run slower at times, it did not: see AttachTest).
     */
    public ChildJvm pinnedTo(int cpu) {
        this.cpu = cpu;
        return this;
    }

    public ChildJvm main(Class<?> main, Object... mainArgs) {
        this.mainClass = main.getName();
        for (Object a : mainArgs) {
            args.add(String.valueOf(a));
        }
        return this;
    }

    public Path out() {
        return dir.resolve("netprof-out");
    }

    public Path stdoutFile() {
        return dir.resolve("stdout.txt");
    }

    public Path stderrFile() {
        return dir.resolve("stderr.txt");
    }

    public Process start() throws IOException {
        if (!Files.isRegularFile(NETPROF_JAR)) {
            throw new IllegalStateException(NETPROF_JAR + " is missing: run mvn package first");
        }
        List<String> cmd = new ArrayList<>();
        if (cpu != null) {
            cmd.addAll(List.of("taskset", "-c", cpu.toString())); // taskset execs java: the pid stays the JVM's
        }
        cmd.add(jdk.java().toString());
        if (agentOptions != null) {
            String options = agentOptions.contains("out=") ? agentOptions
                : "out=" + out() + (agentOptions.isEmpty() ? "" : "," + agentOptions);
            cmd.add("-javaagent:" + NETPROF_JAR + "=" + options);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(testClassPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(dir);
        return new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(stdoutFile().toFile()).redirectError(stderrFile().toFile()).start();
    }

    /** Runs to completion; fails the test if the child takes longer than {@code timeoutSeconds}. */
    public Result run(int timeoutSeconds) throws IOException, InterruptedException {
        Process p = start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM did not finish in " + timeoutSeconds + " s; stderr:\n"
                + Files.readString(stderrFile()));
        }
        return new Result(p.exitValue(), Files.readString(stdoutFile()), Files.readString(stderrFile()));
    }

    /** What a finished child left behind. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertSucceeded() {
            if (exitCode != 0) {
                throw new AssertionError("child JVM exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n"
                    + stderr);
            }
            return this;
        }
    }

    /** A recording of a workload that wrote its own ground truth, and that truth's lines. */
    public record Recorded(Summary summary, List<String> truth) {
    }

    /**
     * Runs {@code workload} under netprof with its default options, the path of a truth file in {@code dir} as its one
     * argument, and returns the recording's summary with the lines the workload wrote to that file.
     */
    static Recorded recordWithTruth(Jdk jdk, Path dir, Class<?> workload, int timeoutSeconds) throws Exception {
        Path truth = dir.resolve("truth.txt");
        ChildJvm child = new ChildJvm(jdk, dir).agent("").main(workload, truth);
        child.run(timeoutSeconds).assertSucceeded();
        return new Recorded(Summary.read(child.out()), Files.readAllLines(truth));
    }

    /**
     * The test classes and the libraries workloads use, without netprof's own classes and dependencies: a child must
     * see netprof only as the real, shaded netprof.jar agent.
     */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = new ArrayList<>();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            if (!(e.contains("/netprof-") || e.contains("/agent/target/") || e.contains("/byte-buddy")
                || e.contains("/jctools"))) {
                kept.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, kept);
    }
}
