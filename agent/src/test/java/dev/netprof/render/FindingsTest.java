package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import dev.netprof.flush.LogFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsTest {
    /** A place that leaks both ways gets a finding for each, each with its own count. */
    @Test
    void aPlaceThatLeaksBothWaysSaysWhichIsWhich() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.stack(1, new String[] {"app.Pool.open:12"});
        for (long id = 1; id <= 3; id++) {
            r.connection(id, Api.SOCKET, Api.ROLE_CLIENT, LogFormat.FLAG_ESTABLISHED, 0, "127.0.0.1:" + id,
                "127.0.0.1:80", null, 1);
        }
        r.leak(1, 5);
        r.leak(2, 6); // the third is open when the JVM exits (no stop note: an exit)
        List<String> leaks = Findings.of(r, List.of()).stream().filter(f -> f.kind().equals("leak"))
            .map(Findings.Finding::explanation).toList();
        assertEquals(List.of("2 connections garbage collected without being closed, opened at app.Pool.open:12",
            "1 connection still open when the JVM exited, opened at app.Pool.open:12"), leaks);
    }

    /**
     * A socket kept after its peer closed counts from the end of stream or the application's own last write, which
     * ever came later: a server still answering a half-closed request uses its connection. Connections kept from the
     * same read are one finding. One whose application had shut its output down first (a client that half-closed
     * its request) never entered CLOSE_WAIT, however long it kept the socket.
     */
    @Test
    void closeWaitCountsFromTheLastUseAndGroupsByTheRead() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.stack(1, new String[] {"app.Client.read:7"});
        long s = 1_000_000_000L;
        for (long id = 1; id <= 3; id++) {
            r.connection(id, Api.SOCKET, Api.ROLE_SERVER, LogFormat.FLAG_ESTABLISHED, 0, "127.0.0.1:80",
                "127.0.0.1:" + (5000 + id), null, 0);
            r.event(1, Op.READ, Outcome.EOF, 1, 0, s, id, 0, 0, 1);
        }
        r.event(1, Op.WRITE, Outcome.OK, 1, 6 * s, 1000, 1, 300, 0, 0); // #1 answers after the end of stream
        r.connection(4, Api.SOCKET, Api.ROLE_CLIENT, LogFormat.FLAG_ESTABLISHED, 0, "127.0.0.1:5004",
            "127.0.0.1:80", null, 0);
        r.event(1, Op.SHUTDOWN_OUTPUT, Outcome.OK, 1, 0, 1000, 4, 0, 0, 0);
        r.event(1, Op.READ, Outcome.EOF, 1, 0, s, 4, 0, 0, 1);
        for (long id = 1; id <= 4; id++) {
            r.event(1, Op.CLOSE, Outcome.OK, 1, 6 * s + 100_000_000L * id, 1000, id, 0, 0, 0);
        }
        List<String> closeWaits = Findings.of(r, List.of()).stream().filter(f -> f.kind().equals("close-wait"))
            .map(f -> f.connectionId() + " " + f.explanation()).toList();
        assertEquals(List.of("2 2 connections (#2 to 127.0.0.1:5002, ...): the peer closed, the application read the "
            + "end of stream and kept the socket in CLOSE_WAIT for up to 5.30 s after that and its own last read or "
            + "write; last read at the stack shown"), closeWaits);
    }

    /**
     * A server's failures are grouped by the endpoint its clients reached, not by each client's own port; a failed
     * lookup by its host. Each group carries its first failure's stack.
     */
    @Test
    void failuresAreGroupedByWhatTheyHaveInCommon() {
        Recording r = new Recording();
        r.header(1, 0, 0, "test", "", "test");
        r.stack(1, new String[] {"app.Server.handshake:40"});
        r.string(2, "no-such-host.invalid");
        for (long id = 1; id <= 3; id++) {
            r.connection(id, Api.NIO, Api.ROLE_SERVER, 0, 0, "127.0.0.1:8443", "127.0.0.1:" + (40000 + id), null, 0);
            r.event(1, Op.READ, Outcome.RESET, 1, 10 * id, 1, id, 0, 0, (int) (id == 1 ? 1 : 0));
        }
        r.event(1, Op.DNS_LOOKUP, Outcome.ERROR, 1, 100, 1, 0, 0, 2, 0);
        List<String> errors = Findings.of(r, List.of()).stream().filter(f -> f.kind().equals("errors"))
            .map(f -> f.explanation() + " " + f.stack()).toList();
        assertEquals(List.of("3 reset read failures with clients of 127.0.0.1:8443 [app.Server.handshake:40]",
            "1 other dns failure with no-such-host.invalid []"), errors);
    }
}
