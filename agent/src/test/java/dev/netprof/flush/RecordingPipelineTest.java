package dev.netprof.flush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Capture;
import dev.netprof.record.FastClock;
import dev.netprof.record.Recorder;
import dev.netprof.record.StackSampling;
import dev.netprof.record.TlsRecorder;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import dev.netprof.render.Recording;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder, flusher and reader together, driven directly (no instrumentation) over a real loopback pair. */
class RecordingPipelineTest {
    private static final int OPS_PER_THREAD = 5000;
    private static final long HOUR = 3_600_000_000_000L;

    @TempDir
    Path dir;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;

    @BeforeEach
    void connect() throws Exception {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close();
        listener.close();
    }

    @Test
    void everyEventPublishedBeforeStopIsInTheLogWithExactTotals() throws Exception {
        Recording r = record(0);
        assertTrue(r.cleanStop);
        assertFalse(r.torn);
        assertEquals(0, r.droppedEvents);
        assertEquals(2 + 2 * OPS_PER_THREAD + 1 + 2, r.events); // connect, accept, transfers, EOF, closes
        Recording.Connection c = connection(r, Api.ROLE_CLIENT);
        Recording.Connection s = connection(r, Api.ROLE_SERVER);
        assertEquals(100L * OPS_PER_THREAD, c.bytesWritten);
        assertEquals(OPS_PER_THREAD, c.writes);
        assertEquals(100L * OPS_PER_THREAD, s.bytesRead);
        assertEquals(OPS_PER_THREAD + 1, s.reads);
        assertEquals("closed-after-eof", s.closeReason());
        assertEquals("closed", c.closeReason());
        assertEquals(client.getLocalAddress(), parse(c.local));
        assertEquals(client.getRemoteAddress(), parse(c.remote));
        assertTrue(r.frames(c.openStack).stream().anyMatch(f -> f.contains("RecordingPipelineTest.record")));
    }

    @Test
    void fastOperationsBelowTheThresholdKeepExactTotalsAsAggregates() throws Exception {
        Recording r = record(Long.MAX_VALUE);
        // Sampled operations keep their stack and stay individual; all the others are only sums.
        assertEquals(2 * OPS_PER_THREAD + 1 + 4, r.aggregatedEvents + r.events);
        assertTrue(r.aggregatedEvents > OPS_PER_THREAD);
        Recording.Connection c = connection(r, Api.ROLE_CLIENT);
        Recording.Connection s = connection(r, Api.ROLE_SERVER);
        assertEquals(100L * OPS_PER_THREAD, c.bytesWritten);
        assertEquals(OPS_PER_THREAD, c.writes);
        assertEquals(100L * OPS_PER_THREAD, s.bytesRead);
        assertEquals(OPS_PER_THREAD + 1, s.reads);
        assertEquals("closed-after-eof", s.closeReason());
    }

    @Test
    void aTornLastBlockIsToleratedAndOtherFilesAreRefused() throws Exception {
        record(0);
        Path log = dir.resolve("events.nprof");
        byte[] all = Files.readAllBytes(log);
        Path torn = dir.resolve("torn.nprof");
        Files.write(torn, Arrays.copyOf(all, all.length - 3));
        Recording r = Recording.read(torn);
        assertTrue(r.torn);
        assertFalse(r.cleanStop);
        assertTrue(r.events > 0);

        Path notALog = dir.resolve("notes.txt");
        Files.writeString(notALog, "hello, this is not a netprof log");
        assertEquals(notALog + " is not a netprof event log",
            assertThrows(LogReader.LogException.class, () -> Recording.read(notALog)).getMessage());

        byte[] newer = all.clone();
        newer[LogFormat.MAGIC.length] = 0x7F;
        Path future = dir.resolve("future.nprof");
        Files.write(future, newer);
        assertTrue(assertThrows(LogReader.LogException.class, () -> Recording.read(future)).getMessage()
            .contains("use a newer netprof"));
    }

