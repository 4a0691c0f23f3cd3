package dev.netprof.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code netprof dump PID}: renders what was recorded so far; the recording goes on. */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = "Render the outputs of a running recording now; it keeps recording.")
final class DumpCommand extends TargetCommand {
    @Override
    int run() throws CliException {
        Path out;
        try (Target t = Target.attach(pid)) {
            out = Path.of(t.command(jar(), "dump", ""));
        }
        return render(out, true);
    }
}
