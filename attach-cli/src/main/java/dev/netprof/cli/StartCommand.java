package dev.netprof.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netprof start PID}: starts recording in a running JVM and returns. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start recording in a running JVM and return; netprof stop PID ends it.")
final class StartCommand extends RecordingCommand {
    @Option(names = "--duration", description = "Stop by itself after this long, e.g. 30s or 5m (default: never).")
    String duration;

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
