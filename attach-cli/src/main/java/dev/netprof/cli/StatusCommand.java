package dev.netprof.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code netprof status PID}: whether netprof records there, since when, how much, and where to. */
final class StatusCommand extends TargetCommand {
    static final Subcommand SUBCOMMAND = new Subcommand("status",
        "Show whether a JVM is recording: since when, events, drops, output directory.", List.of(PID),
        a -> new StatusCommand(a).call());

    private StatusCommand(Args args) {
        super(args);
    }

    @Override
    int run() throws CliException {
        AgentStatus s;
        try (Target t = Target.attach(pid)) {
            s = t.status();
        }
        System.out.println(describe(s));
        return ExitCodes.OK;
    }

    static String describe(AgentStatus s) {
        if (s == null) {
            return "not loaded";
        }
        if (!s.recording()) {
            return "loaded (netprof " + s.version() + "), not recording; last recording in " + s.out();
        }
        if (s.stopping()) {
            return "stopping: completing the recording in " + s.out();
        }
        long seconds = Duration.between(Instant.ofEpochMilli(s.sinceEpochMs()), Instant.now()).getSeconds();
        return "recording since " + Instant.ofEpochMilli(s.sinceEpochMs()) + " (" + seconds + " s): "
            + String.format("%,d", s.events()) + " events, " + String.format("%,d", s.dropped()) + " dropped, into "
            + s.out();
    }
}
