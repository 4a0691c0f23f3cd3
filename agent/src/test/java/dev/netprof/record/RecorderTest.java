package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.flush.Flusher;
import dev.netprof.flush.TestRecordings;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    @TempDir
    Path dir;

    /**
     * Ids start again at 1 in every recording: the connection a thread last recorded on belongs to its recording, or
     * an SSLEngine's handshake in the next one (events=tls) would be put on whatever connection has that id there.
     */
    @Test
    void aThreadsLastConnectionIsOfThisRecordingOnly() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
            Capture first = TestRecordings.capture();
            Recorder.start(first);
            try {
                Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
                assertEquals(first.connections.find(client).id, Recorder.lastConnection());
            } finally {
                Recorder.stop();
            }
            Recorder.start(TestRecordings.capture());
            try {
                assertEquals(0, Recorder.lastConnection(), "nothing recorded on this thread in this recording");
            } finally {
                Recorder.stop();
            }
        }
    }

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
                long start = FastClock.nanoTime();
                client.connect(address);
                Recorder.connected(Op.CONNECT, Api.NIO, client, start, true);
                Connections.Entry e = capture.connections.find(client);
                assertEquals(Connections.IGNORED, e.id);
                assertFalse(e.isClosed());
                client.close();
                Recorder.closed(Api.NIO, client, FastClock.nanoTime(), null);
                assertTrue(capture.connections.find(client).isClosed());
            } finally {
                Recorder.stop();
            }
        }
    }

    /**
     * Where a write's last short or failed send left it belongs to that write alone: the same socket, inside the
     * write's bytes, kept after the write began, and taken once, so a later write's failure never inherits it.
     */
    @Test
    void aSendsProgressIsTakenOnceByItsOwnWrite() {
        Object socket = new Object();
        Recorder.start(TestRecordings.capture());
        try {
            long start = FastClock.nanoTime();
            Recorder.sendEnded(socket, 300);
            assertEquals(260, Recorder.movedBeforeFailure(socket, start, 40, 500));
            assertEquals(0, Recorder.movedBeforeFailure(socket, start, 40, 500), "taken once");
            Recorder.sendEnded(socket, 300);
            assertEquals(0, Recorder.movedBeforeFailure(new Object(), start, 40, 500), "another socket's");
            assertEquals(0, Recorder.movedBeforeFailure(socket, start, 40, 500),
                "dropped by the failure it was not for");
            Recorder.sendEnded(socket, 300);
            assertEquals(0, Recorder.movedBeforeFailure(socket, FastClock.nanoTime(), 40, 500), "an earlier write's");
            Recorder.sendEnded(socket, 600);
            assertEquals(0, Recorder.movedBeforeFailure(socket, start, 40, 500), "past this write's bytes");
            Recorder.interruptedAfterMoving(Op.WRITE, socket);
            assertEquals(500, Recorder.movedBeforeFailure(socket, start, 40, 500), "all its sends took");
            Recorder.interruptedAfterMoving(Op.WRITE, socket);
            assertEquals(0, Recorder.movedBeforeFailure(new Object(), start, 40, 500), "all of another socket's");
            Recorder.interruptedAfterMoving(Op.WRITE, socket);
            assertEquals(0, Recorder.movedBeforeFailure(socket, FastClock.nanoTime(), 40, 500), "all of an earlier's");
        } finally {
            Recorder.stop();
        }
    }

    /**
     * A socket adaptor's read that an interrupt fails after it got bytes carries where its last read ended in its
     * array; a read alone keeps nothing for a failure.
     */
    @Test
    void anInterruptedReadCarriesWhatItsLastReadGot() {
        Object socket = new Object();
        Recorder.start(TestRecordings.capture());
        try {
            Recorder.selected(FastClock.nanoTime(), 0, 0, this); // the read's state is the thread's recording state
            long start = FastClock.nanoTime();
            Recorder.readTo(40 + 300);
            Recorder.interruptedAfterMoving(Op.READ, socket);
            assertEquals(300, Recorder.movedBeforeFailure(socket, start, 40, 4096));
            Recorder.readTo(100);
            assertEquals(0, Recorder.movedBeforeFailure(socket, start, 0, 4096), "a read alone keeps nothing");
            Recorder.readTo(100);
            Recorder.interruptedAfterMoving(Op.READ, socket);
            assertEquals(0, Recorder.movedBeforeFailure(new Object(), start, 0, 4096), "another socket's");
        } finally {
            Recorder.stop();
        }
    }

    @Test
    void positionsSumTheBuffersInRangeAndNeverThrow() {
        ByteBuffer[] buffers = {ByteBuffer.allocate(10).position(1), null, ByteBuffer.allocate(10).position(7),
            ByteBuffer.allocate(10).position(5)};
        assertEquals(12, Recorder.positions(buffers, 1, 3));
        assertEquals(13, Recorder.positions(buffers, 0, 4));
        assertEquals(0, Recorder.positions(buffers, 2, 0));
        assertEquals(0, Recorder.positions(buffers, 2, 3), "past the end");
        assertEquals(0, Recorder.positions(buffers, -1, 2), "before the start");
        assertEquals(0, Recorder.positions(buffers, 1, Integer.MAX_VALUE), "a length that overflows");
        assertEquals(0, Recorder.positions(null, 0, 1));
    }

    /**
     * A datagram that went as an interrupt closed its channel, the first to its peer: the close ran first, on the
     * interrupting thread, so the flow that datagram makes is closed with it, not left open.
     */
    @Test
    void aDatagramThatWentAsItsChannelClosedIsOnAFlowClosedWithIt() throws Exception {
        Capture capture = TestRecordings.capture();
        Path log = dir.resolve("events.nprof");
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, 0);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        Recorder.start(capture);
        try {
            DatagramChannel channel = DatagramChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.close();
            Recorder.datagramFailed(Op.SEND, channel, FastClock.nanoTime(), peer, new ClosedByInterruptException(),
                100);
        } finally {
            Recorder.stop();
        }
        flusher.finish(FastClock.nanoTime());
        List<long[]> events = new ArrayList<>(); // op, flow, bytes
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                events.add(new long[] {op, connection, bytes});
            }
        });
        assertEquals(2, events.size());
        long flow = events.get(0)[1];
        assertTrue(flow > 0, "on a flow");
        assertArrayEquals(new long[] {Op.SEND, flow, 100}, events.get(0), "the datagram");
        assertArrayEquals(new long[] {Op.CLOSE, flow, 0}, events.get(1), "its flow's close");
    }
}
