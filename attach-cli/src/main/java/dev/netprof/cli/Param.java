package dev.netprof.cli;

/**
 * One thing a subcommand accepts, as its help lists it: a positional parameter (one, or any number when it is the
 * last), or an option. An option's value follows it ({@code --out DIR}) or is attached ({@code --out=DIR}), and cannot
 * start with '-' unless attached, so that a forgotten value is not filled by the next option. An optional value can
 * only be attached ({@code --syscalls=kernel}), as getopt_long has it, so that what follows the option stays a
 * parameter.
 */
record Param(Kind kind, String name, String label, String help) {
    enum Kind { PID, PARAMETER, PARAMETERS, OPTION, OPTIONAL_VALUE }

    /** The value an option with an optional value takes when given without one. */
    static final String FALLBACK = "on";

    /** A process id: a positional parameter that must be a positive number. */
    static Param pid(String help) {
        return new Param(Kind.PID, "PID", "PID", help);
    }

    static Param parameter(String label, String help) {
        return new Param(Kind.PARAMETER, label, label, help);
    }

    /** Any number of parameters, as the last {@link Param} of a subcommand. */
    static Param parameters(String label, String help) {
        return new Param(Kind.PARAMETERS, label, label, help);
    }

    static Param option(String name, String label, String help) {
        return new Param(Kind.OPTION, name, label, help);
    }

    /** {@code --name} alone is {@code --name=on}. */
    static Param optionalValue(String name, String label, String help) {
        return new Param(Kind.OPTIONAL_VALUE, name, label, help);
    }

    boolean isOption() {
        return kind == Kind.OPTION || kind == Kind.OPTIONAL_VALUE;
    }

    /** One positional parameter, required. */
    boolean isSingle() {
        return kind == Kind.PID || kind == Kind.PARAMETER;
    }

    /** How the synopsis and the help show it: {@code PID}, {@code OPTION...}, {@code --out DIR}, {@code --syscalls[=MODE]}. */
    String shown() {
        return switch (kind) {
            case PID, PARAMETER -> label;
            case PARAMETERS -> label + "...";
            case OPTION -> name + " " + label;
            case OPTIONAL_VALUE -> name + "[=" + label + "]";
        };
    }
}
