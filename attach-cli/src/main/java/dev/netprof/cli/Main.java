package dev.netprof.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code netprof}: the command line. Each subcommand is its own class. */
@Command(name = "netprof", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "A network profiler for running JVMs.",
    subcommands = {ListCommand.class, AttachCommand.class, StartCommand.class, StatusCommand.class, DumpCommand.class,
        StopCommand.class, ReportCommand.class, DemoCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"netprof " + dev.netprof.agent.Version.get()};
        }
    }
}
