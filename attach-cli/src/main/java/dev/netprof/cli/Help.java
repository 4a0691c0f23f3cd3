package dev.netprof.cli;

import java.util.List;

/** The help's two-column tables, the second column wrapped to fit a terminal of {@link #WIDTH} columns. */
final class Help {
    static final int WIDTH = 100;

    static String table(List<String[]> rows) {
        int first = 0;
        for (String[] r : rows) {
            first = Math.max(first, r[0].length());
        }
        String indent = " ".repeat(first + 5);
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ").append(r[0]).append(" ".repeat(first - r[0].length() + 3));
            for (String word : r[1].split(" ")) {
                if (line.length() + 1 + word.length() > WIDTH && line.length() > indent.length()) {
                    b.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder(indent);
                }
                line.append(word).append(' ');
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private Help() {
    }
}
