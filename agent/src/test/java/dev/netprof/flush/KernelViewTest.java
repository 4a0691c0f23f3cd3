package dev.netprof.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Capture;
import dev.netprof.record.FastClock;
import dev.netprof.record.Recorder;
import dev.netprof.render.KernelSocket;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KernelView over a /proc of the test's making: socket tables in the kernel's format, and file descriptors that are
 * symbolic links to {@code socket:[inode]} like /proc/self/fd's.
 */
class KernelViewTest {
    private static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
        + "retrnsmt   uid  timeout inode";
    private static final String UDP_HEADER = TCP_HEADER + " ref pointer drops";
    /** A table line of the kernel's shape and length (~150 bytes): slot, state, inode. */
    private static final String LINE = "%6d: 0000000000000000FFFF00000100007F:8461 "
        + "0000000000000000FFFF00000100007F:B72A %s 00000000:00000000 03:00001033 00000000     0        0 %d 3 "
        + "00000000f05c2ee0";

    @TempDir
    Path proc;

    @BeforeEach
    void ourDescriptors() throws IOException {
        Path fd = Files.createDirectories(proc.resolve("self/fd"));
        Files.createSymbolicLink(fd.resolve("0"), Path.of("anon_inode:[eventpoll]"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("pipe:[777]"));
        Files.createSymbolicLink(fd.resolve("5"), Path.of("socket:[4242]"));
        Files.createSymbolicLink(fd.resolve("6"), Path.of("socket:[4243]"));
        Files.createSymbolicLink(fd.resolve("7"), Path.of("socket:[90001]"));
        Files.createDirectories(proc.resolve("net"));
    }

    @Test
    void onlyThisProcessSocketsAreReadWithTheirStateQueuesAndDrops() throws IOException {
        table("tcp", TCP_HEADER,
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000005 00:00000000 00000000     0        0 4242 1 "
                + "0000000000000000 100 0 0 10 0",
            line(1, "06", 0),
            line(2, "01", 777),
            "   3: 0100007F:D431 0100007F:1F90 08 00000010:00000200 01:00000014 00000003  1000        0 4243 1 "
                + "0000000000000000 20 4 1 10 -1",
            "   4: short line 4242");
        table("tcp6", TCP_HEADER);
        table("udp", UDP_HEADER,
            " 5120: 0100007F:A000 00000000:0000 07 00000000:00000040 00:00000000 00000000     0        0 90001 2 "
                + "0000000000000000 7");

        assertEquals(List.of(
                new KernelView.Socket(false, "127.0.0.1:8080", "0.0.0.0:0", 0x0A, 0, 5, 0, 0, 0),
                new KernelView.Socket(false, "127.0.0.1:54321", "127.0.0.1:8080", 0x08, 0x10, 0x200, 1, 3, 0),
                new KernelView.Socket(true, "127.0.0.1:40960", "0.0.0.0:0", 0x07, 0, 0x40, 0, 0, 7)),
            new KernelView(proc).sockets());
    }

    /**
     * A host's table lists every socket of its network namespace: 100 k lines (15 MB) of others' and TIME_WAIT
     * sockets around ours, lines crossing the reader's buffer, cost about nothing in memory.
     */
    @Test
    void aHostFullOfOtherSocketsIsReadWithoutDecodingTheirLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            lines.add(i == 0 || i == 54_321 || i == 99_999
                ? line(i, "01", i == 0 ? 4242 : i == 54_321 ? 4243 : 90001)
                : line(i, i % 3 == 0 ? "01" : "06", i % 3 == 0 ? 1_000_000 + i : 0));
        }
        table("tcp6", TCP_HEADER, lines.toArray(new String[0]));
        KernelView view = new KernelView(proc);
        view.sockets();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        List<KernelView.Socket> sockets = view.sockets();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(3, sockets.size(), sockets.toString());
        for (KernelView.Socket s : sockets) {
            assertEquals("127.0.0.1:33889", s.local()); // IPv4-mapped, as Java reports it
            assertEquals(1, s.state());
        }
        assertTrue(allocated < 1 << 20, "reading " + Files.size(proc.resolve("net/tcp6")) + " bytes of table allocated "
            + allocated + " bytes");
    }

    /**
     * On a host with a million sockets one read of the tables takes over a second. It runs beside the flusher,
     * which goes on writing events meanwhile: here the read of net/tcp cannot end (a FIFO nobody writes to) while
     * the flusher serves a flush, and the snapshot lands in the log after those events once the table is written.
     * The FIFO is written before anything is asserted, so a read that blocks the flusher fails the test, not hangs it.
     */
    @Test
    void aReadOfTheTablesThatTakesLongDoesNotHoldUpTheFlusher(@TempDir Path out) throws Exception {
        Path tcp = proc.resolve("net/tcp");
        assertEquals(0, new ProcessBuilder("mkfifo", tcp.toString()).inheritIO().start().waitFor());
        Capture capture = TestRecordings.capture();
        Path log = out.resolve("events.nprof");
        Flusher flusher = Flusher.start(capture, log, TestRecordings.HEADER, 0,
            new KernelView(proc));
        Recorder.start(capture);
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                 .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
            Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
            Recorder.transfer(Op.WRITE, Api.NIO, client, FastClock.nanoTime(), 100);
            boolean served = flusher.flushNow(2_000);
            long eventsWritten = flusher.events();

            table("tcp", TCP_HEADER, line(1, "0A", 4242)); // into the FIFO: the read under way ends
            Files.delete(tcp);
            table("tcp", TCP_HEADER, line(2, "01", 4243)); // what the last snapshot, at the stop, reads
            assertTrue(served, "the flusher waited for the kernel's tables");
            assertEquals(2, eventsWritten);
        } finally {
            Recorder.stop();
            flusher.finish(FastClock.nanoTime());
        }

        List<String> written = new ArrayList<>();
        new LogReader().read(log, new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                written.add("op " + op);
            }

            @Override
            public void kernel(long atNs, List<KernelSocket> sockets, Map<String, Long> counters) {
                sockets.forEach(k -> written.add("kernel " + k.state()));
            }
        });
        assertEquals(List.of("op " + Op.CONNECT, "op " + Op.WRITE, "kernel 10", "kernel 1"), written);
    }

    private static String line(int slot, String state, long inode) {
        return String.format(LINE, slot, state, inode);
    }

    private void table(String name, String header, String... lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(List.of(lines));
        Files.write(proc.resolve("net").resolve(name), all);
    }
}
