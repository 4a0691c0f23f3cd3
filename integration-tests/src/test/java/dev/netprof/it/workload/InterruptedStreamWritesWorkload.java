package dev.netprof.it.workload;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread writes 1,000-byte chunks through a SocketChannel's socket adaptor stream, its server reading them as fast,
 * until another thread interrupts the writer. The interrupt closes the channel, and the write under way throws
 * ClosedByInterruptException, even when its sends had already taken all its bytes. Several trials, so that some end
 * that way. Usage: {@code InterruptedStreamWritesWorkload <truth-file>}.
 *
 * <p>Truth lines, one per trial: {@code <local> <remote> <System.nanoTime() before its connect> <bytes its server
 * read> <whether the failed write's bytes all went>}, the last told by the server having read a chunk more than the
 * writes that returned. The kernel may give a later trial the client port of one a second or more before it.
 */
public final class InterruptedStreamWritesWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int TRIALS = 12;
    static final int CHUNK = 1000;

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            for (int i = 0; i < TRIALS; i++) {
                trial(server, truth);
            }
        }
        System.out.println("interrupted stream writes workload done");
    }

    static void trial(ServerSocket server, PrintStream truth) throws Exception {
        long opening = System.nanoTime();
        SocketChannel client = SocketChannel.open(new InetSocketAddress(LOOPBACK, server.getLocalPort()));
        try (Socket accepted = server.accept()) {
            long[] read = new long[1];
            Thread reading = new Thread(() -> {
                try {
                    read[0] = EchoWorkload.drain(accepted.getInputStream());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            reading.start();
            String where = Truth.where(client.getLocalAddress(), client.getRemoteAddress());
            OutputStream out = client.socket().getOutputStream();
            long[] returned = new long[1];
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread writing = new Thread(() -> {
                byte[] chunk = new byte[CHUNK];
                try {
                    while (true) {
                        out.write(chunk);
                        returned[0] += CHUNK;
                    }
                } catch (IOException e) {
                    outcome.set(e);
                }
            });
            writing.start();
            Thread.sleep(100);
            writing.interrupt();
            writing.join();
            client.close();
            reading.join();
            if (!(outcome.get() instanceof ClosedByInterruptException)) {
                throw new IllegalStateException("the writes were to end at the interrupt, not with " + outcome.get());
            }
            truth.println(where + " " + opening + " " + read[0] + " " + (read[0] == returned[0] + CHUNK));
        }
    }

    private InterruptedStreamWritesWorkload() {
    }
}
