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
}
