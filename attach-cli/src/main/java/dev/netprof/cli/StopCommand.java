package dev.netprof.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code netprof stop PID}: ends the recording, restores the original bytecode, renders. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop recording in a running JVM, remove netprof's instrumentation from it, and render the outputs.")
final class StopCommand extends TargetCommand {
    @Override
    int run() throws CliException {
        Path out;
        try (Target t = Target.attach(pid)) {
            out = Path.of(t.command(jar(), "stop", ""));
        }
        return render(out);
    }
}
