package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JVM started without any agent, busy with traffic for {@code seconds}, for attach tests. Usage:
 * {@code ChurnWorkload <seconds> <truth-file>}.
 *
 * <ul>
 *   <li>A client thread opens short connections one after another (connect, send a random number of bytes, read
 *       the echo, close) and appends one truth line per connection side:
 *       {@code client|server local remote openNs closeNs bytesRead bytesWritten}.
 *   <li>A long-lived ping-pong connection, opened before any attach, prints {@code pings <count> <nanoTime>} every
 *       100 ms and {@code rate <round trips in the last second> <nanoTime>} every second.
 * </ul>
 * Times are System.nanoTime(), which on Linux is the same clock in every process, so a test can compare them with
 * its own and with netprof's.
 */
public final class ChurnWorkload {
    public static void main(String[] args) throws Exception {
        long until = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        Path truth = Path.of(args[1]);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             PrintStream lines = new PrintStream(Files.newOutputStream(truth), true)) {
            pool.submit(() -> serve(server, pool, lines));
            Thread churn = new Thread(() -> churn(server, until, lines), "churn");
            churn.start();
            pingPong(server, until);
            churn.join();
        }
        System.out.println("done");
    }

    private static Void serve(ServerSocket server, ExecutorService pool, PrintStream lines) throws IOException {
        while (true) {
            Socket s = server.accept();
            long opened = System.nanoTime();
            String local = Truth.format(s.getLocalSocketAddress());
            String remote = Truth.format(s.getRemoteSocketAddress());
            pool.submit(() -> {
                long read = 0;
                long written = 0;
                try (s) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        read += n;
                        out.write(buf, 0, n);
                        written += n;
                    }
                }
                line(lines, "server", local, remote, opened, System.nanoTime(), read, written);
                return null;
            });
        }
    }

    private static void churn(ServerSocket server, long until, PrintStream lines) {
        Random random = new Random(3);
        try {
            while (System.nanoTime() < until) {
                long opened = System.nanoTime();
                Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                String local = Truth.format(s.getLocalSocketAddress());
                String remote = Truth.format(s.getRemoteSocketAddress());
                byte[] msg = new byte[1 + random.nextInt(20_000)];
                long read;
                try (s) {
                    s.getOutputStream().write(msg);
                    s.shutdownOutput();
                    read = s.getInputStream().readAllBytes().length;
                }
                line(lines, "client", local, remote, opened, System.nanoTime(), read, msg.length);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pingPong(ServerSocket unused, long until) throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] b = new byte[64];
                    while (true) {
                        in.readFully(b);
                        s.getOutputStream().write(b);
                    }
                } catch (IOException closed) {
                    // the client is done
                }
            }, "ping-server");
            server.setDaemon(true);
            server.start();
            try (Socket s = new Socket(echo.getInetAddress(), echo.getLocalPort())) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] b = new byte[64];
                long pings = 0;
                long lastRate = 0;
                long nextPrint = System.nanoTime();
                long nextRate = nextPrint + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    out.write(b);
                    in.readFully(b);
                    pings++;
                    long now = System.nanoTime();
                    if (now >= nextPrint) {
                        System.out.println("pings " + pings + " " + now);
                        nextPrint = now + 100_000_000L;
                    }
                    if (now >= nextRate) {
                        System.out.println("rate " + (pings - lastRate) + " " + now);
                        lastRate = pings;
                        nextRate = now + 1_000_000_000L;
                    }
                }
            }
        }
    }

    private static synchronized void line(PrintStream lines, String role, String local, String remote, long opened,
                                          long closed, long read, long written) {
        lines.println(role + " " + local + " " + remote + " " + opened + " " + closed + " " + read + " " + written);
    }
}
