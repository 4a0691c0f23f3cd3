package dev.netprof.cli;

import java.util.List;

/** The help's two-column tables. */
final class Help {
    static String table(List<String[]> rows) {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 3)).append(r[1]).append('\n');
        }
        return b.toString();
    }

    private Help() {
    }
}
