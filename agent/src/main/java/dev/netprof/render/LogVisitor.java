package dev.netprof.render;

/** Receives the blocks of an events.nprof file in file order. Ids may be used before their definition. */
public interface LogVisitor {
    default void header(long pid, long startedNs, long startedEpochMs, String version, String options, String jvm) {
    }

    default void thread(long javaId, int osTid, String name) {
    }

    default void connection(long id, int api, int role, int flags, long openedNs, String local, String remote,
                            String remoteHost, int stackId) {
    }

    default void stack(int id, String[] frames) {
    }

    default void string(int id, String value) {
    }

    default void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                       long bytes, int ref, int stack) {
    }

    /** {@code count} successful operations faster than the threshold, summed. */
    default void aggregate(long connection, int op, long count, long bytes, long durationNs) {
    }

    default void note(String kind, String text) {
    }

    default void status(long atNs, long droppedEvents, long droppedDefinitions) {
    }

    default void end(long stoppedNs) {
    }
}
