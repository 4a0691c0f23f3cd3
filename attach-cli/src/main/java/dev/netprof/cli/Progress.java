package dev.netprof.cli;

/**
 * Shows how a recording advances: a bar redrawn in place on a terminal, a plain line every few seconds otherwise
 * (logs and pipes get no carriage returns).
 */
final class Progress {
    static final int WIDTH = 30;
    static final long PLAIN_EVERY_NS = 5_000_000_000L;

    private final long totalNs;
    private final boolean terminal = System.console() != null;
    private long lastPlain;

    Progress(long totalNs) {
        this.totalNs = totalNs;
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
