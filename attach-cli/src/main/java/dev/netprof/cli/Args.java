package dev.netprof.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A subcommand's arguments, read against its {@link Subcommand#params()}: options anywhere among the parameters,
 * {@code --} ending the options, {@code -h}/{@code --help} anywhere before it asking for its help, whatever else is
 * wrong. Every mistake is a usage error naming the argument.
 */
final class Args {
    final boolean help;
    /**
     * By option name: a {@link Param} as the key would hash through the record's generated {@code hashCode}, whose
     * first use links an invokedynamic bootstrap, ~20 ms of CPU before an attach.
     */
    private final Map<String, String> options;
    private final List<String> parameters;
    /** The parameter right after an optional-valued option given bare, by option name: a value put after a space? */
    private final Map<String, String> afterBare;

    private Args(boolean help, Map<String, String> options, List<String> parameters, Map<String, String> afterBare) {
        this.help = help;
        this.options = options;
        this.parameters = parameters;
        this.afterBare = afterBare;
    }

    static Args parse(Subcommand s, List<String> args) throws CliException {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Args(true, Map.of(), List.of(), Map.of());
            }
        }
        Map<String, String> values = new HashMap<>();
        List<String> parameters = new ArrayList<>();
        Map<String, String> afterBare = new HashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !isOption(arg)) {
                parameters.add(arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                Param p = s.option(name);
                if (p == null) {
                    throw usage("unknown option '" + name + "'");
                }
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (p.kind() == Param.Kind.OPTIONAL_VALUE) {
                    value = Param.FALLBACK;
                    if (i + 1 < args.size() && !isOption(args.get(i + 1))) {
                        afterBare.put(name, args.get(i + 1));
                    }
                } else if (i + 1 < args.size() && !isOption(args.get(i + 1))) {
                    value = args.get(++i);
                } else {
                    throw usage("option '" + name + "' needs a value (" + p.label() + ")");
                }
                if (values.put(name, value) != null) {
                    throw usage("option '" + name + "' given twice");
                }
            }
        }
        check(s, parameters);
        return new Args(false, values, parameters, afterBare);
    }

    /** The option's value, or null when it was not given. */
    String option(Param option) {
        return options.get(option.name());
    }

    String option(Param option, String otherwise) {
        return options.getOrDefault(option.name(), otherwise);
    }

    /** What followed {@code option} when it was given without a value, if a parameter did: its mode after a space? */
    String afterBare(Param option) {
        return afterBare.get(option.name());
    }

    /** The parameters, in order: what the subcommand's positional {@link Param}s name. */
    List<String> parameters() {
        return parameters;
    }

    /** The first parameter, a pid ({@link Param#pid}: checked by {@link #parse}). */
    long pid() {
        return Long.parseLong(parameters.get(0));
    }

    private static boolean isOption(String arg) {
        return arg.startsWith("-") && !arg.equals("-");
    }

    private static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    private static void check(Subcommand s, List<String> parameters) throws CliException {
        int at = 0;
        for (Param p : s.params()) {
            if (p.kind() == Param.Kind.PARAMETERS) {
                return;
            }
            if (!p.isSingle()) {
                continue;
            }
            if (at == parameters.size()) {
                throw usage("missing " + p.label());
            }
            if (p.kind() == Param.Kind.PID && !isPid(parameters.get(at))) {
                throw usage("'" + parameters.get(at) + "' is not a process id");
            }
            at++;
        }
        if (at < parameters.size()) {
            throw usage("unexpected argument '" + parameters.get(at) + "'");
        }
    }

    private static boolean isPid(String s) {
        try {
            return Long.parseLong(s) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
