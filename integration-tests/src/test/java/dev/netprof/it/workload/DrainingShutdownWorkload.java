package dev.netprof.it.workload;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A graceful shutdown: the application's shutdown hook "drain" waits, sends the rest of what its client connection
 * owes, and closes it; a second hook, "quick", ends at once. main only connects, sends {@value #BEFORE} bytes and
 * returns, so everything after that happens while the JVM runs its shutdown hooks, netprof's among them. The server
 * side reads on a daemon thread, which keeps running through them. Usage:
 * {@code DrainingShutdownWorkload <truth-file> <hook's delay ms>}.
 *
 * <p>Truth, written by the drain hook when it is done: {@code <client local> <client remote> <bytes the client
 * wrote> <bytes the server read> <nanoTime when the hook began to send>}.
 */
public final class DrainingShutdownWorkload {
    static final int BEFORE = 10_000;
    static final int IN_HOOK = 100_000;

    public static void main(String[] args) throws Exception {
        Path truthFile = Path.of(args[0]);
        long delayMs = Long.parseLong(args[1]);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = new ServerSocket(0, 50, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept();
        server.close();
        AtomicLong serverRead = new AtomicLong();
        CountDownLatch serverDone = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (accepted) {
                serverRead.set(EchoWorkload.drain(accepted.getInputStream()));
            } catch (Exception e) {
                e.printStackTrace();
            }
            serverDone.countDown();
        }, "server-reader");
        reader.setDaemon(true);
        reader.start();
        OutputStream out = client.getOutputStream();
        out.write(new byte[BEFORE]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (PrintStream truth = new PrintStream(Files.newOutputStream(truthFile), true)) {
                Thread.sleep(delayMs);
                long sendingNs = System.nanoTime();
                out.write(new byte[IN_HOOK]);
                client.shutdownOutput();
                if (!serverDone.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the server never read to the end");
                }
                String where = Truth.where(client.getLocalSocketAddress(), client.getRemoteSocketAddress());
                client.close();
                truth.println(where + " " + (BEFORE + IN_HOOK) + " " + serverRead.get() + " " + sendingNs);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "drain"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { }, "quick"));
        System.out.println("draining shutdown workload: main done");
    }
}
