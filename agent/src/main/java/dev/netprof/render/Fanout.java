package dev.netprof.render;

import java.util.List;

/** Hands each event of one pass over the log to several consumers, so the log is read once for all of them. */
final class Fanout implements LogVisitor {
    private final List<LogVisitor> visitors;

    Fanout(LogVisitor... visitors) {
        this.visitors = List.of(visitors);
    }

    @Override
    public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                      long bytes, int ref, int stack) {
        for (LogVisitor v : visitors) {
            v.event(osTid, op, outcome, thread, start, duration, connection, bytes, ref, stack);
        }
    }

    @Override
    public void aggregate(long connection, int op, long count, long bytes, long durationNs) {
        for (LogVisitor v : visitors) {
            v.aggregate(connection, op, count, bytes, durationNs);
        }
    }
}
