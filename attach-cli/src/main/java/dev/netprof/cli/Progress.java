package dev.netprof.cli;

import java.io.Console;

/**
 * Shows how a recording advances: a bar redrawn in place on a terminal, a plain line every few seconds otherwise
 * (logs and pipes get no carriage returns).
 */
final class Progress {
    static final int WIDTH = 30;
    static final long PLAIN_EVERY_NS = 5_000_000_000L;

    private final long totalNs;
    private final boolean terminal = onTerminal();
    private long lastPlain;

    Progress(long totalNs) {
        this.totalNs = totalNs;
    }

    /**
     * Whether there is a terminal to redraw on. From JDK 22 {@code System.console()} returns a console even when
     * output goes to a pipe or a file, and {@code Console.isTerminal()} tells; before, a console means a terminal.
     */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException before22) {
            return true;
        }
    }

    void show(long elapsedNs, long events, long dropped) {
        long s = elapsedNs / 1_000_000_000L;
        String counts = String.format("%,d events, %,d dropped", events, dropped);
        if (terminal) {
            int filled = (int) Math.min(WIDTH, WIDTH * elapsedNs / Math.max(1, totalNs));
            System.err.print("\rnetprof: [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + s + "/"
                + totalNs / 1_000_000_000L + " s, " + counts + "   ");
        } else if (elapsedNs - lastPlain >= PLAIN_EVERY_NS) {
            lastPlain = elapsedNs;
            Cli.say("recording: " + s + " s of " + totalNs / 1_000_000_000L + " s, " + counts);
        }
    }

    void end() {
        if (terminal) {
            System.err.println();
        }
    }
}
