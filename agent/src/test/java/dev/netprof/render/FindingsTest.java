package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.event.Api;
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
}
