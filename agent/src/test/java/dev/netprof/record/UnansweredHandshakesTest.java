package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import org.junit.jupiter.api.Test;

class UnansweredHandshakesTest {
    private static Catalog.TlsInfo handshake(long connection) {
        return new Catalog.TlsInfo(connection, null, null, Api.ROLE_CLIENT, "TLSv1.3", null, new String[0], null, null,
            null, 0, false, false, 1, 1, true, null, 1);
    }

    @Test
    void aHeldHandshakeIsTakenOnceWhicheverWayItEnds() {
        UnansweredHandshakes u = new UnansweredHandshakes();
        Object answered = new Object(), unanswered = new Object();
        Catalog.TlsInfo first = handshake(1), second = handshake(2);
        u.hold(answered, first);
        u.hold(unanswered, second);
        assertTrue(u.holds(answered));
        assertSame(first, u.take(answered));
        assertFalse(u.holds(answered));
        assertNull(u.take(answered), "taken once");
        assertSame(second, u.takeAny(), "the recording ends");
        assertNull(u.takeAny());
        assertNull(u.take(unanswered), "already written at the end of the recording");
    }

    @Test
    void aHandshakeWhoseContextWasCollectedIsStillWritten() throws Exception {
        UnansweredHandshakes u = new UnansweredHandshakes();
        Catalog.TlsInfo dropped = handshake(3);
        u.hold(new Object(), dropped);
        Catalog.TlsInfo taken = null;
        for (int i = 0; i < 50 && (taken = u.takeCollected()) == null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertSame(dropped, taken);
        assertNull(u.takeAny(), "written once");
    }
}
