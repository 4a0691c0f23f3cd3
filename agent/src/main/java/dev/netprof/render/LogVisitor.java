package dev.netprof.render;

import java.util.List;
import java.util.Map;

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

    /** The connection's socket was garbage collected without being closed. */
    default void leak(long connection, long atNs) {
    }

    /** The kernel's view of the process's sockets and the namespace's TCP counters at {@code atNs}. */
    default void kernel(long atNs, List<KernelSocket> sockets, Map<String, Long> counters) {
    }

    default void tls(Recording.Tls handshake) {
    }

    default void http(Recording.Http exchange) {
    }

    default void dns(Recording.Dns lookup) {
    }

    default void status(long atNs, long droppedEvents, long droppedDefinitions) {
    }

    default void end(long stoppedNs) {
    }
}
