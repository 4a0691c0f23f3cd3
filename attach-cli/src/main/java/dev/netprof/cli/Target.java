package dev.netprof.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.netprof.agent.AgentMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM netprof talks to through the attach API: reading its system properties (netprof's status lives there),
 * and loading netprof.jar into it with a command. Every call has a timeout, and every failure becomes a
 * {@link CliException} saying what is wrong and, where there is one, the fix.
 */
final class Target implements AutoCloseable {
    static final int TIMEOUT_SECONDS = 30;
    private static final long SOCKET_POLL_MS = 2;
    private static final int SIGQUIT = 3;
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "netprof-attach");
        t.setDaemon(true);
        return t;
    });

    final long pid;
    private final VirtualMachine vm;
    /** The JDK's own attach when a second one overtook it ({@link #attach}); null otherwise. */
    private final Future<VirtualMachine> overtaken;

    private Target(long pid, VirtualMachine vm, Future<VirtualMachine> overtaken) {
        this.pid = pid;
        this.vm = vm;
        this.overtaken = overtaken;
    }

    static Target attach(long pid) throws CliException {
        if (pid == ProcessHandle.current().pid()) {
            throw new CliException(ExitCodes.NOT_ATTACHABLE, "pid " + pid + " is this netprof CLI itself");
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() ->
            new CliException(ExitCodes.NO_SUCH_PROCESS, "no process with pid " + pid));
        String id = Long.toString(pid);
        String what = "attaching to pid " + pid;
        Path socket = socketPath(pid);
        try {
            if (socket == null || Files.exists(socket)) {
                return new Target(pid, timed(what, () -> VirtualMachine.attach(id)), null);
            }
            if (!catchesQuit(pid)) {
                throw whyNot(process, new IOException("it does not handle SIGQUIT yet, the signal that starts a"
                    + " JVM's attach listener and ends most other processes; netprof did not send it"));
            }
            // The target's attach listener is not running yet. The JDK's attach starts it (SIGQUIT), then looks for
            // its socket after 100 ms, 300 ms, 600 ms...; on a busy 2-CPU machine the listener was up within 2-7 ms.
            // So while the JDK's attach waits, this watches for the socket and, once it is there, attaches again:
            // that attach finds the socket at once and makes the JDK's checks again. The first one ends by itself.
            Future<VirtualMachine> first = CALLS.submit(() -> VirtualMachine.attach(id));
            VirtualMachine vm = timed(what, () -> {
                while (!first.isDone() && !Files.exists(socket)) {
                    Thread.sleep(SOCKET_POLL_MS);
                }
                return first.isDone() ? unwrapped(first) : VirtualMachine.attach(id);
            });
            return new Target(pid, vm, first);
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw whyNot(process, e);
        }
    }

    /**
     * Whether {@code pid} has a handler for SIGQUIT, as a JVM does once started (one run with -Xrs has none, but
     * opens its attach socket at startup instead). The JDK's attach starts a target's attach listener with that
     * signal, and before JDK 21 it sends it without looking: to a process that is not a JVM, SIGQUIT is the signal to
     * quit (nginx and PostgreSQL shut down on it). True when /proc cannot tell, as the JDK would have assumed.
     */
    private static boolean catchesQuit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigCgt:")) {
                    long caught = Long.parseUnsignedLong(line.substring("SigCgt:".length()).trim(), 16);
                    return (caught & (1L << (SIGQUIT - 1))) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc, or a format this does not know
        }
        return true;
    }

    /**
     * Where HotSpot puts the attach socket of {@code pid}: /tmp as the target sees it, named with its pid in its own
     * pid namespace (a container's); null without /proc.
     */
    private static Path socketPath(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String nsPid = Long.toString(pid);
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] ids = line.substring("NSpid:".length()).trim().split("\\s+");
                    nsPid = ids[ids.length - 1];
                }
            }
            return proc.resolve("root").resolve("tmp").resolve(".java_pid" + nsPid);
        } catch (IOException e) {
            return null;
        }
    }

    Properties properties() throws CliException {
        try {
            return timed("reading the properties of pid " + pid, vm::getSystemProperties);
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw new CliException(ExitCodes.FAILED, "lost pid " + pid + ": " + e.getMessage());
        }
    }

    /** netprof's status in the target, or null when netprof was never started there. */
    AgentStatus status() throws CliException {
        return AgentStatus.parse(properties().getProperty(AgentStatus.PROPERTY));
    }

    /**
     * Loads netprof.jar with {@code command} and the recording options; returns what the agent replied after
     * {@code ok}, or fails with the agent's own message. The reply comes back as a system property of the target's,
     * tagged with a token of this call's: a reply file in /tmp would have to be writable by the target's user, and so
     * by any user, who could then answer in the agent's place (naming the directory a root CLI renders into). A
     * property can be set only by who can attach to the target, or by the target's own code, which sees the token in
     * the agent's arguments anyway; so the token need only be unique, not secret: this CLI's pid and clock. (A random
     * UUID initialised {@code SecureRandom}: ~35 ms of CPU before each attach.)
     */
    String command(Path jar, String command, String options) throws CliException {
        String token = ProcessHandle.current().pid() + "-" + System.nanoTime();
        String args = "command=" + command + ",reply=" + token + (options.isEmpty() ? "" : "," + options);
        try {
            timed(command + " in pid " + pid, () -> {
                vm.loadAgent(jar.toString(), args);
                return null;
            });
        } catch (CliException e) {
            throw e;
        } catch (AgentLoadException e) {
            throw new CliException(ExitCodes.AGENT_FAILED, refusalOrLoad(e));
        } catch (AgentInitializationException e) {
            throw new CliException(ExitCodes.AGENT_FAILED, "netprof failed to start in pid " + pid + " (code "
                + e.returnValue() + "); see that JVM's stderr");
        } catch (Exception e) {
            throw new CliException(ExitCodes.AGENT_FAILED, "loading netprof into pid " + pid + " failed: "
                + refusalOrLoad(e));
        }
        String reply = properties().getProperty(AgentMain.REPLY_PROPERTY, "");
        String answer = reply.startsWith(token + " ") ? reply.substring(token.length() + 1) : "";
        if (answer.startsWith("ok")) {
            return answer.substring(2).trim();
        }
        if (answer.startsWith("error ")) {
            String message = answer.substring("error ".length());
            throw new CliException(message.startsWith("netprof is not recording") ? ExitCodes.NOT_RECORDING
                : ExitCodes.AGENT_FAILED, "in pid " + pid + ": " + message);
        }
        throw new CliException(ExitCodes.AGENT_FAILED, "netprof in pid " + pid + " gave no answer; see its stderr");
    }

    @Override
    public void close() {
        detach(vm);
        if (overtaken != null) {
            // Waited for, not left to the CLI's exit: the JDK's attach removes the file it made to start the target's
            // attach listener (in the target's working directory) only when it ends.
            try {
                VirtualMachine first = overtaken.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (first != vm) {
                    detach(first);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException failed) {
                // it failed or is stuck: there is nothing to detach
            }
        }
    }

    private static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target went away: nothing to detach from
        }
    }

    /** JDK 21+ may refuse agents loaded into a running JVM (JEP 451); say how to allow them. */
    private static String refusalOrLoad(Exception e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Dynamic") || m.contains("EnableDynamicAgentLoading")) {
            return "the target JVM refuses agents loaded at run time: start it with -XX:+EnableDynamicAgentLoading";
        }
        return m;
    }

    /** Works out why attaching failed, from what the process is. */
    private static CliException whyNot(ProcessHandle process, Exception e) {
        long pid = process.pid();
        String command = process.info().command().orElse("?");
        String cmdline = process.info().commandLine().orElse(command);
        String user = process.info().user().orElse("?");
        String me = System.getProperty("user.name");
        boolean java = command.endsWith("/java") || command.endsWith("java") || cmdline.contains("-classpath")
            || Files.exists(Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + user, Long.toString(pid)));
        if (!java) {
            return new CliException(ExitCodes.NOT_ATTACHABLE, "pid " + pid + " is not a JVM (" + command + ")");
        }
        if (cmdline.contains("-XX:+DisableAttachMechanism")) {
            return new CliException(ExitCodes.NOT_ATTACHABLE, "pid " + pid
                + " was started with -XX:+DisableAttachMechanism: it cannot be attached to; restart it without that flag");
        }
        if (!user.equals("?") && !user.equals(me)) {
            return new CliException(ExitCodes.NOT_ATTACHABLE, "pid " + pid + " is a JVM of user " + user
                + ": run netprof as that user (sudo -u " + user + " ./netprof ...)");
        }
        return new CliException(ExitCodes.NOT_ATTACHABLE, "cannot attach to pid " + pid + ": " + e.getMessage());
    }

    /** Runs an attach call with {@link #TIMEOUT_SECONDS}; unwraps its exception. */
    private static <T> T timed(String what, Callable<T> call) throws Exception {
        Future<T> f = CALLS.submit(call);
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CliException(ExitCodes.TIMEOUT, what + " timed out after " + TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw cause(e);
        }
    }

    /** A finished call's result, or its own exception. */
    private static <T> T unwrapped(Future<T> done) throws Exception {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw cause(e);
        }
    }

    private static Exception cause(ExecutionException e) {
        return e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
}
