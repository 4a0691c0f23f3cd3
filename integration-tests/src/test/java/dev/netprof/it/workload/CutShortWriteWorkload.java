package dev.netprof.it.workload;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes that fail part-way: a client writes 64 MiB that its server does not read, through a Socket's stream and
 * through a SocketChannel's socket adaptor, from a platform thread and (JDK 21+) a virtual one, until another
 * thread closes the client; and through a SocketChannel's own write, until another thread interrupts the writer.
 * Whatever the client's sends took before the close, its kernel still delivers, then the end of stream: so the
 * server, reading once the write has failed, counts exactly what crossed the wire, and the client's truth is that
 * count.
 * Usage: {@code CutShortWriteWorkload <truth-file>}.
 */
public final class CutShortWriteWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    public static final int WRITE = 64 << 20;

    public static void main(String[] args) throws Exception {
        Truth truth = new Truth();
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            ExecutorService platform = Executors.newCachedThreadPool();
            cutShort(truth, server, "socket", new Socket(LOOPBACK, server.getLocalPort()), platform);
            cutShort(truth, server, "nio", SocketChannel.open(address).socket(), platform);
            platform.shutdown();
            interrupted(truth, server, SocketChannel.open(address), false);
            interrupted(truth, server, SocketChannel.open(address), true);
            if (Runtime.version().feature() >= 21) {
                // A virtual thread's channel write parks between short sends, and a close ends it after a park.
                ExecutorService virtual = (ExecutorService) Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                cutShort(truth, server, "socket", new Socket(LOOPBACK, server.getLocalPort()), virtual);
                cutShort(truth, server, "nio", SocketChannel.open(address).socket(), virtual);
                virtual.shutdown();
            }
        }
        truth.write(Path.of(args[0]));
        System.out.println("cut-short writes done");
    }

    static void cutShort(Truth truth, ServerSocket server, String api, Socket client, ExecutorService threads)
            throws Exception {
        try (Socket accepted = server.accept()) {
            Truth.Side writer = truth.tcp("client", api, client.getLocalSocketAddress(),
                client.getRemoteSocketAddress());
            Truth.Side reader = truth.tcp("server", "socket", accepted.getLocalSocketAddress(),
                accepted.getRemoteSocketAddress());
            Future<Object> writing = threads.submit(() -> {
                try {
                    client.getOutputStream().write(new byte[WRITE]);
                    return "the whole write";
                } catch (IOException expected) {
                    return expected;
                }
            });
            awaitBytes(accepted);
            Thread.sleep(500); // both socket buffers fill in a few milliseconds; then the write blocks
            client.close();
            Object outcome = writing.get();
            if (!(outcome instanceof IOException)) {
                throw new IllegalStateException("the write was to fail at the close, not end with " + outcome);
            }
            EchoWorkload.drain(accepted.getInputStream(), reader);
            writer.written.set(reader.read.get());
        }
    }

    /**
     * Waits until the write's first bytes reach {@code accepted}, so that the close cannot come before the write
     * sent any: in a CI run and a rerun after it, a close 500 ms after the write was submitted found a socket
     * adaptor's write with nothing sent (why is not known; this rules out a write slow to start).
     */
    private static void awaitBytes(Socket accepted) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (accepted.getInputStream().available() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no byte of the write reached the server in 10 s");
            }
            Thread.sleep(10);
        }
    }

    /**
     * A blocking channel write, of one buffer or gathered from two, that an interrupt of its (platform) thread cuts
     * short: the channel closes, and the write throws {@code ClosedByInterruptException} after its one send took part
     * of the buffers. Their positions say how much, and the server must have read exactly that.
     */
    static void interrupted(Truth truth, ServerSocket server, SocketChannel client, boolean gathered)
            throws Exception {
        try (Socket accepted = server.accept()) {
            Truth.Side writer = truth.tcp("client", "nio", client.getLocalAddress(), client.getRemoteAddress());
            Truth.Side reader = truth.tcp("server", "socket", accepted.getLocalSocketAddress(),
                accepted.getRemoteSocketAddress());
            ByteBuffer[] buffers = gathered
                ? new ByteBuffer[] {ByteBuffer.allocate(1 << 20), ByteBuffer.allocate(WRITE - (1 << 20))}
                : new ByteBuffer[] {ByteBuffer.allocate(WRITE)};
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread writing = new Thread(() -> {
                try {
                    outcome.set(gathered ? client.write(buffers) : client.write(buffers[0]));
                } catch (IOException expected) {
                    outcome.set(expected);
                }
            });
            writing.start();
            Thread.sleep(500); // both socket buffers fill in a few milliseconds; then the write blocks
            writing.interrupt();
            writing.join();
            if (!(outcome.get() instanceof ClosedByInterruptException)) {
                throw new IllegalStateException("the write was to end at the interrupt, not with " + outcome.get());
            }
            EchoWorkload.drain(accepted.getInputStream(), reader);
            long sent = 0;
            for (ByteBuffer b : buffers) {
                sent += b.position();
            }
            if (sent != reader.read.get() || sent == 0) {
                throw new IllegalStateException("the buffers say " + sent + " bytes went, the server read "
                    + reader.read.get());
            }
            writer.written.set(sent);
        }
    }

    private CutShortWriteWorkload() {
    }
}
