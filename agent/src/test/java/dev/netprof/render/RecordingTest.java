package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Api;
import dev.netprof.event.HandshakeEnds;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordingTest {
    /**
     * A non-blocking connect that never finished (closed by the application's own timeout, or left pending and
     * collected) is neither a connection nor a leak; one whose definition was dropped but that moved data still is.
     */
    @Test
    void aConnectThatNeverFinishedIsNoConnection() {
        Recording r = recording();
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
        Recording r = recording();
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

    /**
     * An SSLSocket's handshake is on its own socket whatever the roles (an FTPS client in active mode accepts its
     * data connection, then handshakes as the client): kept, with its counts. An engine's tie is the thread's last
     * connection, and one of the other role cannot be true: dropped, with the counts on that connection.
     */
    @Test
    void onlyAnEnginesHandshakeOfTheOtherRoleIsDropped() {
        Recording r = recording();
        r.connection(1, Api.SOCKET, Api.ROLE_SERVER, 0, 0, "127.0.0.1:20", "127.0.0.1:5000", null, 0);
        r.connection(2, Api.NIO, Api.ROLE_CLIENT, 0, 0, "127.0.0.1:5001", "127.0.0.1:5432", null, 0);
        for (long id : new long[] {1, 2}) {
            r.event(1, Op.READ, Outcome.OK, 1, 100, 10, id, 1000, 0, 0);
            r.event(1, Op.TLS_READ, Outcome.OK, 1, 110, 0, id, 900, 0, 0);
        }
        r.tls(handshake(1, "127.0.0.1:20", Api.ROLE_CLIENT, true, null)); // the FTPS data connection's SSLSocket
        r.tls(handshake(2, null, Api.ROLE_SERVER, true, null)); // an engine over a channel netprof does not record
        r.complete();
        assertEquals(List.of(1L, 0L), r.tlsHandshakes.stream().map(Recording.Tls::connectionId).toList());
        assertEquals(900L, r.connections.get(1L).tlsPlaintextRead);
        assertEquals(null, r.connections.get(2L).tlsPlaintextRead);
        assertEquals(Set.of(2L), r.tlsMisattributed);
    }

    /**
     * A handshake closed by this side is the peer's doing only if its own connection had read its end of stream: a
     * connection it was wrongly tied to (and is no longer) says nothing of it.
     */
    @Test
    void aDroppedTieSaysNothingOfWhoEndedTheHandshake() {
        Recording r = recording();
        r.connection(2, Api.NIO, Api.ROLE_CLIENT, 0, 0, "127.0.0.1:5001", "127.0.0.1:5432", null, 0);
        r.connection(3, Api.NIO, Api.ROLE_SERVER, 0, 0, "127.0.0.1:443", "127.0.0.1:5002", null, 0);
        r.event(1, Op.READ, Outcome.EOF, 1, 100, 10, 2, 0, 0, 0); // the backend's answer, read to its end
        r.event(1, Op.READ, Outcome.EOF, 1, 100, 10, 3, 0, 0, 0);
        r.tls(handshake(2, null, Api.ROLE_SERVER, false, HandshakeEnds.CLOSED_HERE));
        r.tls(handshake(3, null, Api.ROLE_SERVER, false, HandshakeEnds.CLOSED_HERE));
        r.complete();
        assertEquals(List.of("0 " + HandshakeEnds.CLOSED_HERE, "3 " + HandshakeEnds.PEER_CLOSED),
            r.tlsHandshakes.stream().map(t -> t.connectionId() + " " + t.error()).toList());
    }

    private static Recording recording() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        return r;
    }

    private static Recording.Tls handshake(long connection, String local, int role, boolean ok, String error) {
        return new Recording.Tls(connection, local, "127.0.0.1:5000", role, "TLSv1.3", "TLS_AES_128_GCM_SHA256",
            List.of(), null, null, null, 0, false, false, 200, 1_000, ok, error, 1);
    }

    /**
     * The kernel's last view of a pair of addresses belongs to the connection that had opened last when it was
     * taken, even closed (the kernel keeps its socket a while), not to a later one on the same addresses (an
     * ephemeral port used again).
     */
    @Test
    void aKernelViewBelongsToTheConnectionOpenWhenItWasTaken() {
        Recording r = recording();
        for (long id : new long[] {1, 2}) {
            r.connection(id, Api.SOCKET, Api.ROLE_CLIENT, 0, id * 20_000, "127.0.0.1:5000", "127.0.0.1:80", null, 0);
            r.event(1, Op.CLOSE, Outcome.OK, 1, id * 20_000 + 9_000, 1_000, id, 0, 0, 0);
        }
        r.connection(3, Api.SOCKET, Api.ROLE_CLIENT, 0, 0, "127.0.0.1:5003", "127.0.0.1:80", null, 0);
        r.event(1, Op.CLOSE, Outcome.OK, 1, 1_000, 1_000, 3, 0, 0, 0);
        int timeWait = 6;
        r.kernel(25_000, List.of(new KernelSocket(25_000, false, "127.0.0.1:5000", "127.0.0.1:80",
            KernelSocket.CLOSE_WAIT, 0, 0, 0, 0, 0), new KernelSocket(25_000, false, "127.0.0.1:5003",
            "127.0.0.1:80", timeWait, 0, 0, 0, 0, 0)), Map.of());
        r.complete();
        assertEquals(null, r.connections.get(2L).kernel, "taken before #2 opened");
        assertEquals(KernelSocket.CLOSE_WAIT, r.connections.get(1L).kernel.state());
        assertEquals(timeWait, r.connections.get(3L).kernel.state(), "closed, and kept by the kernel");
    }

    /**
     * On a connection without a handshake of its own, more plaintext than ciphertext, beyond two records a
     * recording's edges may split from their socket writes, cannot be true: dropped. Within that allowance, or on a
     * connection with its own handshake (a stop between an engine's wrap and its writes), it is kept.
     */
    @Test
    void plaintextBeyondTheCiphertextIsDroppedOnlyWithoutAHandshakeOfItsOwn() {
        Recording r = recording();
        long over = 10_000 + Recording.TLS_EDGE_BYTES + 1;
        long[][] plaintext = {{1, over}, {2, over - 1}, {3, over}}; // #3 has its own handshake
        for (long[] p : plaintext) {
            r.connection(p[0], Api.NIO, Api.ROLE_CLIENT, 0, 0, "127.0.0.1:" + (5000 + p[0]), "127.0.0.1:443", null,
                0);
            r.event(1, Op.WRITE, Outcome.OK, 1, 100, 10, p[0], 10_000, 0, 0);
            r.event(1, Op.TLS_WRITE, Outcome.OK, 1, 110, 0, p[0], p[1], 0, 0);
        }
        r.tls(handshake(3, null, Api.ROLE_CLIENT, true, null));
        r.complete();
        assertEquals(Set.of(1L), r.tlsMisattributed);
        assertEquals(null, r.connections.get(1L).tlsPlaintextWritten);
        assertEquals(over - 1, r.connections.get(2L).tlsPlaintextWritten);
        assertEquals(over, r.connections.get(3L).tlsPlaintextWritten);
    }
}
