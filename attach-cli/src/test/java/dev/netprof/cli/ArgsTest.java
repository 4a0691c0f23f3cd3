package dev.netprof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args attach(String... args) throws CliException {
        return Args.parse(AttachCommand.SUBCOMMAND, List.of(args));
    }

    private static Param option(String name) {
        return AttachCommand.SUBCOMMAND.option(name);
    }

    private static String refusal(String... args) {
        CliException e = assertThrows(CliException.class, () -> attach(args));
        assertEquals(ExitCodes.USAGE, e.exitCode);
        return e.getMessage();
    }

    @Test
    void optionsGoAnywhereAmongTheParametersWithTheirValueAttachedOrNext() throws CliException {
        Args a = attach("--out", "/tmp/a b", "1234", "threshold=1ms", "--duration=5s", "stacks=all");
        assertEquals(1234, a.pid());
        assertEquals(List.of("1234", "threshold=1ms", "stacks=all"), a.parameters());
        assertEquals("/tmp/a b", a.option(option("--out")));
        assertEquals("5s", a.option(option("--duration")));
        assertNull(a.option(option("--syscalls")));
    }

    @Test
    void anOptionalValueIsOnlyEverAttachedSoWhatFollowsStaysAParameter() throws CliException {
        Args bare = attach("--syscalls", "1234", "threshold=1ms");
        assertEquals("on", bare.option(option("--syscalls")));
        assertEquals(List.of("1234", "threshold=1ms"), bare.parameters());
        assertEquals("1234", bare.afterBare(option("--syscalls")));
        Args attached = attach("1234", "--syscalls=kernel", "stacks");
        assertEquals("kernel", attached.option(option("--syscalls")));
        assertNull(attached.afterBare(option("--syscalls")));
        assertEquals("tracepoint:syscalls:sys_enter_write",
            attach("1234", "--syscalls=tracepoint:syscalls:sys_enter_write").option(option("--syscalls")));
    }

    @Test
    void doubleDashEndsTheOptionsAndHelpWinsOverAnyMistake() throws CliException {
        assertEquals(List.of("1234", "--out"), attach("1234", "--", "--out").parameters());
        assertEquals("-x", attach("1234", "--out=-x").option(option("--out")));
        assertTrue(attach("1234", "--out", "-h").help);
        assertTrue(attach("--colour", "-h").help);
        assertTrue(attach("--help", "--duration").help);
        assertEquals(List.of("1234", "-h"), attach("1234", "--", "-h").parameters());
    }

    @Test
    void eachMistakeIsAUsageErrorNamingIt() {
        assertEquals("missing PID", refusal("--duration", "1s"));
        assertEquals("unknown option '--colour'", refusal("1234", "--colour=blue"));
        assertEquals("unknown option '-d'", refusal("1234", "-d", "1s"));
        assertEquals("option '--duration' needs a value (D)", refusal("1234", "--duration"));
        assertEquals("option '--out' needs a value (DIR)", refusal("1234", "--out", "--duration", "1s"));
        assertEquals("'0' is not a process id", refusal("0"));
        assertEquals("option '--out' given twice", refusal("1234", "--out", "a", "--out=b"));
        assertEquals("'-5' is not a process id", refusal("--", "-5"));
    }
}
