package dev.netprof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private static final List<String> ALL = List.of("list", "attach", "start", "status", "dump", "stop", "report",
        "demo");

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertEquals(Set.of("start"), Main.commandLine(new String[] {"start", "1234"}).getSubcommands().keySet());
        assertEquals(Set.of("report"), Main.commandLine(new String[] {"report", "dir"}).getSubcommands().keySet());
    }

    @Test
    void withoutASubcommandAllAreBuiltInTheUsagesOrder() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-V"})) {
            assertEquals(ALL, List.copyOf(Main.commandLine(args).getSubcommands().keySet()));
        }
    }

    @Test
    void aMistypedSubcommandIsAUsageErrorThatSuggestsTheRealOnes() {
        CommandLine commandLine = Main.commandLine(new String[] {"strat", "1234"});
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        assertEquals(CommandLine.ExitCode.USAGE, commandLine.execute("strat", "1234"));
        assertTrue(err.toString().contains("Did you mean:") && err.toString().contains("netprof start"),
            err::toString);
    }
}
