package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingTest {
    /**
     * A non-blocking connect that never finished (closed by the application's own timeout, or left pending and
     * collected) is neither a connection nor a leak; one whose definition was dropped but that moved data still is.
     */
    @Test
    void aConnectThatNeverFinishedIsNoConnection() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.event(1, Op.CONNECT, Outcome.PENDING, 1, 0, 1_000, 5, 0, 0, 0);
        r.event(1, Op.CLOSE, Outcome.OK, 1, 5_000, 100, 5, 0, 0, 0);
        r.event(1, Op.CONNECT, Outcome.PENDING, 1, 0, 1_000, 6, 0, 0, 0);
        r.leak(6, 10_000);
        r.event(1, Op.READ, Outcome.OK, 1, 0, 10, 7, 64, 0, 0);
        assertEquals(List.of(7L), r.establishedConnections().stream().map(c -> c.id).toList());
        assertEquals(List.of(7L), Findings.leaks(r).stream().map(l -> l.connection().id).toList(),
            "only the connection, open when the recording ended");
    }

    /**
     * A connection closes after the last thing that happened on it: an error that traffic followed (a read timeout
     * the application retried) is not that, and neither is one the peer's end of stream followed. Events may arrive
     * out of time order (one buffer per thread).
     */
    @Test
    void aConnectionClosesAfterItsLastErrorOnlyIfNothingFollowedIt() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        // 1: a timeout, then reads, then the peer's end of stream.
        r.event(1, Op.READ, Outcome.OK, 1, 100, 10, 1, 64, 0, 0);
        r.event(1, Op.READ, Outcome.TIMEOUT, 1, 200, 10, 1, 0, 0, 0);
        r.event(1, Op.READ, Outcome.OK, 1, 300, 10, 1, 64, 0, 0);
        r.event(1, Op.READ, Outcome.EOF, 1, 400, 10, 1, 0, 0, 0);
        r.event(1, Op.CLOSE, Outcome.OK, 1, 500, 10, 1, 0, 0, 0);
        // 2: a timeout retried, then a close; the later read is logged first (another thread's buffer).
        r.event(2, Op.READ, Outcome.OK, 2, 300, 10, 2, 64, 0, 0);
        r.event(1, Op.READ, Outcome.TIMEOUT, 1, 200, 10, 2, 0, 0, 0);
        r.event(1, Op.CLOSE, Outcome.OK, 1, 500, 10, 2, 0, 0, 0);
        // 3: the peer's end of stream, then a write it resets.
        r.event(1, Op.READ, Outcome.EOF, 1, 100, 10, 3, 0, 0, 0);
        r.event(1, Op.WRITE, Outcome.RESET, 1, 200, 10, 3, 0, 0, 0);
        r.event(1, Op.CLOSE, Outcome.OK, 1, 500, 10, 3, 0, 0, 0);
        // 4: reads, then a timeout the application gave up after.
        r.event(1, Op.READ, Outcome.OK, 1, 100, 10, 4, 64, 0, 0);
        r.event(1, Op.READ, Outcome.TIMEOUT, 1, 200, 10, 4, 0, 0, 0);
        r.event(1, Op.CLOSE, Outcome.OK, 1, 500, 10, 4, 0, 0, 0);
        assertEquals(List.of("closed-after-eof", "closed", "closed-after-reset", "closed-after-timeout"),
            r.establishedConnections().stream().map(Recording.Connection::closeReason).toList());
    }
}
