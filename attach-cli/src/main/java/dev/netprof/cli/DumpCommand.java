package dev.netprof.cli;

import java.nio.file.Path;
import java.util.List;

/** {@code netprof dump PID}: renders what was recorded so far; the recording goes on. */
final class DumpCommand extends TargetCommand {
    static final Subcommand SUBCOMMAND = new Subcommand("dump",
        "Render the outputs of a running recording now; it keeps recording.", List.of(PID),
        a -> new DumpCommand(a).call());

    private DumpCommand(Args args) {
        super(args);
    }

    @Override
    int run() throws CliException {
        Path out;
        try (Target t = Target.attach(pid)) {
            out = Path.of(t.command(jar(), "dump", ""));
        }
        return render(out, true);
    }
}
