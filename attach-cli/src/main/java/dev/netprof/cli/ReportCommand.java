package dev.netprof.cli;

import dev.netprof.render.LogReader;
import dev.netprof.render.Renderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code netprof report DIR}: renders every output again from DIR/events.nprof, also after a crash. */
final class ReportCommand {
    static final Subcommand SUBCOMMAND = new Subcommand("report",
        "Render every output of a recording again from its events.nprof (works after a crash or kill -9).",
        List.of(Param.parameter("DIR", "A recording directory (the agent's out=).")),
        a -> run(Path.of(a.parameters().get(0))));

    private static int run(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Cli.fail(ExitCodes.NOT_FOUND, "no such directory: " + dir);
        }
        if (!Files.isRegularFile(dir.resolve(Renderer.LOG))) {
            return Cli.fail(ExitCodes.NOT_FOUND, dir + " has no " + Renderer.LOG + ": not a netprof recording");
        }
        try {
            Renderer.render(dir).summary().forEach(Cli::say);
            return ExitCodes.OK;
        } catch (LogReader.LogException e) {
            return Cli.fail(ExitCodes.UNREADABLE, e.getMessage());
        } catch (IOException e) {
            return Cli.fail(ExitCodes.FAILED, "cannot render " + dir + ": " + e);
        }
    }

    private ReportCommand() {
    }
}
