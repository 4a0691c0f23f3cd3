package dev.netprof.cli;

import dev.netprof.agent.Options;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A command that starts a recording (attach, start): its options, turned into the agent's option string. */
abstract class RecordingCommand extends TargetCommand {
    private static final Param OUT = Param.option("--out", "DIR",
        "Output directory (default: ./netprof-<pid>-<timestamp>).");
    private static final Param SYSCALLS = Param.optionalValue("--syscalls", "MODE",
        "Sample with async-profiler beside the recording: on (the default when given without a mode), kernel,"
            + " tracepoint:<category:name>.");
    private static final Param AGENT_OPTIONS = Param.parameters("OPTION",
        "More agent options as key=value, e.g. threshold=1ms stacks=all events=socket.");

    /** What both accept, with their own {@code --duration}. */
    static List<Param> params(Param duration) {
        return List.of(PID, duration, OUT, SYSCALLS, AGENT_OPTIONS);
    }

    private final Path out;
    private final String syscalls;
    /** What followed a bare {@code --syscalls}: a mode written after a space, if the agent refuses it. */
    private final String afterSyscalls;
    private final List<String> agentOptions;

    RecordingCommand(Args args) {
        super(args);
        String dir = args.option(OUT);
        out = dir == null ? null : Path.of(dir);
        syscalls = args.option(SYSCALLS);
        afterSyscalls = args.afterBare(SYSCALLS);
        agentOptions = args.parameters().subList(1, args.parameters().size());
    }

    /**
     * The agent option string, checked here as the agent would check it: a bad option is refused before netprof.jar
     * is loaded into the target, which would otherwise have been changed (the jar added to its class path, and on
     * JDK 21+ a warning printed into its output) only to hear the refusal.
     */
    String checkedOptions(long durationNs) throws CliException {
        String options = agentOptions(durationNs);
        try {
            Options.parse(options);
        } catch (Options.BadOption e) {
            boolean modeAfterSpace = afterSyscalls != null && afterSyscalls.indexOf('=') < 0
                && agentOptions.contains(afterSyscalls);
            throw new CliException(ExitCodes.USAGE, e.getMessage() + (modeAfterSpace
                ? "; a mode of --syscalls follows an '=': --syscalls=" + afterSyscalls : "") + "; pid " + pid
                + " was not touched");
        }
        return options;
    }

    /**
     * Starts a recording in {@code t} with {@link #checkedOptions}; returns its output directory. The agent refuses
     * when one is running there, naming it; asking the target first would cost every attach a round trip to say the
     * same.
     */
    Path start(Target t, String options) throws CliException {
        return Path.of(t.command(jar(), "start", options));
    }

    /** The agent option string; the output directory is made absolute, since the target's cwd is not ours. */
    private String agentOptions(long durationNs) {
        Path dir = out != null ? out : Path.of("netprof-" + pid + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<String> all = new ArrayList<>();
        all.add("out=" + dir.toAbsolutePath());
        if (durationNs > 0) {
            all.add("duration=" + durationNs + "ns");
        }
        if (syscalls != null) {
            all.add("syscalls=" + syscalls);
        }
        all.addAll(agentOptions);
        return String.join(",", all);
    }

    static long nanos(String duration) throws CliException {
        try {
            return Options.duration(duration);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad duration '" + duration + "' (e.g. 30s, 500ms, 5m, 1h)");
        }
    }
}
