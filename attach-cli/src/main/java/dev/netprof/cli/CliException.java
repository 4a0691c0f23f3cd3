package dev.netprof.cli;

/** A failure the CLI reports as one line on stderr and an exit code from {@link ExitCodes}. */
final class CliException extends Exception {
    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
