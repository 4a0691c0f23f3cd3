package dev.netprof.cli;

import dev.netprof.cli.demo.DemoWorkload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code netprof demo}: records a built-in workload (blocking and NIO TCP, UDP, HTTP, TLS, DNS, failures, a leak)
 * in a child JVM started with {@code -javaagent:netprof.jar}, then says where the outputs are. Syscall sampling is
 * on unless the options say otherwise, so the demo writes every output netprof has, flame-syscalls.html included.
 */
final class DemoCommand {
    private static final String DEFAULT_OUT = "netprof-demo";
    private static final Param OUT = Param.option("--out", "DIR", "Output directory (default: " + DEFAULT_OUT + ").");
    private static final Param JAVA = Param.option("--java", "PATH",
        "The java executable for the child JVM (default: the one running netprof).");
    private static final Param AGENT_OPTIONS = Param.option("--agent-options", "OPTS",
        "Extra agent options, e.g. threshold=1ms.");
    static final Subcommand SUBCOMMAND = new Subcommand("demo",
        "Run a built-in network workload in a child JVM under netprof and write every output.",
        List.of(OUT, JAVA, AGENT_OPTIONS),
        a -> run(Path.of(a.option(OUT, DEFAULT_OUT)), a.option(JAVA), a.option(AGENT_OPTIONS, "")));

    private static int run(Path out, String java, String agentOptions) throws CliException {
        try {
            return runChild(out, java, agentOptions);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot run the demo workload: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted while the demo workload ran");
        }
    }

    private static int runChild(Path out, String java, String agentOptions) throws IOException, InterruptedException {
        Path jar = SelfJar.path();
        // A later option wins, so --agent-options can still set syscalls= (or anything else) differently.
        String options = "out=" + out.toAbsolutePath() + ",syscalls=on"
            + (agentOptions.isEmpty() ? "" : "," + agentOptions);
        List<String> cmd = new ArrayList<>();
        cmd.add(java != null ? java : SelfJar.currentJava());
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

    private DemoCommand() {
    }
}
