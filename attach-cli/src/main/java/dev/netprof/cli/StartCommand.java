package dev.netprof.cli;

import java.nio.file.Path;

/** {@code netprof start PID}: starts recording in a running JVM and returns. */
final class StartCommand extends RecordingCommand {
    private static final Param DURATION = Param.option("--duration", "D",
        "Stop by itself after this long, e.g. 30s or 5m (default: never).");
    static final Subcommand SUBCOMMAND = new Subcommand("start",
        "Start recording in a running JVM and return; netprof stop PID ends it.", params(DURATION),
        a -> new StartCommand(a).call());

    private final String duration;

    private StartCommand(Args args) {
        super(args);
        duration = args.option(DURATION);
    }

    @Override
    int run() throws CliException {
        String options = checkedOptions(duration == null ? 0 : nanos(duration));
        try (Target t = Target.attach(pid)) {
            Path out = start(t, options);
            Cli.say("recording pid " + pid + " into " + out + "; netprof stop " + pid + " ends it");
            return ExitCodes.OK;
        }
    }
}
