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
    private final Map<String, String> options;
    private final List<String> parameters;

    private Args(boolean help, Map<String, String> options, List<String> parameters) {
        this.help = help;
        this.options = options;
        this.parameters = parameters;
    }

    static Args parse(Subcommand s, List<String> args) throws CliException {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Args(true, Map.of(), List.of());
            }
        }
        Map<String, String> values = new HashMap<>();
        List<String> parameters = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
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
                } else if (i + 1 < args.size()) {
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
        return new Args(false, values, parameters);
    }

    /** The named option's value, or null when it was not given. */
    String option(String name) {
        return options.get(name);
    }

    String option(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    /** The parameters, in order: what the subcommand's positional {@link Param}s name. */
    List<String> parameters() {
        return parameters;
    }

    /** The first parameter, a pid. */
    long pid() throws CliException {
        String pid = parameters.get(0);
        try {
            long p = Long.parseLong(pid);
            if (p > 0) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw usage("'" + pid + "' is not a process id");
    }

    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    private static void check(Subcommand s, List<String> parameters) throws CliException {
        int required = 0;
        boolean any = false;
        for (Param p : s.params()) {
            required += p.kind() == Param.Kind.PARAMETER ? 1 : 0;
            any |= p.kind() == Param.Kind.PARAMETERS;
        }
        if (parameters.size() < required) {
            throw usage("missing " + s.params().stream().filter(p -> p.kind() == Param.Kind.PARAMETER)
                .skip(parameters.size()).findFirst().orElseThrow().label());
        }
        if (!any && parameters.size() > required) {
            throw usage("unexpected argument '" + parameters.get(required) + "'");
        }
    }
}
