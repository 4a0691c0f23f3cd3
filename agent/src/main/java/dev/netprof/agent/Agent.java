package dev.netprof.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * Starts, stops and flushes recordings in this JVM. At most one recording runs at a time, so loading the agent
 * twice never instruments twice.
 */
public final class Agent {
    private static Session session;

    /** Starts a recording; returns its output directory. */
    public static synchronized String start(Options options, Instrumentation inst, boolean attached)
        throws IOException {
        if (session != null && session.isRecording()) {
            throw new IllegalStateException("already recording into " + session.out() + "; netprof stop "
                + ProcessHandle.current().pid() + " first");
        }
        session = Session.start(options, inst, attached);
        return session.out().toString();
    }

    /** Stops the recording and removes the instrumentation; returns the output directory. */
    public static synchronized String stop() {
        Session s = recording();
        s.stop(true);
        return s.out().toString();
    }

    /** Writes everything recorded so far to the log, leaving the recording running; returns the output directory. */
    public static synchronized String dump() throws InterruptedException {
        Session s = recording();
        if (!s.flushNow()) {
            throw new IllegalStateException("the flusher did not write the log within 10 s");
        }
        return s.out().toString();
    }

    private static Session recording() {
        if (session == null || !session.isRecording()) {
            throw new IllegalStateException("netprof is not recording in this JVM");
        }
        return session;
    }

    /** netprof's only way to talk to the application's console: one line on stderr, prefixed. */
    public static void say(String line) {
        System.err.println("netprof: " + line);
    }

    private Agent() {
    }
}