    /**
     * A flusher that fails on something other than an IOException keeps it from the application (whose default
     * handler may exit) and says so at the stop, which still writes every event into a log that reads back whole.
     */
    @Test
    void aFailingFlusherIsReportedAtTheStopAndTheLogStaysReadable() throws Exception {
        Capture capture = TestRecordings.capture();
        Path log = dir.resolve("events.nprof");
        List<Throwable> uncaught = new ArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, 0);
        flusher.afterWrite(() -> {
            throw new IllegalStateException("boom");
        });
        Recorder.start(capture);
        IOException failure;
        try {
            Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
            Recorder.transfer(Op.WRITE, Api.NIO, client, FastClock.nanoTime(), 100);
            flusher.flushNow(5_000); // written, then the hook after the write throws
            assertFalse(flusher.flushNow(5_000), "no flusher left to write");
            Recorder.transfer(Op.WRITE, Api.NIO, client, FastClock.nanoTime(), 200);
        } finally {
            Recorder.stop();
            failure = assertThrows(IOException.class, () -> flusher.finish(FastClock.nanoTime()));
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertEquals("the flusher failed: java.lang.IllegalStateException: boom", failure.getMessage());
        assertEquals(List.of(), uncaught);
        Recording r = Recording.read(log);
        assertEquals(3, r.events, "the connect and both writes");
        assertEquals(300L, connection(r, Api.ROLE_CLIENT).bytesWritten);
        assertTrue(r.cleanStop);
    }

