package dev.netprof.it.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread reads a SocketChannel through an InputStream, its socket adaptor's ({@code channel.socket()
 * .getInputStream()}) or {@code Channels.newInputStream(channel)}'s, from a server that always has more to send, until
 * another thread interrupts the reader (as {@code ExecutorService.shutdownNow()} or {@code Future.cancel(true)}
 * would). The interrupt closes the channel, and the read under way throws ClosedByInterruptException, even when it
 * had already got bytes. Several trials per stream, so that some end that way. Usage:
 * {@code InterruptedStreamReadsWorkload <truth-file>}.
 *
 * <p>The server sends only non-zero bytes and the reader zeroes its array before each read, so the non-zero bytes
 * left in it after the failed read are what that read got. Truth lines, one per trial: {@code <local> <remote>
 * <System.nanoTime() before its connect> <bytes the reads got> <of which the failed read's> <stream>}: the kernel
 * may give a later trial the client port of one a second or more before it.
 */
public final class InterruptedStreamReadsWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int TRIALS = 12;

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            Thread serving = new Thread(() -> serve(server), "server");
            serving.setDaemon(true);
            serving.start();
            for (String stream : new String[] {"adaptor", "channels"}) {
                for (int i = 0; i < TRIALS; i++) {
                    trial(server, stream, truth);
                }
            }
        }
        System.out.println("interrupted stream reads workload done");
    }

    /** Sends to each client until it goes away. */
    static void serve(ServerSocket server) {
        byte[] chunk = new byte[65536];
        Arrays.fill(chunk, (byte) 0x55);
        while (true) {
            try (Socket s = server.accept()) {
                OutputStream out = s.getOutputStream();
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    static void trial(ServerSocket server, String stream, PrintStream truth) throws Exception {
        long opening = System.nanoTime();
        SocketChannel client = SocketChannel.open(new InetSocketAddress(LOOPBACK, server.getLocalPort()));
        String where = Truth.where(client.getLocalAddress(), client.getRemoteAddress());
        InputStream in = stream.equals("adaptor") ? client.socket().getInputStream() : Channels.newInputStream(client);
        long[] got = new long[2];
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reading = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                while (true) {
                    Arrays.fill(buf, (byte) 0);
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got[0] += n;
                }
            } catch (IOException e) {
                outcome.set(e);
                for (byte b : buf) {
                    got[1] += b != 0 ? 1 : 0;
                }
            }
        });
        reading.start();
        Thread.sleep(100);
        reading.interrupt();
        reading.join();
        client.close();
        if (!(outcome.get() instanceof ClosedByInterruptException)) {
            throw new IllegalStateException("the reads were to end at the interrupt, not with " + outcome.get());
        }
        truth.println(where + " " + opening + " " + (got[0] + got[1]) + " " + got[1] + " " + stream);
    }

    private InterruptedStreamReadsWorkload() {
    }
}
