package dev.netprof.bench;

import dev.netprof.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What records a benchmark child: nothing, netprof as it runs without options (every event family: socket, UDP,
 * select, TLS, HTTP, DNS; sampled stacks; optionally with syscall sampling), netprof with its TCP socket events only
 * (what JFR's socket events record), or JFR with only its socket events (with or without stack traces). Every
 * recorder writes into the run's scratch directory, and {@link #recorded} checks it really did, so a recorder that
 * failed to start cannot pass for one that costs nothing.
 */
enum ProfilerConfig {
    NONE("none", "no agent"),
    NETPROF("netprof", "-javaagent:netprof.jar=out=DIR (every event family, the default)"),
    NETPROF_SYSCALLS("netprof-syscalls", "-javaagent:netprof.jar=out=DIR,syscalls=on"),
    NETPROF_SOCKET("netprof-socket", "-javaagent:netprof.jar=out=DIR,events=socket (TCP only: no selects, TLS, HTTP"
        + " exchanges, DNS or UDP)"),
    NETPROF_BASELINE("netprof-baseline", "-javaagent:BASELINE=out=DIR: another build of netprof.jar, named by the"
        + " environment's NETPROF_BASELINE_JAR, run as netprof is, so a change is measured against the build before"
        + " it in the same rounds"),
    JFR_STACKS("jfr-stacks", "JFR with only jdk.SocketRead and jdk.SocketWrite, threshold 0 ms, stack traces on"
        + " (throttle off where the JDK has one)"),
    JFR_NOSTACKS("jfr-nostacks", "JFR with only jdk.SocketRead and jdk.SocketWrite, threshold 0 ms, stack traces off"
        + " (throttle off where the JDK has one)");

    final String label;
    final String description;

    ProfilerConfig(String label, String description) {
        this.label = label;
        this.description = description;
    }

    static ProfilerConfig of(String label) {
        for (ProfilerConfig c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no config " + label + "; none, netprof, netprof-syscalls, netprof-socket,"
            + " netprof-baseline, jfr-stacks or jfr-nostacks");
    }

    /** The build {@link #NETPROF_BASELINE} runs; checked when the config is chosen, not in the first child. */
    static Path baselineJar() {
        String jar = System.getenv("NETPROF_BASELINE_JAR");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalArgumentException("netprof-baseline needs NETPROF_BASELINE_JAR, the path of a netprof.jar"
                + " (now: " + jar + ")");
        }
        return Path.of(jar).toAbsolutePath();
    }

    /** The JVM options that start this recorder, writing into {@code dir}. */
    List<String> jvmArgs(TargetJdk jdk, Path dir) {
        String netprof = "-javaagent:" + ChildJvm.NETPROF_JAR + "=out=" + dir.resolve("netprof");
        switch (this) {
            case NONE:
                return List.of();
            case NETPROF:
                return List.of(netprof);
            case NETPROF_SYSCALLS:
                return List.of(netprof + ",syscalls=on");
            case NETPROF_SOCKET:
                return List.of(netprof + ",events=socket");
            case NETPROF_BASELINE:
                return List.of("-javaagent:" + baselineJar() + "=out=" + dir.resolve("netprof"));
            default:
                Path jfc = this == JFR_STACKS ? jdk.jfcStacks() : jdk.jfcNoStacks();
                return List.of("-XX:FlightRecorderOptions=repository=" + dir.resolve("jfr-repository"),
                    "-XX:StartFlightRecording=settings=" + jfc + ",filename=" + dir.resolve("recording.jfr")
                        + ",dumponexit=true");
        }
    }

    /**
     * Whether the recorder left its output in {@code dir} after the child exited: netprof's summary.json (with
     * syscalls=on its syscall flame graph, written only when samples were taken), or JFR's recording.
     */
    boolean recorded(Path dir) {
        switch (this) {
            case NONE:
                return true;
            case NETPROF:
            case NETPROF_SOCKET:
            case NETPROF_BASELINE:
                return Files.isRegularFile(dir.resolve("netprof/summary.json"));
            case NETPROF_SYSCALLS:
                return Files.isRegularFile(dir.resolve("netprof/flame-syscalls.collapsed"));
            default:
                return Files.isRegularFile(dir.resolve("recording.jfr"));
        }
    }
}
