package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import dev.netprof.flush.Flusher;
import dev.netprof.flush.TestRecordings;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field of every event comes back from events.nprof exactly as it was recorded: the flusher encodes a
 * block's events with a position of its own, and a field written one byte off would shift every event after it.
 */
class EventLogRoundTripTest {
    private static final int[] OPS = {Op.CONNECT, Op.READ, Op.WRITE, Op.SELECT, Op.HTTP_EXCHANGE, Op.CLOSE};
    private static final int[] OUTCOMES = {Outcome.OK, Outcome.EOF, Outcome.RESET, Outcome.PENDING};
    /** Values on both sides of each varint length, up to a long's top bit (durations, byte counts, ids). */
    private static final long[] SIZES = {0, 1, 127, 128, 16_383, 16_384, 1L << 31, 1L << 35, 1L << 56, Long.MAX_VALUE};

    @TempDir
    Path dir;

    record Event(int op, int outcome, long thread, long start, long duration, long connection, long bytes, int ref,
                 int stack) {
    }

    @Test
    void everyFieldOfEveryEventIsReadBackAsRecorded() throws Exception {
        // 16 records a buffer: the events span full buffers handed over and a partial one read at the end.
        Capture capture = TestRecordings.capture();
        Path log = dir.resolve("events.nprof");
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, 0);
        long self = Thread.currentThread().getId();
        SplittableRandom random = new SplittableRandom(42);
        List<Event> recorded = new ArrayList<>();
        long start = capture.startedNs;
        for (int i = 0; i < 200; i++) {
            // Starts go back as well as forward (an exchange ends after the operations inside it): negative deltas.
            start += random.nextLong(-1_000_000, 50_000_000);
            Event e = new Event(OPS[i % OPS.length], OUTCOMES[i % OUTCOMES.length],
                i % 3 == 0 ? self : 1 + random.nextLong(1L << 40), start, SIZES[i % SIZES.length],
                SIZES[(i + 3) % SIZES.length], SIZES[(i + 7) % SIZES.length], i % 4 == 0 ? 0 : random.nextInt(1, 1 << 20),
                i % 5 == 0 ? 0 : random.nextInt(1, Stacks.MAX_STACKS + 1));
            Recorder.emitFor(capture, e.thread, e.op, e.outcome, e.ref, e.start, e.start + e.duration, e.connection,
                e.bytes, e.stack);
            recorded.add(e);
        }
        flusher.finish(FastClock.nanoTime());

        List<Event> read = new ArrayList<>();
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                read.add(new Event(op, outcome, thread, start, duration, connection, bytes, ref, stack));
            }
        });
        assertEquals(recorded, read);
    }
}
