package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.flush.TestRecordings;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    @TempDir
    Path dir;

    /**
     * A Unix-domain socket is looked up once and then ignored; its close still counts, or the table would keep it
     * until the GC collects it (a connection per request over a Unix socket would fill the table again).
     */
    @Test
    void anIgnoredSocketIsClosedSoThatTheTableLetsItGo() throws Exception {
        Capture capture = TestRecordings.capture();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("socket"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            Recorder.start(capture);
            try {
                long start = System.nanoTime();
                client.connect(address);
                Recorder.connected(Op.CONNECT, Api.NIO, client, start, true);
                Connections.Entry e = capture.connections.find(client);
                assertEquals(Connections.IGNORED, e.id);
                assertFalse(e.isClosed());
                client.close();
                Recorder.closed(Api.NIO, client, System.nanoTime(), null);
                assertTrue(capture.connections.find(client).isClosed());
            } finally {
                Recorder.stop();
            }
        }
    }
}
