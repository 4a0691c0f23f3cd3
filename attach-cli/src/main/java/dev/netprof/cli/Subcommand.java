package dev.netprof.cli;

import java.util.ArrayList;
import java.util.List;

/** A subcommand: its name, what it does and accepts (for the help and for {@link Args}), and what runs it. */
record Subcommand(String name, String description, List<Param> params, Runner runner) {
    interface Runner {
        int run(Args args) throws CliException;
    }

    Subcommand {
        for (int i = 0; i < params.size() - 1; i++) {
            if (params.get(i).kind() == Param.Kind.PARAMETERS) {
                throw new IllegalArgumentException(name + ": any number of " + params.get(i).label()
                    + " can only come last");
            }
        }
    }

    /** The option called {@code name}, or null. */
    Param option(String name) {
        for (Param p : params) {
            if (p.isOption() && p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** {@code netprof attach PID [--duration D] ... [OPTION...]}: parameters first, as they are usually given. */
    String synopsis() {
        StringBuilder b = new StringBuilder("netprof ").append(name);
        for (Param p : params) {
            if (p.isSingle()) {
                b.append(' ').append(p.shown());
            }
        }
        for (Param p : params) {
            if (!p.isSingle()) {
                b.append(" [").append(p.shown()).append(']');
            }
        }
        return b.toString();
    }

    String help() {
        List<String[]> rows = new ArrayList<>();
        for (Param p : params) {
            rows.add(new String[] {p.shown(), p.help()});
        }
        rows.add(new String[] {"-h, --help", "Show this help."});
        return "Usage: " + synopsis() + "\n" + description + "\n\n" + Help.table(rows);
    }
}
