package dev.netprof.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code netprof}: the command line. Each subcommand is its own class; {@link Args} reads its arguments. The CLI
 * parses them itself: picocli, which it used before, built its model by reflection on every run, ~0.3 s of CPU of
 * the ~0.65 s a {@code netprof status} took, paid again before every attach, where the CLI competes for the CPUs with
 * the application it is about to record.
 */
public final class Main {
    /** In the order the usage lists them. */
    static final List<Subcommand> SUBCOMMANDS = List.of(ListCommand.SUBCOMMAND, AttachCommand.SUBCOMMAND,
        StartCommand.SUBCOMMAND, StatusCommand.SUBCOMMAND, DumpCommand.SUBCOMMAND, StopCommand.SUBCOMMAND,
        ReportCommand.SUBCOMMAND, DemoCommand.SUBCOMMAND);

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the command line {@code args}; help and the version go to {@code out}, messages to stderr. */
    static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            System.err.print(usage());
            return ExitCodes.USAGE;
        }
        switch (args[0]) {
            case "-h", "--help" -> {
                out.print(usage());
                return ExitCodes.OK;
            }
            case "-V", "--version" -> {
                out.println("netprof " + dev.netprof.agent.Version.get());
                return ExitCodes.OK;
            }
            default -> {
                // a subcommand, below
            }
        }
        Subcommand s = named(args[0]);
        if (s == null) {
            List<String> like = similar(args[0]);
            return Cli.fail(ExitCodes.USAGE, "no command '" + args[0] + "'"
                + (like.isEmpty() ? "" : "; did you mean " + String.join(" or ", like) + "?")
                + " (netprof --help lists them)");
        }
        Args a;
        try {
            a = Args.parse(s, Arrays.asList(args).subList(1, args.length));
        } catch (CliException e) {
            return Cli.fail(e.exitCode, e.getMessage() + "; usage: " + s.synopsis() + " (netprof " + s.name()
                + " --help)");
        }
        if (a.help) {
            out.print(s.help());
            return ExitCodes.OK;
        }
        try {
            return s.runner().run(a);
        } catch (CliException e) {
            return Cli.fail(e.exitCode, e.getMessage());
        }
    }

    /** A loop rather than a stream: a stream's first use loads 26 classes of the JDK's, before every attach. */
    private static Subcommand named(String name) {
        for (Subcommand s : SUBCOMMANDS) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    static String usage() {
        List<String[]> rows = new ArrayList<>();
        for (Subcommand s : SUBCOMMANDS) {
            rows.add(new String[] {s.name(), s.description()});
        }
        rows.add(new String[] {"-h, --help", "Show this help; netprof COMMAND --help shows a command's."});
        rows.add(new String[] {"-V, --version", "Print netprof's version."});
        return "Usage: netprof COMMAND [ARGUMENTS]\nA network profiler for running JVMs.\n\n" + Help.table(rows);
    }

    /** The subcommands {@code typed} may have meant: one or two letters off (a swap counting as one). */
    static List<String> similar(String typed) {
        List<String> like = new ArrayList<>();
        for (Subcommand s : SUBCOMMANDS) {
            if (distance(typed, s.name()) <= 2) {
                like.add(s.name());
            }
        }
        return like;
    }

    /** Edits (insertions, deletions, substitutions, swaps of neighbours) from a to b. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private Main() {
    }
}
