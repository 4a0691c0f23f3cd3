package dev.netprof.cli;

import dev.netprof.render.LogReader;
import dev.netprof.render.Renderer;
import java.io.IOException;
import java.nio.file.Path;

/** What every command aimed at a running JVM shares: the pid, the check for the attach API, and rendering afterwards. */
abstract class TargetCommand {
    static final Param PID = Param.pid("The process id of a running JVM (see netprof list).");

    final long pid;

    TargetCommand(Args args) {
        pid = args.pid();
    }

    final int call() throws CliException {
        Cli.requireAttachSupport();
        return run();
    }

    abstract int run() throws CliException;

    /** Renders what the target wrote into {@code out} and prints the summary. */
    static int render(Path out) {
        return render(out, false);
    }

    /** {@code live}: the target goes on recording ({@code netprof dump}). */
    static int render(Path out, boolean live) {
        try {
            Renderer.render(out, live).summary().forEach(Cli::say);
            return ExitCodes.OK;
        } catch (LogReader.LogException e) {
            return Cli.fail(ExitCodes.UNREADABLE, e.getMessage());
        } catch (IOException e) {
            return Cli.fail(ExitCodes.FAILED, "cannot render " + out + ": " + e);
        }
    }

    static Path jar() throws CliException {
        try {
            return SelfJar.path();
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage());
        }
    }
}
