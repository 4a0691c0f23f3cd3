package dev.netprof.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.List;
import java.util.Properties;

/** {@code netprof list}: the JVMs this user can attach to, their JDK, and whether netprof is in them. */
final class ListCommand {
    static final Subcommand SUBCOMMAND = new Subcommand("list",
        "List the running JVMs this user can see: pid, JDK version, netprof state, main class or jar.", List.of(),
        a -> run());

    private static int run() throws CliException {
        Cli.requireAttachSupport();
        System.out.printf("%-8s %-12s %-50s %s%n", "PID", "JDK", "NETPROF", "MAIN");
        long self = ProcessHandle.current().pid();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            String jdk = "?";
            String netprof;
            try (Target t = Target.attach(pid)) {
                Properties p = t.properties();
                jdk = p.getProperty("java.version", "?");
                netprof = StatusCommand.describe(AgentStatus.parse(p.getProperty(AgentStatus.PROPERTY)));
            } catch (CliException e) {
                netprof = "cannot attach: " + e.getMessage();
            }
            String main = d.displayName().isEmpty() ? "?" : d.displayName().split(" ")[0];
            System.out.printf("%-8d %-12s %-50s %s%n", pid, jdk, netprof.length() > 50 ? netprof.substring(0, 47)
                + "..." : netprof, main);
        }
        return ExitCodes.OK;
    }

    private ListCommand() {
    }
}
