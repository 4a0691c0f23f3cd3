package dev.netprof.cli;

import dev.netprof.cli.demo.DemoWorkload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netprof demo}: records a built-in workload (blocking and NIO TCP, UDP, HTTP, TLS, DNS, failures, a leak)
 * in a child JVM started with {@code -javaagent:netprof.jar}, then says where the outputs are. Syscall sampling is
 * on unless the options say otherwise, so the demo writes every output netprof has, flame-syscalls.html included.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a built-in network workload in a child JVM under netprof and write every output.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "netprof-demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--java", description = "The java executable for the child JVM (default: the one running netprof).")
    Path java;

    @Option(names = "--agent-options", defaultValue = "", description = "Extra agent options, e.g. threshold=1ms.")
    String agentOptions;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path jar = SelfJar.path();
        // A later option wins, so --agent-options can still set syscalls= (or anything else) differently.
        String options = "out=" + out.toAbsolutePath() + ",syscalls=on"
            + (agentOptions.isEmpty() ? "" : "," + agentOptions);
        List<String> cmd = new ArrayList<>();
        cmd.add(java != null ? java.toString() : SelfJar.currentJava());
        cmd.add("-javaagent:" + jar + "=" + options);
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add(DemoWorkload.class.getName());
        Cli.say("running the demo workload: " + String.join(" ", cmd));
        int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (exit != 0) {
            return Cli.fail(ExitCodes.FAILED, "the demo workload exited with " + exit);
        }
        Cli.say("open " + out.toAbsolutePath().resolve("report.html") + " to start");
        return ExitCodes.OK;
    }
}
