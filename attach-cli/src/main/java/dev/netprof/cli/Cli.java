package dev.netprof.cli;

/** How the CLI talks: one line per message on stderr, prefixed like the agent's. */
final class Cli {
    static void say(String line) {
        System.err.println("netprof: " + line);
    }

    static int fail(int exitCode, String line) {
        say(line);
        return exitCode;
    }

    private Cli() {
    }
}
