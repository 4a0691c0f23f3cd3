package dev.netprof.cli;

/** The CLI's exit codes; the README lists them. */
final class ExitCodes {
    static final int OK = 0;
    /** A command failed in a way not covered below; the message says why. */
    static final int FAILED = 1;
    /** Bad command line (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** The directory or file named does not exist, or is not a netprof recording. */
    static final int NOT_FOUND = 3;
    /** The event log cannot be read: corrupt, or written by a newer netprof. */
    static final int UNREADABLE = 4;

    private ExitCodes() {
    }
}
