package dev.netprof.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * Starts and stops recordings in this JVM. At most one recording runs at a time, so loading the agent twice never
 * instruments twice.
 */
public final class Agent {
    private static Session session;

    public static synchronized void start(Options options, Instrumentation inst, boolean attached) throws IOException {
        if (session != null && session.isRecording()) {
            say("already recording into " + session.out() + "; the new start is ignored");
            return;
        }
        session = Session.start(options, inst, attached);
    }

    /** netprof's only way to talk to the application's console: one line on stderr, prefixed. */
    public static void say(String line) {
        System.err.println("netprof: " + line);
    }

    private Agent() {
    }
}
