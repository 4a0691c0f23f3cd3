package dev.netprof.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts, stops and flushes recordings in this JVM. At most one recording runs at a time, so loading the agent
 * twice never instruments twice.
 */
public final class Agent {
    /**
     * The recording running or stopping, null otherwise: a stopped one lets go ({@link #stopped}), or its capture,
     * catalog and connection table would stay on the application's heap until the next start.
     */
    private static final AtomicReference<Session> SESSION = new AtomicReference<>();

    /** Starts a recording; returns its output directory. */
    public static synchronized String start(Options options, Instrumentation inst, boolean attached)
        throws IOException {
        Session running = SESSION.get();
        if (running != null) {
            String pid = Long.toString(ProcessHandle.current().pid());
            throw new IllegalStateException(running.isRecording()
                ? "already recording into " + running.out() + "; netprof stop " + pid + " first"
                : "still stopping the recording into " + running.out() + "; start again once it has stopped");
        }
        Session s = Session.start(options, inst, attached);
        SESSION.set(s);
        if (s.isFinished()) {
            SESSION.compareAndSet(s, null); // a duration so short that it stopped before it was set
        }
        return s.out().toString();
    }

    /**
     * Stops the recording and removes the instrumentation; returns the output directory. A stop already under way
     * (its duration ended, or the JVM is exiting) is waited for.
     */
    public static synchronized String stop() {
        Session s = SESSION.get();
        if (s == null) {
            throw notRecording();
        }
        s.stop(true, false); // the CLI that asked renders
        return s.out().toString();
    }

    /** Writes everything recorded so far to the log, leaving the recording running; returns the output directory. */
    public static synchronized String dump() throws InterruptedException {
        Session s = SESSION.get();
        if (s == null || !s.isRecording()) {
            throw notRecording();
        }
        if (!s.flushNow()) {
            throw new IllegalStateException("the flusher did not write the log within 10 s");
        }
        return s.out().toString();
    }

    /**
     * {@code s} has finished stopping. Not synchronized: it runs under the session's lock, which {@link #stop} waits
     * for while holding this class's.
     */
    static void stopped(Session s) {
        SESSION.compareAndSet(s, null);
    }

    private static IllegalStateException notRecording() {
        return new IllegalStateException("netprof is not recording in this JVM");
    }

    /** netprof's only way to talk to the application's console: one line on stderr, prefixed. */
    public static void say(String line) {
        System.err.println("netprof: " + line);
    }

    private Agent() {
    }
}
