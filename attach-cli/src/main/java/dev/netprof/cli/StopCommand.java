package dev.netprof.cli;

import java.nio.file.Path;
import java.util.List;

/** {@code netprof stop PID}: ends the recording, restores the original bytecode, renders. */
final class StopCommand extends TargetCommand {
    static final Subcommand SUBCOMMAND = new Subcommand("stop",
        "Stop recording in a running JVM, remove netprof's instrumentation from it, and render the outputs.", List.of(PID),
        a -> new StopCommand(a).call());

    private StopCommand(Args args) {
        super(args);
    }

    @Override
    int run() throws CliException {
        Path out;
        try (Target t = Target.attach(pid)) {
            out = Path.of(t.command(jar(), "stop", ""));
        }
        return render(out);
    }
}
