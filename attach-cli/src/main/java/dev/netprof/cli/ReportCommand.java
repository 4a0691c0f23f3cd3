package dev.netprof.cli;

import dev.netprof.render.LogReader;
import dev.netprof.render.Renderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code netprof report DIR}: renders every output again from DIR/events.nprof, also after a crash. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Render every output of a recording again from its events.nprof (works after a crash or kill -9).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A recording directory (the agent's out=).")
    Path dir;

    @Override
    public Integer call() {
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
}
