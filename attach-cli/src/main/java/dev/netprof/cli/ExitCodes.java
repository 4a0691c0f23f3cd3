package dev.netprof.cli;

/** The CLI's exit codes; the README lists them. */
final class ExitCodes {
    static final int OK = 0;
    /** A command failed in a way not covered below; the message says why. */
    static final int FAILED = 1;
    /** Bad command line: an unknown command or option, a missing or malformed argument, a bad agent option. */
    static final int USAGE = 2;
    /** The directory or file named does not exist, or is not a netprof recording. */
    static final int NOT_FOUND = 3;
    /** The event log cannot be read: corrupt, or written by a newer netprof. */
    static final int UNREADABLE = 4;
    /** No process has that pid. */
    static final int NO_SUCH_PROCESS = 5;
    /** The process cannot be attached to: not a JVM, another user's JVM, or attach disabled in it. */
    static final int NOT_ATTACHABLE = 6;
    /** The JVM running the CLI has no jdk.attach module (a JRE or a trimmed runtime). */
    static final int NO_ATTACH_SUPPORT = 7;
    /** netprof failed inside the target JVM; the message is the target's. */
    static final int AGENT_FAILED = 8;
    /** The target did not answer in time. */
    static final int TIMEOUT = 9;
    /** The target JVM is not recording (for status, stop, dump). */
    static final int NOT_RECORDING = 10;

    private ExitCodes() {
    }
}
