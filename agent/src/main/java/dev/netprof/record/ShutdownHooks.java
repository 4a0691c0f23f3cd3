package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The application's shutdown hooks, so that netprof's own hook can stop the recording after them. The JVM starts
 * every hook at once and exits when all have ended: a graceful shutdown that drains its connections in a hook sends
 * and closes while netprof's hook runs, and what it did after netprof stopped would be missing from the counts, its
 * connections shown as left open.
 *
 * <p>The JDK keeps the hooks in one map for the JVM's life and, at the exit, stops taking new ones without emptying
 * it, so the map found while recording holds every hook then. It is read here, in the bootstrap classes, because
 * java.lang is opened to their module alone.
 */
public final class ShutdownHooks {
    /** How long after the wait begins a hook may still be starting. */
    private static final long START_NS = 1_000_000_000L;
    private final Map<?, ?> registered;

    private ShutdownHooks(Map<?, ?> registered) {
        this.registered = registered;
    }

    /** The application's hooks, or null where this JDK keeps them some other way or is already exiting. */
    public static ShutdownHooks find() {
        try {
            Class<?> owner = JdkInternals.type("java.lang.ApplicationShutdownHooks");
            Object hooks = MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                .findStaticVarHandle(owner, "hooks", owner.getDeclaredField("hooks").getType()).get();
            return hooks instanceof Map<?, ?> map ? new ShutdownHooks(map) : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** One hook and whether it had ended (or never started) when the wait was over. */
    public record Hook(String thread, boolean ended) {
    }

    /**
     * At the exit, from one of the hooks: waits until every other hook has ended, at most {@code timeoutNs}, and says
     * how each stood then. The JVM starts the hooks one after another before it waits for any, so one still
     * unstarted is waited for to start, but not for long: one the JVM could not start (a virtual thread whose
     * scheduler is gone) never will, and the JVM does not wait for it.
     */
    public List<Hook> awaitOthers(long timeoutNs) throws InterruptedException {
        long begun = System.nanoTime();
        long deadline = begun + timeoutNs;
        long startDeadline = begun + Math.min(timeoutNs, START_NS);
        List<Hook> hooks = new ArrayList<>();
        for (Object key : registered.keySet()) {
            Thread hook = (Thread) key;
            if (hook == Thread.currentThread()) {
                continue;
            }
            while (hook.getState() == Thread.State.NEW && startDeadline - System.nanoTime() > 0) {
                Thread.sleep(1);
            }
            long left = deadline - System.nanoTime();
            if (left > 0 && hook.getState() != Thread.State.NEW) {
                hook.join(left / 1_000_000, (int) (left % 1_000_000));
            }
            Thread.State state = hook.getState();
            hooks.add(new Hook(hook.getName(), state == Thread.State.TERMINATED || state == Thread.State.NEW));
        }
        return hooks;
    }
}