    @Test
    void countsAreSummedPerConnectionEvenAtThresholdZero() throws Exception {
        Capture capture = TestRecordings.capture();
        Path log = dir.resolve("events.nprof");
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, 0);
        Recorder.start(capture);
        try {
            Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
            Recorder.transfer(Op.WRITE, Api.NIO, client, FastClock.nanoTime(), 100);
            TlsRecorder.count(Op.TLS_WRITE, client, 70);
            Thread another = new Thread(() -> TlsRecorder.count(Op.TLS_WRITE, client, 30));
            another.start();
            another.join();
        } finally {
            Recorder.stop();
            flusher.finish(FastClock.nanoTime());
        }
        List<Integer> logged = new ArrayList<>();
        Map<Integer, long[]> sums = new HashMap<>();
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                logged.add(op);
            }

            @Override
            public void aggregate(long connection, int op, long count, long bytes, long durationNs) {
                long[] sum = sums.computeIfAbsent(op, k -> new long[2]);
                sum[0] += count;
                sum[1] += bytes;
            }
        });
        assertEquals(List.of(Op.CONNECT, Op.WRITE), logged, "the write is logged on its own, the counts are not");
        assertEquals(Set.of(Op.TLS_WRITE), sums.keySet());
        assertArrayEquals(new long[] {2, 100}, sums.get(Op.TLS_WRITE), "both threads' counts, summed");
        Recording r = Recording.read(log);
        assertEquals(100L, connection(r, Api.ROLE_CLIENT).tlsPlaintextWritten);
        assertEquals(4, r.events, "connect, write and two counts");
        assertEquals(0, r.aggregatedEvents, "nothing was folded by a threshold");
    }

    /**
     * With nothing recorded the flusher writes a status every second, not every quarter second (8 in 2.2 s), and
     * still writes what is recorded afterwards on its own, without a flush asked for.
     */
    @Test
    void anIdleRecordingWritesOnlyAHeartbeatAndThenWhatComesWithoutBeingAsked() throws Exception {
        Capture capture = TestRecordings.capture();
        Path log = dir.resolve("events.nprof");
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, 0,
            new KernelView(dir.resolve("no-proc")));
        Recorder.start(capture);
        try {
            Thread.sleep(2_200);
            int idleStatuses = logged(log).get("status");
            assertTrue(idleStatuses >= 1 && idleStatuses <= 3, idleStatuses + " statuses written in 2.2 s idle");
            Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
            long deadline = FastClock.nanoTime() + 10_000_000_000L;
            while (logged(log).get("event") == 0 && FastClock.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, logged(log).get("event"), "the connect, written by the flusher on its own");
        } finally {
            Recorder.stop();
            flusher.finish(FastClock.nanoTime());
        }
    }

    /** How many status records and events {@code log} holds so far. */
    private static Map<String, Integer> logged(Path log) throws Exception {
        Map<String, Integer> counts = new HashMap<>(Map.of("status", 0, "event", 0));
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void status(long atNs, long droppedEvents, long droppedDefinitions) {
                counts.merge("status", 1, Integer::sum);
            }

            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                counts.merge("event", 1, Integer::sum);
            }
        });
        return counts;
    }

    @Test
    void eachConnectionsFirstReadAndFirstWriteCarryAStack() throws Exception {
        // Nothing is slow, and the JVM-wide deadline, once taken, does not come round again within the test.
        Map<String, String> marks = stackMarks(new StackSampling(StackSampling.SAMPLED, Long.MAX_VALUE, HOUR, HOUR, 0),
            0);
        // Connection 1 is the client's. Firsts do not spend the JVM-wide sample: the first transfer that is not a
        // first takes it, the client's second write; after that only firsts carry a stack.
        assertEquals(Map.of("1/" + Op.WRITE, "SS-", "2/" + Op.READ, "S--", "2/" + Op.WRITE, "S--",
            "1/" + Op.READ, "S--"), marks);
    }

    @Test
    void pastTheFirstConnectionsOpenedFromOneStackOnlySampledOperationsCarryOne() throws Exception {
        int connections = StackSampling.FULLY_STACKED_PER_SITE + 1;
        SocketChannel[] clients = new SocketChannel[connections];
        for (int i = 0; i < connections; i++) {
            clients[i] = SocketChannel.open(listener.getLocalAddress());
            listener.accept().close();
        }
        Path log = recordWith(new StackSampling(StackSampling.SAMPLED, Long.MAX_VALUE, HOUR, HOUR, 0), 0, () -> {
            for (SocketChannel ch : clients) {
                Recorder.connected(Op.CONNECT, Api.NIO, ch, FastClock.nanoTime(), true);
                Recorder.transfer(Op.WRITE, Api.NIO, ch, FastClock.nanoTime(), 10);
                if (ch == clients[0]) { // takes the JVM-wide sample, which does not come round again in the test
                    Recorder.transfer(Op.WRITE, Api.NIO, ch, FastClock.nanoTime(), 10);
                }
                Recorder.closed(Api.NIO, ch, FastClock.nanoTime(), null);
            }
        });
        Map<Long, StringBuilder> marks = new HashMap<>();
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                marks.computeIfAbsent(connection, k -> new StringBuilder()).append(stack != 0 ? 'S' : '-');
            }
        });
        // Per connection, its connect, write(s) and close; connection ids count from 1 in opening order.
        for (long id = 1; id <= connections; id++) {
            String expected = id == 1 ? "SSSS" : id < connections ? "SSS" : "S--";
            assertEquals(expected, marks.get(id).toString(), "connection " + id);
        }
        for (SocketChannel ch : clients) {
            ch.close();
        }
    }

    @Test
    void slowOperationsAreSampledAtTheirOwnPace() throws Exception {
        // Every transfer blocked 1 ms, the slow threshold; neither deadline comes round again within the test.
        Map<String, String> marks = stackMarks(new StackSampling(StackSampling.SAMPLED, 1_000_000, HOUR, HOUR, 0),
            1_000_000);
        // After the firsts, the client's second write takes the slow operations' deadline, the server's second read
        // the JVM-wide one; the slow operations after them have no stack.
        assertEquals(Map.of("1/" + Op.WRITE, "SS-", "2/" + Op.READ, "SS-", "2/" + Op.WRITE, "S--",
            "1/" + Op.READ, "S--"), marks);
    }

    @Test
    void aConnectionTakesOneSlowStackPerItsOwnInterval() throws Exception {
        // The JVM-wide slow deadline is always due; each connection's own comes round again only after an hour.
        Map<String, String> marks = stackMarks(new StackSampling(StackSampling.SAMPLED, 1_000_000, HOUR, 0, HOUR),
            1_000_000);
        // After the firsts, the client's second write takes its connection's slow stack, the server's second read
        // the server's; the server's second write finds its connection's spent and takes the JVM-wide any-duration
        // sample instead. Nothing after them has a stack, though every transfer was slow.
        assertEquals(Map.of("1/" + Op.WRITE, "SS-", "2/" + Op.READ, "SS-", "2/" + Op.WRITE, "SS-",
            "1/" + Op.READ, "S--"), marks);
    }

    /**
     * A connect, an accept and three rounds of client write, server read, server write, client read, each transfer
     * dated {@code blockedNs} before it returns; per "connection/op", which transfers carried a stack, in order.
     */
    private Map<String, String> stackMarks(StackSampling sampling, long blockedNs) throws Exception {
        Path log = recordWith(sampling, 0, () -> {
            Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
            Recorder.accepted(Api.NIO, server, FastClock.nanoTime());
            for (int i = 0; i < 3; i++) {
                Recorder.transfer(Op.WRITE, Api.NIO, client, FastClock.nanoTime() - blockedNs, 10);
                Recorder.transfer(Op.READ, Api.NIO, server, FastClock.nanoTime() - blockedNs, 10);
                Recorder.transfer(Op.WRITE, Api.NIO, server, FastClock.nanoTime() - blockedNs, 20);
                Recorder.transfer(Op.READ, Api.NIO, client, FastClock.nanoTime() - blockedNs, 20);
            }
        });
        Map<String, StringBuilder> stacked = new HashMap<>();
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                if (Op.isTransfer(op)) {
                    StringBuilder marks = stacked.computeIfAbsent(connection + "/" + op, k -> new StringBuilder());
                    marks.append(stack != 0 ? 'S' : '-');
                }
            }
        });
        Map<String, String> marks = new HashMap<>();
        stacked.forEach((k, v) -> marks.put(k, v.toString()));
        return marks;
    }

    /** Records a connect, an accept, OPS_PER_THREAD writes and reads of 100 bytes from two threads, EOF, closes. */
    private Recording record(long thresholdNs) throws Exception {
        StackSampling sampling = new StackSampling(StackSampling.SAMPLED, 1_000_000, 5_000_000, 1_000_000, 0);
        return Recording.read(recordWith(sampling, thresholdNs, () -> {
            long t = FastClock.nanoTime();
            Recorder.connected(Op.CONNECT, Api.NIO, client, t, true);
            Recorder.accepted(Api.NIO, server, t);
            Thread writer = new Thread(() -> {
                for (int i = 0; i < OPS_PER_THREAD; i++) {
                    Recorder.transfer(Op.WRITE, Api.NIO, client, FastClock.nanoTime(), 100);
                }
            });
            Thread reader = new Thread(() -> {
                for (int i = 0; i < OPS_PER_THREAD; i++) {
                    Recorder.transfer(Op.READ, Api.NIO, server, FastClock.nanoTime(), 100);
                }
                Recorder.transfer(Op.READ, Api.NIO, server, FastClock.nanoTime(), -1);
            });
            writer.start();
            reader.start();
            writer.join();
            reader.join();
            Recorder.closed(Api.NIO, client, FastClock.nanoTime(), null);
            Recorder.closed(Api.NIO, server, FastClock.nanoTime(), null);
        }));
    }

    /** What a test records: may throw, like the threads it joins. */
    private interface Operations {
        void run() throws Exception;
    }

    /** Runs {@code ops} while recording into a new events.nprof with {@code sampling}; returns the log. */
    private Path recordWith(StackSampling sampling, long thresholdNs, Operations ops) throws Exception {
        Capture capture = TestRecordings.capture(sampling);
        Path log = dir.resolve("events.nprof");
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, thresholdNs);
        Recorder.start(capture);
        try {
            ops.run();
        } finally {
            Recorder.stop();
            flusher.finish(FastClock.nanoTime());
        }
        return log;
    }

    private static Recording.Connection connection(Recording r, int role) {
        return r.establishedConnections().stream().filter(c -> c.role == role).findFirst().orElseThrow();
    }

    private static InetSocketAddress parse(String hostPort) throws Exception {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)),
            Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
