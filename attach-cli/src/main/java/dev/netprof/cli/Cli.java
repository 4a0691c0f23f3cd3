package dev.netprof.cli;

/** How the CLI talks: one line per message on stderr, prefixed like the agent's. */
final class Cli {
    static void say(String line) {
        System.err.println("netprof: " + line);
    }

    /**
     * The commands that attach need the jdk.attach module, which JREs and trimmed runtimes lack. Checked before any
     * class that mentions the attach API is loaded, or the JVM would fail with NoClassDefFoundError first.
     */
    static void requireAttachSupport() throws CliException {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new CliException(ExitCodes.NO_ATTACH_SUPPORT, "this Java runtime (" + System.getProperty("java.home")
                + ") has no jdk.attach module: run netprof with a full JDK 17+ (JAVA=/path/to/jdk/bin/java ./netprof)");
        }
    }

    static int fail(int exitCode, String line) {
        say(line);
        return exitCode;
    }

    private Cli() {
    }
}
