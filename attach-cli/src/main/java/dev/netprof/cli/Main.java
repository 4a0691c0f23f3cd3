package dev.netprof.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code netprof}: the command line. Each subcommand is its own class. */
@Command(name = "netprof", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "A network profiler for running JVMs.")
public final class Main implements Runnable {
    /** In the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ListCommand.class, AttachCommand.class,
        StartCommand.class, StatusCommand.class, DumpCommand.class, StopCommand.class, ReportCommand.class,
        DemoCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command line for {@code args}: with only the subcommand they name, when they name one. picocli builds a
     * command's model by reflecting on its class, and building all eight took ~50 ms of the CLI's CPU (of picocli's
     * ~250) before every attach; the usage, and picocli's suggestions for a mistyped name, still get them all.
     */
    static CommandLine commandLine(String[] args) {
        Class<?> named = null;
        for (Class<?> c : SUBCOMMANDS) {
            if (args.length > 0 && c.getAnnotation(Command.class).name().equals(args[0])) {
                named = c;
                break;
            }
        }
        CommandLine commandLine = new CommandLine(new Main());
        for (Class<?> c : SUBCOMMANDS) {
            if (named == null || c == named) {
                commandLine.addSubcommand(c);
            }
        }
        return commandLine;
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
