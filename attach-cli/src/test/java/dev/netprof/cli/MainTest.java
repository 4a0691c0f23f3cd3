package dev.netprof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    /** What {@link Main#run} printed on stdout and stderr, and its exit code. */
    private record Ran(int exitCode, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
            return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void theHelpListsEveryCommandInTheREADMEsOrder() {
        Ran r = run("--help");
        assertEquals(0, r.exitCode());
        List<String> names = List.of("list", "attach", "start", "status", "dump", "stop", "report", "demo");
        int at = 0;
        for (String name : names) {
            int next = r.out().indexOf("\n  " + name + " ", at);
            assertTrue(next > at, name + " out of order in\n" + r.out());
            at = next;
        }
        assertEquals("", r.err());
    }

    @Test
    void noCommandIsAUsageErrorThatShowsTheHelp() {
        Ran r = run();
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals(Main.usage(), r.err());
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheRealOne() {
        Ran r = run("strat", "1234");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("netprof: no command 'strat'; did you mean start? (netprof --help lists them)\n", r.err());
        assertEquals(List.of("stop"), Main.similar("stpo"));
        assertEquals(List.of("report"), Main.similar("record"));
        assertEquals(List.of(), Main.similar("profile"));
    }

    @Test
    void aCommandsHelpShowsItsSynopsisAndEveryOption() {
        Ran r = run("attach", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("Usage: netprof attach PID [--duration D] [--out DIR] [--syscalls[=MODE]]"
            + " [OPTION...]\nRecord a running JVM"), r.out());
        for (String option : List.of("--duration D ", "--out DIR ", "--syscalls[=MODE] ", "OPTION... ", "-h, --help ")) {
            assertTrue(r.out().contains("\n  " + option), option + " missing from\n" + r.out());
        }
    }

    @Test
    void aBadArgumentNamesItselfAndTheCommandsSynopsis() {
        String synopsis = "; usage: netprof status PID (netprof status --help)\n";
        assertEquals(new Ran(ExitCodes.USAGE, "", "netprof: missing PID" + synopsis), run("status"));
        assertEquals(new Ran(ExitCodes.USAGE, "", "netprof: 'x1' is not a process id" + synopsis), run("status", "x1"));
        assertEquals(new Ran(ExitCodes.USAGE, "", "netprof: unexpected argument '9'" + synopsis),
            run("status", "1", "9"));
        assertEquals(new Ran(ExitCodes.USAGE, "", "netprof: unknown option '--out'" + synopsis),
            run("status", "1", "--out=d"));
    }

    @Test
    void aSyscallsModeGivenAfterASpaceIsRefusedWithTheFixBeforeTheTargetIsTouched() {
        Ran r = run("start", "1", "--syscalls", "kernel");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("netprof: unknown option 'kernel' (accepted: "), r.err());
        assertTrue(r.err().endsWith("; a mode of --syscalls follows an '=': --syscalls=kernel; pid 1 was not touched\n"),
            r.err());
        Ran attached = run("start", "1", "--syscalls=on", "stacks");
        assertEquals(ExitCodes.USAGE, attached.exitCode());
        assertTrue(attached.err().startsWith("netprof: bad value '' for option 'stacks'")
            && !attached.err().contains("--syscalls="), attached.err());
    }

    @Test
    void theHelpIsWrappedToAHundredColumns() {
        for (String args : List.of("--help", "attach --help", "demo --help")) {
            Ran r = run(args.split(" "));
            assertTrue(r.out().lines().allMatch(l -> l.length() <= Help.WIDTH), r.out());
            assertTrue(r.out().lines().count() > 5, r.out());
        }
        String attach = run("attach", "--help").out();
        assertTrue(attach.contains("\n                      without a mode), kernel, tracepoint:<category:name>.\n"),
            attach);
    }

    @Test
    void theVersionIsTheAgents() {
        assertEquals(new Ran(0, "netprof " + dev.netprof.agent.Version.get() + "\n", ""), run("-V"));
    }
}
