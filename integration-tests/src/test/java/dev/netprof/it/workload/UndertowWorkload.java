package dev.netprof.it.workload;

import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Undertow the way servlet-style applications run it: a {@link BlockingHandler} hands each request to an XNIO worker
 * thread, which reads the body with a blocking stream, does its own work (a sleep), asks a "database" over a
 * {@code java.net.Socket} and writes the answer. A worker's blocking read waits on a selector of its own: XNIO
 * registers the one channel, selects, cancels the key and selects again to drop it. Each client sends its body in two
 * halves {@value #PAUSE_MS} ms apart, so that a request's worker waits so (unless it started later than that).
 * Usage: {@code UndertowWorkload <truth-file>}.
 *
 * <p>Truth lines: {@code client <local> <remote> <read> <written>} per client connection, as its streams counted
 * them (the server's side read and wrote the reverse: each client reads every answer whole and closes last), then
 * {@code worker <thread name>} for each thread that ran the handler, and {@code database <requests>}.
 */
public final class UndertowWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int CLIENTS = 3;
    static final int REQUESTS = 3;
    static final int PAUSE_MS = 150;
    /** The handler's own work per request: past the 100 ms an event loop may go without selecting. */
    static final int WORK_MS = 120;

    public static void main(String[] args) throws Exception {
        Set<String> workers = ConcurrentHashMap.newKeySet();
        try (ServerSocket database = new ServerSocket(0, 50, LOOPBACK);
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            Thread db = new Thread(() -> answer(database), "database");
            db.setDaemon(true);
            db.start();
            Undertow server = Undertow.builder().setIoThreads(2).setWorkerThreads(4)
                .addHttpListener(0, LOOPBACK.getHostAddress())
                .setHandler(new BlockingHandler(exchange -> {
                    workers.add(Thread.currentThread().getName());
                    byte[] body = exchange.getInputStream().readAllBytes();
                    Thread.sleep(WORK_MS);
                    ask(database.getLocalPort());
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 2L * body.length);
                    try (OutputStream out = exchange.getOutputStream()) {
                        out.write(new byte[2 * body.length]);
                    }
                })).build();
            server.start();
            try {
                int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                List<Future<String>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> client(port, client)));
                }
                for (Future<String> c : clients) {
                    truth.println(c.get());
                }
                pool.shutdown();
            } finally {
                server.stop();
            }
            for (String w : workers) {
                truth.println("worker " + w);
            }
            truth.println("database " + CLIENTS * REQUESTS);
        }
        System.out.println("undertow workload done");
    }

    /** One keep-alive connection's requests; returns its truth line. */
    private static String client(int port, int client) throws Exception {
        try (Socket s = new Socket(LOOPBACK, port)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            long written = 0;
            long read = 0;
            for (int r = 0; r < REQUESTS; r++) {
                int size = 3000 * (client + 1) + 101 * r;
                byte[] head = ("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
                out.write(head);
                out.write(new byte[size / 2]);
                out.flush();
                Thread.sleep(PAUSE_MS);
                out.write(new byte[size - size / 2]);
                out.flush();
                written += head.length + size;
                String headers = headers(in);
                read += headers.length();
                int length = contentLength(headers);
                if (length != 2 * size) {
                    throw new IllegalStateException("answered " + length + " bytes, not " + 2 * size + ":\n" + headers);
                }
                in.readFully(new byte[length]);
                read += length;
            }
            s.shutdownOutput();
            if (in.read() != -1) {
                throw new IllegalStateException("more after the last answer");
            }
            return String.join(" ", "client", Truth.format(s.getLocalSocketAddress()),
                Truth.format(s.getRemoteSocketAddress()), Long.toString(read), Long.toString(written));
        }
    }

    /** A response's status line and headers, through the blank line, byte for byte (ASCII). */
    private static String headers(InputStream in) throws Exception {
        StringBuilder h = new StringBuilder();
        while (h.length() < 4 || !h.substring(h.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("the server closed mid-headers: " + h);
            }
            h.append((char) b);
        }
        return h.toString();
    }

    private static int contentLength(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new IllegalStateException("no Content-Length:\n" + headers);
    }

    /** The handler's database call: eight bytes out, eight back, on a connection of its own. */
    private static void ask(int port) throws Exception {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.getOutputStream().write(new byte[8]);
            s.getInputStream().readNBytes(8);
        }
    }

    private static void answer(ServerSocket database) {
        while (true) {
            try (Socket s = database.accept()) {
                s.getOutputStream().write(s.getInputStream().readNBytes(8));
            } catch (Exception e) {
                return;
            }
        }
    }

    private UndertowWorkload() {
    }
}
